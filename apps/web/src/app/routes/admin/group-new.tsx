import { useSearchParams } from 'react-router-dom';
import { NewGroup } from '@/features/groups/components/group-editor';

export function Component() {
  const [params] = useSearchParams();
  return <NewGroup parentId={params.get('parentId')} />;
}
