import { NewProgram } from '@/features/admin/components/program-editor';

export { NewProgram as Component };
