import { useParams } from 'react-router-dom';
import { GroupEditor } from '@/features/groups/components/group-editor';
import { GroupPrograms } from '@/features/programs/components/group-programs';

export function Component() {
  const { groupId = '' } = useParams();
  return (
    <GroupEditor
      key={groupId}
      groupId={groupId}
      programs={(group, workspaceAdmin) => <GroupPrograms group={group} workspaceAdmin={workspaceAdmin} />}
    />
  );
}
