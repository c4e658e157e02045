import { MyGroupsSection } from '@/features/groups/components/my-groups-section';
import { MyTeamSection } from '@/features/groups/components/my-team-section';
import { MyDocumentsSection } from '@/features/me/components/my-documents-section';
import { MyStatsCard } from '@/features/me/components/my-stats-card';
import { PostFeed } from '@/features/posts/components/post-feed';
import { MyProgramsSection } from '@/features/programs/components/my-programs-section';
import { useUser } from '@/lib/auth';
import { useT } from '@/lib/i18n';

// The learner's home (seed, section 3): public exchanges in the middle, their groups, programs, stats, team and
// documents on the right. Groups and programs come first in the page, so a phone shows them before the feed.
export function Component() {
  const user = useUser();
  const t = useT();
  return (
    <div className="stack">
      <h1>{t('home.welcome', { name: user.firstName })}</h1>
      <div className="home-layout">
        <aside className="column-side home-essentials stack-sm" aria-label={t('home.aside')}>
          <MyGroupsSection />
          <MyProgramsSection />
        </aside>
        <div className="home-feed">
          <PostFeed
            source={{ kind: 'feed' }}
            title={t('home.feed')}
            composerLabel={t('home.composer')}
            emptyText={t('home.feedEmpty')}
          />
        </div>
        <aside className="column-side home-more stack-sm" aria-label={t('home.more')}>
          <MyStatsCard />
          <MyTeamSection />
          <MyDocumentsSection />
        </aside>
      </div>
    </div>
  );
}
