import { useParams } from 'react-router-dom';
import { PostFeed } from '@/features/posts/components/post-feed';
import { ProgramPage } from '@/features/programs/components/program-page';
import { useT } from '@/lib/i18n';

export function Component() {
  const { programId = '' } = useParams();
  const t = useT();
  return (
    <ProgramPage
      key={programId}
      programId={programId}
      comments={
        <PostFeed
          source={{ kind: 'program', programId }}
          title={t('programs.comments')}
          composerLabel={t('programs.composer')}
          emptyText={t('programs.commentsEmpty')}
        />
      }
    />
  );
}
