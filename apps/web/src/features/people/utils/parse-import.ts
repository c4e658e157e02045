import { parseCsv } from '@/lib/csv';
import type { MessageKey, Translate } from '@/lib/i18n';

const roles = ['learner', 'observer', 'admin'] as const;
const ops = ['add', 'remove'] as const;
export type Row = { line: number; email: string; group: string; role: (typeof roles)[number]; op: (typeof ops)[number] };
type RowError = { line: number; message: string };
export type Parsed = { fileName: string; rows: Row[]; errors: RowError[] };

// The bulk API reports per-row problems with the same codes as problem+json answers; say them in the UI's language.
export const rowErrorMessages: Record<string, MessageKey> = {
  user_not_found: 'error.userNotFound',
  group_not_found: 'error.groupNotFound',
  invalid_reference: 'error.invalidReference',
  forbidden: 'error.forbidden',
  validation_failed: 'error.validation',
};

const isRole = (v: string): v is Row['role'] => (roles as readonly string[]).includes(v);
const isOp = (v: string): v is Row['op'] => (ops as readonly string[]).includes(v);

/** Reads the file in the browser: a header row naming the columns, then one membership per line. */
export function parseImport(fileName: string, text: string, t: Translate): Parsed {
  const [header, ...records] = parseCsv(text);
  if (!header) return { fileName, rows: [], errors: [{ line: 1, message: t('import.emptyFile') }] };
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const at = (name: string) => columns.indexOf(name);
  const missing = ['email', 'group'].filter((name) => at(name) < 0);
  if (missing.length > 0) {
    return { fileName, rows: [], errors: [{ line: header.line, message: t('import.missingColumns', { columns: missing.join(', ') }) }] };
  }
  const rows: Row[] = [];
  const errors: RowError[] = [];
  for (const { line, fields } of records) {
    const get = (name: string) => (at(name) >= 0 ? (fields[at(name)] ?? '').trim() : '');
    const email = get('email');
    const group = get('group');
    const role = (get('role') || 'learner').toLowerCase();
    const op = (get('op') || 'add').toLowerCase();
    const problems: string[] = [];
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) problems.push(t('import.badEmail'));
    if (!group) problems.push(t('import.noGroup'));
    if (!isRole(role)) problems.push(t('import.badRole', { value: role }));
    if (!isOp(op)) problems.push(t('import.badOp', { value: op }));
    if (problems.length > 0 || !isRole(role) || !isOp(op)) errors.push({ line, message: problems.join(' ') });
    else rows.push({ line, email, group, role, op });
  }
  return { fileName, rows, errors };
}

