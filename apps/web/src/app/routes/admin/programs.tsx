import { ProgramsList } from '@/features/programs/components/programs-list';

export { ProgramsList as Component };
