import { useMyGroups } from '../api/get-my-groups';
import { QueryStatus } from './query-status';

const roleLabels: Record<string, string> = { learner: 'Learner', observer: 'Observer', admin: 'Group admin' };

export function MyGroupsSection() {
  const groups = useMyGroups();

  return (
    <section className="card" aria-labelledby="my-groups-heading">
      <h2 id="my-groups-heading">My groups</h2>
      <QueryStatus query={groups} what="your groups" />
      {groups.data &&
        (groups.data.items.length === 0 ? (
          <p className="muted">You are not in any group yet.</p>
        ) : (
          <ul className="item-list" aria-labelledby="my-groups-heading">
            {groups.data.items.map((group) => (
              <li key={group.id} className="item">
                <div className="item-main">
                  <span className="item-title">{group.name}</span>
                  {group.description && <span className="muted">{group.description}</span>}
                </div>
                <span className="badges">
                  {group.roles.map((role) => (
                    <span key={role} className="badge">
                      {roleLabels[role] ?? role}
                    </span>
                  ))}
                </span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
