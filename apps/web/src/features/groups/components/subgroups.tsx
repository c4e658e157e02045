import type { Group } from '@covey/schema';
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { GroupSelect } from '@/components/group-select';
import { RowAction } from '@/components/ui/row-action';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';
import { usePlural } from '@/lib/i18n/plural';
import { useChildGroups } from '@/lib/api/groups';
import { useUpdateGroup } from '../api/update-group';
import { DeleteGroupDialog } from './delete-group-button';

type RowProps = {
  group: Group;
  onDelete: (group: Group) => void;
};

/**
 * One subgroup: rename, delete, or move it to a group the person manages (asked of the API, `manageable`), neither
 * inside its own subtree (`outside`) nor where it already is.
 */
function SubgroupRow({ group, onDelete }: RowProps) {
  const t = useT();
  const plural = usePlural();
  const id = useId();
  const update = useUpdateGroup(group.id);
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(group.name);
  const [target, setTarget] = useState('');

  const rename = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name: name.trim() }, { onSuccess: () => setRenaming(false) });
  };
  const move = (event: FormEvent) => {
    event.preventDefault();
    if (target) update.mutate({ parentId: target });
  };

  return (
    <li className="item subgroup">
      <div className="item-main">
        {renaming ? (
          <form className="inline-form" onSubmit={rename}>
            <label htmlFor={`${id}-name`} className="visually-hidden">
              {t('admin.subgroups.newName', { name: group.name })}
            </label>
            <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
            <button type="submit" className="button" disabled={update.isPending}>
              {t('common.save')}
            </button>
            <button type="button" className="link-button" onClick={() => setRenaming(false)}>
              {t('common.cancel')}
            </button>
          </form>
        ) : (
          <>
            <Link to={paths.admin.group.getHref(group.id)} className="item-title">
              {group.name}
            </Link>
            <span className="muted small">
              {t('admin.memberCount', { count: group.memberCount })}
              {group.childCount > 0 && ` · ${plural('admin.subgroups.count', group.childCount)}`}
            </span>
          </>
        )}
        {update.isError && <ErrorNotice error={update.error} />}
      </div>
      <div className="subgroup-actions">
        {!renaming && (
          <RowAction
            subject={group.name}
            onClick={() => {
              setName(group.name);
              setRenaming(true);
            }}
          >
            {t('admin.subgroups.rename')}
          </RowAction>
        )}
        <form className="inline-form" onSubmit={move}>
          <GroupSelect
            label={t('admin.subgroups.moveLabel', { name: group.name })}
            hideLabel
            emptyLabel={t('admin.subgroups.moveTo')}
            value={target}
            onChange={setTarget}
            manageable
            outside={group.id}
            exclude={(id) => id === group.parentId}
          />
          <button type="submit" className="button" disabled={!target || update.isPending}>
            {t('admin.subgroups.move')}
            <span className="visually-hidden"> {group.name}</span>
          </button>
        </form>
        <RowAction subject={group.name} className="link-button danger-link" onClick={() => onDelete(group)}>
          {t('admin.subgroups.delete')}
        </RowAction>
      </div>
    </li>
  );
}

/** The group's direct subgroups: create, rename, move (within what the person manages) and delete them. */
export function Subgroups({ group }: { group: Group }) {
  const t = useT();
  const children = useChildGroups(group.id);
  // Held here, not in the row: the row goes away when the group is deleted, the report must not.
  const [deleting, setDeleting] = useState<Group | null>(null);

  return (
    <section className="card" aria-labelledby="subgroups-heading">
      <div className="page-title-row">
        <h2 id="subgroups-heading">{t('admin.subgroups.title')}</h2>
        <Link to={paths.admin.newGroup.getHref(group.id)} className="button">
          {t('admin.addSubgroup')}
          <span className="visually-hidden"> ({group.name})</span>
        </Link>
      </div>
      {children.isPending && <Skeleton lines={2} />}
      {children.isError && <ErrorNotice error={children.error} onRetry={() => void children.refetch()} />}
      {children.data && children.data.items.length === 0 && <EmptyState title={t('admin.subgroups.none')} />}
      {children.data && children.data.items.length > 0 && (
        <ul className="item-list" aria-labelledby="subgroups-heading">
          {children.data.items.map((child) => (
            <SubgroupRow key={child.id} group={child} onDelete={setDeleting} />
          ))}
        </ul>
      )}
      {deleting && <DeleteGroupDialog group={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}
