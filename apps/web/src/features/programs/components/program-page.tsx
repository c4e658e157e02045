import type { ReactNode } from 'react';
import { NotFoundScreen } from '@/components/ui/not-found-screen';
import { ProgressBar } from '@/components/ui/progress-bar';
import { ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { RichText } from '@/components/ui/rich-text';
import { isNotFound } from '@/lib/errors';
import { useI18n } from '@/lib/i18n';
import { useCompleteStep } from '../api/complete-step';
import { useMyPrograms } from '../api/get-my-programs';
import { useProgram } from '../api/get-program';
import { statusLabels } from './my-programs-section';

export function ProgramPage({ programId, comments }: { programId: string; comments: ReactNode }) {
  const { t, formatDate } = useI18n();
  const program = useProgram(programId);
  const mine = useMyPrograms();
  const complete = useCompleteStep(programId);

  if (program.isPending) return <Skeleton lines={6} />;
  if (program.isError) {
    return isNotFound(program.error) ? (
      <NotFoundScreen title={t('programs.notFound')} />
    ) : (
      <ErrorNotice error={program.error} onRetry={() => void program.refetch()} />
    );
  }

  const data = program.data;
  const enrollment = mine.data?.items.find((p) => p.program.id === programId);
  const done = new Set(enrollment?.completedStepIds ?? []);
  const steps = [...data.steps].sort((a, b) => a.position - b.position);
  // Steps are taken in order: the first one not done yet is the one to work on.
  const nextStepId = steps.find((s) => !done.has(s.id))?.id;

  return (
    <div className="stack">
      <header className="card program-header">
        <h1>{data.title}</h1>
        {data.description && <p>{data.description}</p>}
        <p className="muted small">
          {data.referent && t('programs.referent', { name: `${data.referent.firstName} ${data.referent.lastName}` })}
          {data.endsAt && ` · ${t('programs.endsAt', { date: formatDate(data.endsAt) })}`}
        </p>
        {enrollment ? (
          <div className="program-progress">
            <span>{t(statusLabels[enrollment.status])}</span>
            <ProgressBar value={enrollment.progress} label={t('programs.progressOf', { title: data.title })} />
          </div>
        ) : (
          mine.isSuccess && <p className="muted">{t('programs.notEnrolled')}</p>
        )}
      </header>
      <section className="card" aria-labelledby="steps-heading">
        <h2 id="steps-heading">{t('programs.steps')}</h2>
        {complete.isError && <ErrorNotice error={complete.error} />}
        <ol className="steps">
          {steps.map((step, index) => {
            const isDone = done.has(step.id);
            return (
              <li key={step.id} className={`step${isDone ? ' step-done' : ''}${step.id === nextStepId ? ' step-next' : ''}`}>
                <div className="step-head">
                  <span className="step-number" aria-hidden="true">
                    {isDone ? '✓' : index + 1}
                  </span>
                  <h3 className="step-title">{step.title}</h3>
                  {isDone ? (
                    <span className="badge badge-success">{t('programs.stepDone')}</span>
                  ) : (
                    enrollment && (
                      <button
                        type="button"
                        className="button button-primary"
                        disabled={complete.isPending}
                        onClick={() => complete.mutate(step.id)}
                        aria-label={t('programs.markDoneNamed', { title: step.title })}
                      >
                        {t('programs.markDone')}
                      </button>
                    )
                  )}
                </div>
                {step.content && (
                  <div className="step-content">
                    <RichText html={step.html} />
                  </div>
                )}
              </li>
            );
          })}
        </ol>
        {steps.length === 0 && <p className="muted">{t('programs.noSteps')}</p>}
      </section>
      {comments}
    </div>
  );
}
