import { useParams } from 'react-router-dom';
import { GroupEditor } from '@/features/admin/components/group-editor';

export function Component() {
  const { groupId = '' } = useParams();
  return <GroupEditor key={groupId} groupId={groupId} />;
}
