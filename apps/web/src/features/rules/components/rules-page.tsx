import type { GroupRuleDiff, RuleExpression, RuleOperator } from '@covey/schema';
import { useId, useState, type FormEvent } from 'react';
import { RowAction } from '@/components/ui/row-action';
import { GroupSelect } from '@/components/group-select';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useT, type MessageKey } from '@/lib/i18n';
import { usePlural } from '@/lib/i18n/plural';
import {
  previewRule,
  useCreateRule,
  useDeleteRule,
  useGroupRules,
  useUpdateRule,
  type GroupRule,
} from '../api/rules';

// The API's operators and profile fields (@covey/schema's lists, which would bring zod into the page).
const ruleOperators = ['eq', 'ne', 'in', 'not_in', 'starts_with', 'exists'] as const satisfies readonly RuleOperator[];
const ruleProfileAttributes = ['department', 'country', 'title', 'managerId', 'email'] as const;

type Condition = { attribute: string; op: RuleOperator; value: string };
type Draft = { name: string; match: 'all' | 'any'; conditions: Condition[] };

const opLabels: Record<RuleOperator, MessageKey> = {
  eq: 'rules.op.eq',
  ne: 'rules.op.ne',
  in: 'rules.op.in',
  not_in: 'rules.op.not_in',
  starts_with: 'rules.op.starts_with',
  exists: 'rules.op.exists',
};
const listOp = (op: RuleOperator): op is 'in' | 'not_in' => op === 'in' || op === 'not_in';
const emptyCondition = (): Condition => ({ attribute: 'department', op: 'eq', value: '' });

/** The form's conditions as the API's expression: `in` takes a comma-separated list, `exists` no value. */
function toExpression(draft: Draft): RuleExpression {
  const conditions = draft.conditions.map((c): RuleExpression => {
    const { attribute, op } = c;
    if (op === 'exists') return { attribute, op };
    if (listOp(op))
      return {
        attribute,
        op,
        value: c.value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      };
    return { attribute, op, value: c.value.trim() };
  });
  return draft.match === 'all' ? { all: conditions } : { any: conditions };
}

/** A rule's expression in the form, when it is one level of conditions (deeper ones are edited through the API). */
function toDraft(rule: GroupRule): Draft | null {
  const e = rule.expression;
  const [match, children] = 'all' in e ? (['all', e.all] as const) : 'any' in e ? (['any', e.any] as const) : (['all', [e]] as const);
  const conditions: Condition[] = [];
  for (const child of children) {
    if ('all' in child || 'any' in child) return null;
    conditions.push({
      attribute: child.attribute,
      op: child.op,
      value: !('value' in child) ? '' : Array.isArray(child.value) ? child.value.join(', ') : child.value,
    });
  }
  return { name: rule.name ?? '', match, conditions };
}

function DiffView({ diff }: { diff: GroupRuleDiff }) {
  const t = useT();
  const plural = usePlural();
  const list = (people: GroupRuleDiff['joins'], total: number, label: string) => (
    <div>
      <h4>{label}</h4>
      {people.length > 0 && (
        <ul className="compact-list" aria-label={label}>
          {people.slice(0, 20).map((u) => (
            <li key={u.id}>
              {u.firstName} {u.lastName} <span className="muted small">{u.email}</span>
            </li>
          ))}
        </ul>
      )}
      {total > 20 && <p className="muted small">{t('rules.diff.more', { count: total - 20 })}</p>}
    </div>
  );
  return (
    <section className="rule-diff" aria-label={t('rules.diff.heading')}>
      <p role="status">
        {plural('rules.diff.joins', diff.joinCount)} {plural('rules.diff.leaves', diff.leaveCount)}
      </p>
      <div className="field-row">
        {list(diff.joins, diff.joinCount, t('rules.diff.joinList'))}
        {list(diff.leaves, diff.leaveCount, t('rules.diff.leaveList'))}
      </div>
    </section>
  );
}

