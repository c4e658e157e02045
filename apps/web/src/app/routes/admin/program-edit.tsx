import { useParams } from 'react-router-dom';
import { ProgramEditor } from '@/features/programs/components/program-editor';

export function Component() {
  const { programId = '' } = useParams();
  return <ProgramEditor key={programId} programId={programId} />;
}
