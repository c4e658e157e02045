import { useNavigate } from 'react-router-dom';
import { NotFoundScreen } from '@/components/ui/not-found-screen';
import { ErrorNotice, SavedNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { isNotFound } from '@/lib/errors';
import { useT } from '@/lib/i18n';
import { useCreateProgram } from '../api/create-program';
import { useProgram } from '../api/get-program';
import { useUpdateProgram } from '../api/update-program';
import { ProgramForm, programFormValues, toProgramBody } from './program-form';

export function NewProgram() {
  const t = useT();
  const navigate = useNavigate();
  const create = useCreateProgram();
  return (
    <div className="stack">
      <h1>{t('admin.newProgram')}</h1>
      <ProgramForm
        initial={programFormValues()}
        submitLabel={t('admin.createProgram')}
        isPending={create.isPending}
        error={create.error}
        onSubmit={(values) =>
          create.mutate(toProgramBody(values), {
            onSuccess: (program) => void navigate(paths.admin.program.getHref(program.id), { replace: true }),
          })
        }
      />
    </div>
  );
}

export function ProgramEditor({ programId }: { programId: string }) {
  const t = useT();
  const program = useProgram(programId);
  const update = useUpdateProgram(programId);
  if (program.isPending) return <Skeleton lines={6} />;
  if (program.isError) {
    return isNotFound(program.error) ? <NotFoundScreen title={t('programs.notFound')} /> : <ErrorNotice error={program.error} />;
  }
  return (
    <div className="stack">
      <h1>{t('admin.editProgram', { title: program.data.title })}</h1>
      <p className="muted">
        {program.data.groups.length > 0
          ? t('admin.assignedTo', { groups: program.data.groups.map((g) => g.name).join(', ') })
          : t('admin.assignHint')}
      </p>
      <SavedNotice saved={update.isSuccess} />
      <ProgramForm
        key={program.data.updatedAt}
        initial={programFormValues(program.data)}
        submitLabel={t('common.save')}
        isPending={update.isPending}
        error={update.error}
        onSubmit={(values) => update.mutate(toProgramBody(values))}
      />
    </div>
  );
}
