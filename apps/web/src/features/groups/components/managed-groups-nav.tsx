import { useEffect, useId, useRef, useState } from 'react';
import { NavLink, useLocation } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';
import { useGroupsIManage } from '../api/admin-scope';

/**
 * "Groups I manage" in the main navigation, for group admins: a disclosure listing the groups where they hold the
 * admin role, each opening its editor. Nothing shows for people who administer no group.
 */
export function ManagedGroupsNav() {
  const t = useT();
  const id = useId();
  const groups = useGroupsIManage();
  const location = useLocation();
  // Open "at" a location: any navigation (following one of the links, going back) folds the list away.
  const [openAt, setOpenAt] = useState<string | null>(null);
  const open = openAt === location.key;
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpenAt(null);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpenAt(null);
      toggle.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const managed = groups.data ?? [];
  if (managed.length === 0) return null;
  const here = managed.some((g) => location.pathname === paths.admin.group.getHref(g.id));
  return (
    <div className="nav-menu" ref={root}>
      <button
        ref={toggle}
        type="button"
        className={`nav-menu-toggle${here ? ' active' : ''}`}
        aria-expanded={open}
        aria-controls={`${id}-list`}
        onClick={() => setOpenAt(open ? null : location.key)}
      >
        {t('layout.groupsIManage')}
        <span aria-hidden="true"> {open ? '▴' : '▾'}</span>
      </button>
      <ul id={`${id}-list`} className="nav-menu-list" hidden={!open} aria-label={t('layout.groupsIManage')}>
        {managed.map((group) => (
          <li key={group.id}>
            <NavLink to={paths.admin.group.getHref(group.id)} end>
              {group.name}
            </NavLink>
          </li>
        ))}
      </ul>
    </div>
  );
}
