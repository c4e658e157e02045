import { parse } from 'csv-parse/sync';
import {
  groupRoles,
  importableRoles,
  MAX_IMPORT_ROWS,
  peopleImportColumns,
  type GroupRole,
  type PeopleImportColumn,
} from '@covey/schema';
import { AppError } from '../../lib/errors.ts';

/** A group entry of a row: a path ("France/Paris"), `ext:<externalId>` or an id, and the membership role. */
export type GroupEntry = { ref: string; role: GroupRole; raw: string };

/** A data row as read from the file, with what is wrong with it on its own (not yet against the directory). */
export type CsvRow = {
  index: number;
  line: number;
  email: string | null;
  externalId: string | null;
  firstName: string | null;
  lastName: string | null;
  role: (typeof importableRoles)[number] | null;
  /** The role cell as written, when it is not one of the importable roles. */
  rawRole: string | null;
  groups: GroupEntry[];
  refusal: { code: string; message: string } | null;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 100;
const MAX_EMAIL = 320;
const MAX_EXTERNAL_ID = 255;
const MAX_GROUPS = 100;
const headerKey = (h: string) => h.normalize('NFKC').toLowerCase().replace(/[\s_-]+/g, '');
const COLUMN_BY_KEY = new Map<string, PeopleImportColumn>([
  ...peopleImportColumns.map((c) => [headerKey(c), c] as const),
  ['mail', 'email'],
  ['emailaddress', 'email'],
  ['externalid', 'externalId'],
  ['ext', 'externalId'],
  ['group', 'groups'],
]);

const bad = (message: string, errors?: { field: string; message: string }[]) => new AppError('bad_request', message, errors);

/**
 * The file's text: UTF-8 (with or without a byte order mark), UTF-16 with its mark, else Windows-1252 (what
 * spreadsheet programs save as "CSV" on Windows). A file with NUL bytes is not text (a spreadsheet, an image).
 */
export function decodeCsv(bytes: Buffer): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      text = new TextDecoder('windows-1252').decode(body);
    }
  }
  if (text.includes('\u0000'))
    throw new AppError('unsupported_media_type', 'This file is not CSV text (a spreadsheet must be saved as CSV first).');
  return text;
}

/** The delimiter the header line uses most: comma, semicolon (spreadsheets in French) or tab. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/** `France/Paris`, `ext:lyon`, an id, each with an optional `:learner`, `:observer` or `:admin` (default learner). */
export function groupEntries(cell: string): GroupEntry[] {
  return cell
    .split(/[|;]/)
    .map((e) => e.trim())
    .filter(Boolean)
    .map((raw) => {
      const m = /^(.*?)\s*:\s*(learner|observer|admin)$/i.exec(raw);
      const role = (m ? m[2]!.toLowerCase() : 'learner') as GroupRole;
      return { ref: (m ? m[1]! : raw).trim(), role, raw };
    });
}

const isGroupRole = (v: string): v is GroupRole => (groupRoles as readonly string[]).includes(v);