/** A new rule, or a change to one: the dry run of who joins and who leaves comes first, then saving is offered. */
function RuleEditor({ groupId, rule, onDone }: { groupId: string; rule: GroupRule | null; onDone: () => void }) {
  const t = useT();
  const id = useId();
  const create = useCreateRule();
  const update = useUpdateRule();
  const [draft, setDraft] = useState<Draft>(() => (rule && toDraft(rule)) || { name: rule?.name ?? '', match: 'all', conditions: [emptyCondition()] });
  // The dry run answers for one expression: any change to the conditions asks for a new one before saving.
  const [preview, setPreview] = useState<{ key: string; diff: GroupRuleDiff } | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [previewing, setPreviewing] = useState(false);
  const expression = toExpression(draft);
  const key = JSON.stringify(expression);
  const fresh = preview?.key === key;
  const save = rule ? update : create;

  const setCondition = (i: number, change: Partial<Condition>) =>
    setDraft((d) => ({ ...d, conditions: d.conditions.map((c, j) => (j === i ? { ...c, ...change } : c)) }));

  const runPreview = async () => {
    setPreviewing(true);
    setPreviewError(null);
    try {
      setPreview({ key, diff: await previewRule({ groupId, expression, ruleId: rule?.id }) });
    } catch (error) {
      setPreviewError(error);
    } finally {
      setPreviewing(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!fresh) return void runPreview();
    const body = { name: draft.name.trim() || null, expression };
    const done = { onSuccess: onDone };
    if (rule) update.mutate({ groupId, ruleId: rule.id, body }, done);
    else create.mutate({ groupId, body }, done);
  };

  return (
    <form className="form card" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{rule ? t('rules.edit', { name: rule.name ?? rule.explanation }) : t('rules.new')}</h3>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('rules.name')}</label>
          <input id={`${id}-name`} value={draft.name} maxLength={200} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-match`}>{t('rules.match')}</label>
          <select id={`${id}-match`} value={draft.match} onChange={(e) => setDraft((d) => ({ ...d, match: e.target.value as Draft['match'] }))}>
            <option value="all">{t('rules.match.all')}</option>
            <option value="any">{t('rules.match.any')}</option>
          </select>
        </div>
      </div>
      <datalist id={`${id}-attributes`}>
        {ruleProfileAttributes.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <fieldset className="stack-sm">
        <legend>{t('rules.conditions')}</legend>
        {draft.conditions.map((c, i) => (
          <div className="field-row condition-row" key={i}>
            <div className="field">
              <label htmlFor={`${id}-attr-${i}`}>{t('rules.attribute', { n: i + 1 })}</label>
              <input
                id={`${id}-attr-${i}`}
                list={`${id}-attributes`}
                required
                value={c.attribute}
                onChange={(e) => setCondition(i, { attribute: e.target.value })}
                aria-describedby={`${id}-attr-hint`}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-op-${i}`}>{t('rules.operator', { n: i + 1 })}</label>
              <select id={`${id}-op-${i}`} value={c.op} onChange={(e) => setCondition(i, { op: e.target.value as RuleOperator })}>
                {ruleOperators.map((op) => (
                  <option key={op} value={op}>
                    {t(opLabels[op])}
                  </option>
                ))}
              </select>
            </div>
            {c.op !== 'exists' && (
              <div className="field">
                <label htmlFor={`${id}-value-${i}`}>{t(listOp(c.op) ? 'rules.values' : 'rules.value', { n: i + 1 })}</label>
                <input id={`${id}-value-${i}`} required value={c.value} onChange={(e) => setCondition(i, { value: e.target.value })} />
              </div>
            )}
            {draft.conditions.length > 1 && (
              <button
                type="button"
                className="link-button"
                onClick={() => setDraft((d) => ({ ...d, conditions: d.conditions.filter((_, j) => j !== i) }))}
              >
                {t('rules.removeCondition', { n: i + 1 })}
              </button>
            )}
          </div>
        ))}
        <p id={`${id}-attr-hint`} className="muted small">
          {t('rules.attributeHint')}
        </p>
        <button
          type="button"
          className="button"
          onClick={() => setDraft((d) => ({ ...d, conditions: [...d.conditions, emptyCondition()] }))}
        >
          {t('rules.addCondition')}
        </button>
      </fieldset>
      {previewError != null && <ErrorNotice error={previewError} />}
      {preview && fresh && <DiffView diff={preview.diff} />}
      {preview && !fresh && <p className="muted small">{t('rules.previewStale')}</p>}
      {save.isError && <ErrorNotice error={save.error} />}
      <div className="row-actions">
        <button type="button" className="button" disabled={previewing} onClick={() => void runPreview()}>
          {t('rules.preview')}
        </button>
        <button type="submit" className="button button-primary" disabled={!fresh || save.isPending}>
          {rule ? t('rules.saveChange') : t('rules.create')}
        </button>
        <button type="button" className="link-button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function DeleteRuleDialog({ groupId, rule, onClose }: { groupId: string; rule: GroupRule; onClose: () => void }) {
  const t = useT();
  const plural = usePlural();
  const remove = useDeleteRule();
  const name = rule.name ?? rule.explanation;
  return (
    <ConfirmDialog<GroupRule>
      title={t('rules.delete.title', { name })}
      preview={() => Promise.resolve(rule)}
      consequence={(r) => <p>{plural('rules.delete.members', r.memberCount)}</p>}
      confirmLabel={t('rules.delete.confirm')}
      confirm={() => remove.mutateAsync({ groupId, ruleId: rule.id })}
      result={() => t('rules.delete.done', { name })}
      onClose={onClose}
    />
  );
}

