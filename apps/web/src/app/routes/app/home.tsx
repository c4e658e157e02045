import { useMyGroups } from '@/features/groups/api/get-my-groups';
import { MyGroupsSection } from '@/features/groups/components/my-groups-section';
import { MyTeamSection } from '@/features/groups/components/my-team-section';
import { MyDocumentsSection } from '@/features/me/components/my-documents-section';
import { MyStatsCard } from '@/features/me/components/my-stats-card';
import { PostFeed } from '@/features/posts/components/post-feed';
import { useMyPrograms } from '@/features/programs/api/get-my-programs';
import { MyProgramsSection } from '@/features/programs/components/my-programs-section';
import { useUser } from '@/lib/auth';
import { useT } from '@/lib/i18n';

// The learner's home (seed, section 3): public exchanges in the middle, their groups, programs, stats, team and
// documents on the right. Groups and programs come first in the page, so a phone shows them before the feed.
export function Component() {
  const user = useUser();
  const t = useT();
  // The feed and the rest wait (loading all the same) until My groups and My programs have their answers: they come
  // first on a phone, and growing from their skeletons would push the feed down under the reader's eyes.
  const groups = useMyGroups();
  const programs = useMyPrograms();
  const essentialsReady = !groups.isPending && !programs.isPending;
  return (
    <div className="stack">
      <h1>{t('home.welcome', { name: user.firstName })}</h1>
      <div className="home-layout">
        <aside className="column-side home-essentials stack-sm" aria-label={t('home.aside')}>
          <MyGroupsSection />
          <MyProgramsSection />
        </aside>
        <div className="home-feed" hidden={!essentialsReady}>
          <PostFeed
            source={{ kind: 'feed' }}
            title={t('home.feed')}
            composerLabel={t('home.composer')}
            emptyText={t('home.feedEmpty')}
          />
        </div>
        <aside className="column-side home-more stack-sm" aria-label={t('home.more')} hidden={!essentialsReady}>
          <MyStatsCard />
          <MyTeamSection />
          <MyDocumentsSection />
        </aside>
      </div>
    </div>
  );
}
