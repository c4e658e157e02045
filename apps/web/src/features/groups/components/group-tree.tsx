import type { Group } from '@covey/schema';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ListCard } from '@/components/ui/list-card';
import { Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';
import { useChildGroups } from '@/lib/api/groups';

function GroupNode({ group }: { group: Group }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const children = useChildGroups(group.id, { enabled: open && group.childCount > 0 });
  return (
    <li className="tree-node">
      <div className="tree-row">
        {group.childCount > 0 ? (
          <button
            type="button"
            className="tree-toggle"
            aria-expanded={open}
            aria-label={t(open ? 'admin.collapse' : 'admin.expand', { name: group.name })}
            onClick={() => setOpen((v) => !v)}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="tree-toggle" aria-hidden="true" />
        )}
        <Link to={paths.admin.group.getHref(group.id)} className="item-title">
          {group.name}
        </Link>
        <span className="muted small">{t('admin.memberCount', { count: group.memberCount })}</span>
        <Link to={paths.admin.newGroup.getHref(group.id)} className="small tree-add">
          {t('admin.addSubgroup')}
          <span className="visually-hidden"> ({group.name})</span>
        </Link>
      </div>
      {open && children.isPending && <Skeleton lines={1} />}
      {open && children.data && (
        <ul className="tree">
          {children.data.items.map((child) => (
            <GroupNode key={child.id} group={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function GroupTree() {
  const t = useT();
  const roots = useChildGroups('root');
  return (
    <ListCard
      title={t('admin.groups')}
      create={{ href: paths.admin.newGroup.getHref(), label: t('admin.newGroup') }}
      query={roots}
      emptyTitle={t('admin.noGroups')}
      retry
    >
      {(groups) => (
        <ul className="tree tree-root" aria-label={t('admin.groupTree')}>
          {groups.map((group) => (
            <GroupNode key={group.id} group={group} />
          ))}
        </ul>
      )}
    </ListCard>
  );
}