/** Parses the file: columns checked (400 for a wrong header, 413 for too many rows), then each row read on its own. */
export function parsePeopleCsv(bytes: Buffer): CsvRow[] {
  const text = decodeCsv(bytes);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: delimiterOf(text), bom: true, info: true, skip_empty_lines: true, relax_column_count: true, to: MAX_IMPORT_ROWS + 2 }) as unknown as typeof records;
  } catch (error) {
    throw bad(`The file is not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...data] = records;
  if (!header) throw bad('The file is empty: it needs a header line naming its columns.');
  if (data.length > MAX_IMPORT_ROWS) throw new AppError('payload_too_large', `A file takes at most ${MAX_IMPORT_ROWS} rows.`);

  const columns = header.record.map((h) => COLUMN_BY_KEY.get(headerKey(h)));
  const unknown = header.record.filter((h, i) => !columns[i] && h.trim() !== '');
  const seen = new Set<PeopleImportColumn>();
  const twice = columns.filter((c): c is PeopleImportColumn => !!c && (seen.has(c) || !seen.add(c)));
  const errors = [
    ...unknown.map((h) => ({ field: `header.${h}`, message: `unknown column (known: ${peopleImportColumns.join(', ')})` })),
    ...twice.map((c) => ({ field: `header.${c}`, message: 'appears twice' })),
  ];
  if (!seen.has('email') && !seen.has('externalId'))
    errors.push({ field: 'header', message: 'needs an email or an externalId column' });
  if (errors.length) throw bad('The header line of the file does not name the expected columns.', errors);

  let previousEnd = header.info.lines;
  return data.map(({ record, info }, index) => {
    const cell = (name: PeopleImportColumn) => {
      const i = columns.indexOf(name);
      const value = i >= 0 ? (record[i] ?? '').trim() : '';
      return value === '' ? null : value;
    };
    // A row starts on the line after the previous record (empty lines in between are skipped and not counted here).
    const line = Math.max(previousEnd + 1, info.lines - (record.join('').match(/\n/g)?.length ?? 0));
    previousEnd = info.lines;
    const email = cell('email')?.toLowerCase() ?? null;
    const rawRole = cell('role')?.toLowerCase() ?? null;
    const role = rawRole && (importableRoles as readonly string[]).includes(rawRole) ? (rawRole as CsvRow['role']) : null;
    const groups = groupEntries(cell('groups') ?? '');
    const row: CsvRow = {
      index,
      line,
      email,
      externalId: cell('externalId'),
      firstName: cell('firstName'),
      lastName: cell('lastName'),
      role,
      rawRole: rawRole && !role ? rawRole : null,
      groups,
      refusal: null,
    };
    row.refusal = refusalOf(row);
    return row;
  });
}

function refusalOf(row: CsvRow): CsvRow['refusal'] {
  if (!row.email && !row.externalId) return { code: 'missing_identity', message: 'An e-mail or an external id is needed.' };
  if (row.email && (row.email.length > MAX_EMAIL || !EMAIL.test(row.email)))
    return { code: 'invalid_email', message: `“${row.email}” is not an e-mail address.` };
  if (row.rawRole)
    return { code: 'invalid_role', message: `The role “${row.rawRole}” is not one of ${importableRoles.join(', ')}.` };
  if ((row.firstName?.length ?? 0) > MAX_NAME || (row.lastName?.length ?? 0) > MAX_NAME)
    return { code: 'invalid_value', message: `Names take at most ${MAX_NAME} characters.` };
  if ((row.externalId?.length ?? 0) > MAX_EXTERNAL_ID)
    return { code: 'invalid_value', message: `An external id takes at most ${MAX_EXTERNAL_ID} characters.` };
  if (row.groups.length > MAX_GROUPS) return { code: 'invalid_value', message: `A row takes at most ${MAX_GROUPS} groups.` };
  const badRole = row.groups.find((g) => !g.ref || !isGroupRole(g.role));
  if (badRole) return { code: 'unknown_group', message: `“${badRole.raw}” names no group.` };
  return null;
}

/** Later rows naming a person an earlier row already names (same e-mail or external id) are refused. */
export function refuseDuplicates(rows: CsvRow[]): void {
  const byEmail = new Map<string, number>();
  const byExt = new Map<string, number>();
  for (const row of rows) {
    if (row.refusal) continue;
    const first = (row.email && byEmail.get(row.email)) ?? (row.externalId && byExt.get(row.externalId)) ?? null;
    if (first) {
      row.refusal = { code: 'duplicate_row', message: `Line ${first} already names this person.` };
      continue;
    }
    if (row.email) byEmail.set(row.email, row.line);
    if (row.externalId) byExt.set(row.externalId, row.line);
  }
}

/** The template: the header line (and, on request, two example rows), with a byte order mark for spreadsheets. */
export function peopleTemplate(example: boolean): string {
  const lines = [peopleImportColumns.join(',')];
  if (example)
    lines.push(
      'ana.lima@example.com,HR-1042,Ana,Lima,learner,France/Paris|ext:lyon-retail:observer',
      'omar.haddad@example.com,HR-1043,Omar,Haddad,trainer,"France/Paris; France/Lyon:admin"',
    );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
