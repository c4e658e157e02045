import { useId } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';
import { pathLabel, type DashboardGroup } from '../utils/group-tree';

type Props = { groups: DashboardGroup[]; current: DashboardGroup; onChange: (groupId: string) => void };

/**
 * Every followed group, subgroups included, in tree order; each option reads its full path ("France › Paris") so
 * the place in the tree is heard as well as seen. A native select: keyboard and screen-reader support come built in.
 */
export function GroupPicker({ groups, current, onChange }: Props) {
  const t = useT();
  const id = useId();
  return (
    <div className="field narrow-field">
      <label htmlFor={`${id}-group`}>{t('dashboard.group')}</label>
      <select id={`${id}-group`} value={current.id} onChange={(e) => onChange(e.target.value)}>
        {groups.map((g) => (
          <option key={g.id} value={g.id}>
            {pathLabel(g)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Where the chosen group sits under the followed one, each ancestor a link back up. */
export function GroupBreadcrumb({ current }: { current: DashboardGroup }) {
  const t = useT();
  if (current.ancestors.length === 0) return null;
  return (
    <nav aria-label={t('dashboard.groupPath')}>
      <ol className="breadcrumb">
        {current.ancestors.map((a) => (
          <li key={a.id}>
            <Link to={paths.dashboard.getHref(a.id)}>{a.name}</Link>
          </li>
        ))}
        <li aria-current="page">{current.name}</li>
      </ol>
    </nav>
  );
}
