import { useParams } from 'react-router-dom';
import { GroupSpace } from '@/features/groups/components/group-space';
import { PostFeed } from '@/features/posts/components/post-feed';
import { GroupProgramsSection } from '@/features/programs/components/group-programs-section';
import { useT } from '@/lib/i18n';

export function Component() {
  const { groupId = '' } = useParams();
  const t = useT();
  return (
    <GroupSpace
      key={groupId}
      groupId={groupId}
      programs={<GroupProgramsSection groupId={groupId} />}
      feed={
        <PostFeed
          source={{ kind: 'group', groupId }}
          title={t('groups.feed')}
          composerLabel={t('groups.composer')}
          emptyText={t('groups.feedEmpty')}
        />
      }
    />
  );
}
