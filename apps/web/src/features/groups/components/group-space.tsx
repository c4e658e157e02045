import type { Group } from '@covey/schema';
import type { CSSProperties, ReactNode } from 'react';
import { NotFoundScreen } from '@/components/ui/not-found-screen';
import { ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { isNotFound } from '@/lib/errors';
import { useT } from '@/lib/i18n';
import { useGroup } from '../api/get-group';
import { GroupMembers } from './group-members';
import { MyGroupsSection } from './my-groups-section';

type BrandStyle = CSSProperties & Record<`--${string}`, string>;

// The group's colours (its own, else its nearest ancestor's) become CSS variables scoped to its space, so every
// themed element follows them.
function brandStyle(group: Group): BrandStyle {
  const style: BrandStyle = {};
  if (group.branding.primary) style['--group-primary'] = group.branding.primary.value;
  if (group.branding.accent) style['--group-accent'] = group.branding.accent.value;
  return style;
}

function GroupBanner({ group }: { group: Group }) {
  const t = useT();
  const logoUrl = group.branding.logoUrl?.value;
  const backgroundUrl = group.branding.backgroundUrl?.value;
  return (
    <header
      className={`group-banner${backgroundUrl ? ' has-background' : ''}`}
      style={backgroundUrl ? { backgroundImage: `url("${backgroundUrl}")` } : undefined}
    >
      <div className="group-banner-inner">
        {logoUrl && <img src={logoUrl} alt={t('groups.logoAlt', { name: group.name })} className="group-logo" />}
        <div>
          <h1>{group.name}</h1>
          {group.description && <p className="group-description">{group.description}</p>}
        </div>
      </div>
    </header>
  );
}

/** `feed` and `programs`: the space's posts and its programs, from their own features. */
export function GroupSpace({ groupId, feed, programs }: { groupId: string; feed: ReactNode; programs?: ReactNode }) {
  const t = useT();
  const group = useGroup(groupId);

  if (group.isPending) return <Skeleton lines={6} />;
  if (group.isError) {
    return isNotFound(group.error) ? (
      <NotFoundScreen title={t('groups.notFound')} />
    ) : (
      <ErrorNotice error={group.error} onRetry={() => void group.refetch()} />
    );
  }

  return (
    <div className="group-space" style={brandStyle(group.data)}>
      <GroupBanner group={group.data} />
      {group.data.welcomeMessage && (
        <p className="welcome card" role="note">
          {group.data.welcomeMessage}
        </p>
      )}
      <div className="two-columns">
        <div className="column-main">{feed}</div>
        <aside className="column-side stack-sm" aria-label={t('groups.aside')}>
          {programs}
          <GroupMembers groupId={groupId} />
          <MyGroupsSection currentGroupId={groupId} />
        </aside>
      </div>
    </div>
  );
}
