import { describe, expect, it } from 'vitest';
import { en } from '@/lib/i18n/en';
import type { Translate } from '@/lib/i18n';
import { parseImport } from './parse-import';

const t: Translate = (key, values) =>
  values ? en[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name])) : en[key];
const parse = (text: string) => parseImport('members.csv', text, t);

describe('parseImport', () => {
  it('reads one membership per line, columns in any order and case, role and op defaulting to learner and add', () => {
    const { rows, errors } = parse('Group;EMAIL;Role\nParis;ana@example.com;Observer\nLyon;bo@example.com;\n');
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, email: 'ana@example.com', group: 'Paris', role: 'observer', op: 'add' },
      { line: 3, email: 'bo@example.com', group: 'Lyon', role: 'learner', op: 'add' },
    ]);
  });

  it('reports each bad line with its line number and every problem on it, and keeps the good lines', () => {
    const { rows, errors } = parse('email,group,role,op\nnot-an-email,,boss,move\nana@example.com,Paris,admin,remove');
    expect(rows).toEqual([{ line: 3, email: 'ana@example.com', group: 'Paris', role: 'admin', op: 'remove' }]);
    expect(errors).toEqual([
      {
        line: 2,
        message: [
          en['import.badEmail'],
          en['import.noGroup'],
          en['import.badRole'].replace('{value}', 'boss'),
          en['import.badOp'].replace('{value}', 'move'),
        ].join(' '),
      },
    ]);
  });

  it('refuses a file without the email or group column, and an empty file', () => {
    expect(parse('mail,team\na@b.c,x').errors).toEqual([
      { line: 1, message: en['import.missingColumns'].replace('{columns}', 'email, group') },
    ]);
    expect(parse('').errors).toEqual([{ line: 1, message: en['import.emptyFile'] }]);
  });
});
