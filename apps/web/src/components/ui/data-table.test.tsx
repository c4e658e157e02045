import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable, nextSort, type Column } from './data-table';

type Person = { id: string; name: string; email: string };
const people: Person[] = [
  { id: '1', name: 'Ana', email: 'ana@example.com' },
  { id: '2', name: 'Bo', email: 'bo@example.com' },
];
const columns: Column<Person, 'name' | 'email' | 'actions'>[] = [
  { id: 'name', header: 'Name', rowHeader: true, sortable: true, cell: (p) => p.name },
  { id: 'email', header: 'E-mail', sortable: true, cell: (p) => p.email },
  { id: 'actions', header: 'Actions', hideHeader: true, cell: (p) => <button type="button">Edit {p.name}</button> },
];
const render = (props: Partial<Parameters<typeof DataTable<Person, 'name' | 'email' | 'actions'>>[0]>) =>
  renderToStaticMarkup(
    <DataTable caption="People" columns={columns} rows={people} rowKey={(p) => p.id} empty="Nobody yet." {...props} />,
  );

describe('DataTable', () => {
  it('names the table by its caption, heads each column and names each row by its row header', () => {
    const html = render({});
    expect(html).toContain('<caption class="visually-hidden">People</caption>');
    expect(html).toContain('<th scope="col">Name</th>');
    expect(html).toContain('<th scope="col"><span class="visually-hidden">Actions</span></th>');
    expect(html).toContain('<th scope="row">Ana</th><td>ana@example.com</td>');
    expect(html.match(/<tr>/g)).toHaveLength(3);
  });

  it('marks the sorted column with aria-sort and offers sort buttons only when it can sort', () => {
    const html = render({ sort: { column: 'email', direction: 'desc' }, onSort: () => undefined });
    expect(html).toContain('<th scope="col" aria-sort="descending"><button type="button" class="sort-button">E-mail');
    expect(html).toContain('<th scope="col"><button type="button" class="sort-button">Name');
    expect(render({ sort: { column: 'email', direction: 'asc' } })).not.toContain('sort-button');
  });

  it('puts summing-up rows in the footer, with the same columns and a row header', () => {
    const html = render({ footer: [{ id: 'all', name: 'Everyone', email: '2 people' }] });
    expect(html).toContain('<tfoot><tr><th scope="row">Everyone</th><td>2 people</td>');
    expect(html.indexOf('<tfoot>')).toBeGreaterThan(html.indexOf('</tbody>'));
    expect(render({})).not.toContain('<tfoot>');
  });

  it('says it is empty instead of drawing an empty table', () => {
    const html = render({ rows: [] });
    expect(html).toContain('Nobody yet.');
    expect(html).not.toContain('<table');
  });
});

describe('nextSort', () => {
  it('turns the sorted column around, and starts another column ascending', () => {
    expect(nextSort({ column: 'name', direction: 'asc' }, 'name')).toEqual({ column: 'name', direction: 'desc' });
    expect(nextSort({ column: 'name', direction: 'desc' }, 'name')).toEqual({ column: 'name', direction: 'asc' });
    expect(nextSort({ column: 'name', direction: 'desc' }, 'email')).toEqual({ column: 'email', direction: 'asc' });
    expect(nextSort(undefined, 'email')).toEqual({ column: 'email', direction: 'asc' });
  });
});
