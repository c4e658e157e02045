import { useMyPrograms, type MyProgram } from '../api/get-my-programs';
import { QueryStatus } from './query-status';

const statusLabels: Record<MyProgram['status'], string> = {
  enrolled: 'Not started',
  in_progress: 'In progress',
  completed: 'Completed',
  withdrawn: 'Withdrawn',
};

export function MyProgramsSection() {
  const programs = useMyPrograms();

  return (
    <section className="card" aria-labelledby="my-programs-heading">
      <h2 id="my-programs-heading">My programs</h2>
      <QueryStatus query={programs} what="your programs" />
      {programs.data &&
        (programs.data.items.length === 0 ? (
          <p className="muted">No program has been assigned to you yet.</p>
        ) : (
          <ul className="item-list" aria-labelledby="my-programs-heading">
            {programs.data.items.map(({ program, status, progress }) => (
              <li key={program.id} className="item">
                <div className="item-main">
                  <span className="item-title">{program.title}</span>
                  <span className="muted">{statusLabels[status] ?? status}</span>
                </div>
                <progress className="progress" max={100} value={progress} aria-label={`${program.title} progress`} />
                <span className="progress-value" aria-hidden="true">
                  {progress}%
                </span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
