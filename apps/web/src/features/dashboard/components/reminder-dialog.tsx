import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ui/query-state';
import { SelectField } from '@/components/ui/select-field';
import { useT, type MessageKey } from '@/lib/i18n';
import type { LearnerSegment } from '../api/get-learner-stats';
import { useSendReminder, type ReminderBody } from '../api/send-reminder';

export const segmentLabels: Record<LearnerSegment, MessageKey> = {
  inactive: 'dashboard.segment.inactive',
  not_started: 'dashboard.segment.not_started',
  behind: 'dashboard.segment.behind',
};

type ProgramChoice = { programId: string; title: string };

/** The programs a reminder or the table's filter can name, as select options. */
export const programOptions = (programs: readonly ProgramChoice[]) =>
  programs.map((p) => ({ value: p.programId, label: p.title }));

type Target = 'selected' | 'segment';

type Props = {
  open: boolean;
  onClose: () => void;
  groupId: string;
  programs: ProgramChoice[];
  segment: LearnerSegment | undefined;
  programId: string | undefined;
  selected: { id: string; name: string }[];
};

/** The follow-up action: a reminder to the learners of the current segment, or to the ones ticked in the table. */
export function ReminderDialog({ open, onClose, groupId, programs, segment, programId, selected }: Props) {
  const t = useT();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const send = useSendReminder();
  const [target, setTarget] = useState<Target>(selected.length > 0 || !segment ? 'selected' : 'segment');
  const [program, setProgram] = useState(programId ?? '');
  const [message, setMessage] = useState(() => t('dashboard.reminderDefault'));

  // A native modal dialog: focus moves in and is trapped, Escape closes it, focus returns to the opener.
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const needsProgram = target === 'segment' && (segment === 'behind' || segment === 'not_started');
  const canSend =
    message.trim().length > 0 &&
    (target === 'selected' ? selected.length > 0 : Boolean(segment)) &&
    (!needsProgram || Boolean(program));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canSend) return;
    // One of the body's three forms: the ticked learners, the inactive, or a program's segment.
    const base = { message: message.trim(), ...(program ? { programId: program } : {}) };
    let body: ReminderBody;
    if (target === 'selected') body = { ...base, userIds: selected.map((s) => s.id) };
    else if (segment === 'inactive') body = { ...base, segment };
    else if (segment && program) body = { ...base, programId: program, segment };
    else return;
    send.mutate({ groupId, body });
  };

  const targets: { value: Target; label: string; disabled: boolean }[] = [
    {
      value: 'selected',
      label: t('dashboard.toSelected', { count: selected.length }),
      disabled: selected.length === 0,
    },
    {
      value: 'segment',
      label: segment ? t('dashboard.toSegment', { segment: t(segmentLabels[segment]) }) : t('dashboard.toSegmentNone'),
      disabled: !segment,
    },
  ];

  const close = () => {
    send.reset();
    onClose();
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={`${id}-title`} onClose={close}>
      <form className="form" onSubmit={submit}>
        <h2 id={`${id}-title`}>{t('dashboard.reminderTitle')}</h2>
        <fieldset className="fieldset">
          <legend>{t('dashboard.recipients')}</legend>
          {targets.map((option) => (
            <label key={option.value} className="checkbox-row">
              <input
                type="radio"
                name="target"
                value={option.value}
                checked={target === option.value}
                onChange={() => setTarget(option.value)}
                disabled={option.disabled}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
        <SelectField
          id={`${id}-program`}
          label={needsProgram ? t('dashboard.programRequired') : t('dashboard.programOptional')}
          emptyLabel={t('dashboard.noProgram')}
          options={programOptions(programs)}
          value={program}
          onChange={(e) => setProgram(e.target.value)}
          required={needsProgram}
        />
        <div className="field">
          <label htmlFor={`${id}-message`}>{t('dashboard.message')}</label>
          <textarea
            id={`${id}-message`}
            rows={4}
            maxLength={5000}
            required
            value={message}
            onChange={(e) => setMessage(e.target.value)}
          />
        </div>
        {send.isError && <ErrorNotice error={send.error} />}
        {send.isSuccess && (
          <p role="status" className="notice-success">
            {t('dashboard.reminderSent', { count: send.data.recipientCount })}
          </p>
        )}
        <div className="button-row">
          {!send.isSuccess && (
            <button type="submit" className="button button-primary" disabled={!canSend || send.isPending}>
              {t('dashboard.sendReminder')}
            </button>
          )}
          <button type="button" className="button" onClick={close}>
            {send.isSuccess ? t('dashboard.close') : t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