function GroupRules({ groupId }: { groupId: string }) {
  const t = useT();
  const plural = usePlural();
  const rules = useGroupRules(groupId);
  const [editing, setEditing] = useState<GroupRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<GroupRule | null>(null);
  if (rules.isPending) return <Skeleton lines={3} />;
  if (rules.isError) return <ErrorNotice error={rules.error} onRetry={() => void rules.refetch()} />;
  return (
    <div className="stack">
      {rules.data.items.length === 0 ? (
        <EmptyState title={t('rules.none')} />
      ) : (
        <ul className="list" aria-label={t('rules.list')}>
          {rules.data.items.map((rule) => (
            <li key={rule.id} className="item">
              <div className="item-main">
                <p className="item-title">{rule.name ?? t('rules.unnamed')}</p>
                <p className="small">{rule.explanation}</p>
                <p className="muted small">{plural('rules.memberCount', rule.memberCount)}</p>
              </div>
              <div className="row-actions">
                {toDraft(rule) ? (
                  <RowAction subject={rule.name ?? rule.explanation} onClick={() => setEditing(rule)}>
                    {t('rules.editButton')}
                  </RowAction>
                ) : (
                  <span className="muted small">{t('rules.nested')}</span>
                )}
                <RowAction subject={rule.name ?? rule.explanation} onClick={() => setDeleting(rule)}>
                  {t('rules.deleteButton')}
                </RowAction>
              </div>
            </li>
          ))}
        </ul>
      )}
      {editing ? (
        <RuleEditor
          key={editing === 'new' ? 'new' : editing.id}
          groupId={groupId}
          rule={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      ) : (
        <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
          {t('rules.new')}
        </button>
      )}
      {deleting && <DeleteRuleDialog groupId={groupId} rule={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}

/** Admin > Membership rules: per group, who becomes a learner from their profile, with the dry run before saving. */
export function RulesPage() {
  const t = useT();
  const id = useId();
  const [groupId, setGroupId] = useState('');
  return (
    <div className="stack">
      <h1>{t('rules.title')}</h1>
      <p className="muted">{t('rules.intro')}</p>
      <section className="card stack-sm" aria-labelledby={`${id}-group-heading`}>
        <h2 id={`${id}-group-heading`}>{t('rules.groupHeading')}</h2>
        <GroupSelect label={t('rules.group')} value={groupId} onChange={setGroupId} emptyLabel={t('rules.chooseGroup')} />
        {groupId && <GroupRules key={groupId} groupId={groupId} />}
      </section>
    </div>
  );
}
