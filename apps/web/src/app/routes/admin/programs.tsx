import { ProgramsList } from '@/features/admin/components/programs-list';

export { ProgramsList as Component };
