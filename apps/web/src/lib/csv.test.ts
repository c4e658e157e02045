import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it('splits records on line breaks and fields on commas, whatever the line ending', () => {
    expect(fields('email,group\nana@example.com,Paris\r\nbo@example.com,Lyon\rcy@example.com,Nice')).toEqual([
      ['email', 'group'],
      ['ana@example.com', 'Paris'],
      ['bo@example.com', 'Lyon'],
      ['cy@example.com', 'Nice'],
    ]);
  });

  it('reads semicolons when the header has more of them than commas (spreadsheets in French locales)', () => {
    expect(fields('email;group;role\nana@example.com;Paris, rive gauche;learner')).toEqual([
      ['email', 'group', 'role'],
      ['ana@example.com', 'Paris, rive gauche', 'learner'],
    ]);
  });

  it('keeps delimiters, doubled quotes and line breaks inside quoted fields', () => {
    expect(fields('name,note\n"Dupont, Ana","She said ""hi""\nand left"\n')).toEqual([
      ['name', 'note'],
      ['Dupont, Ana', 'She said "hi"\nand left'],
    ]);
  });

  it('numbers each record by the line it starts on, counting skipped blank lines and breaks inside quotes', () => {
    const records = parseCsv('email,group\n\n"a\nb",x\n   \nlast,y');
    expect(records.map((r) => r.line)).toEqual([1, 3, 6]);
  });

  it('drops a byte order mark, keeps empty fields, and reads an empty file as no record', () => {
    expect(fields('\uFEFFemail,group,role\nana@example.com,,')).toEqual([
      ['email', 'group', 'role'],
      ['ana@example.com', '', ''],
    ]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\n\r\n')).toEqual([]);
  });

  it('reads a quote inside an unquoted field as text', () => {
    expect(fields('a,b"c\n')).toEqual([['a', 'b"c']]);
  });
});
