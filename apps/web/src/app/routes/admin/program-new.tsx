import { NewProgram } from '@/features/programs/components/program-editor';

export { NewProgram as Component };
