import type { ReactNode } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from './query-state';

export type SortDirection = 'asc' | 'desc';
export type TableSort<Id extends string = string> = { column: Id; direction: SortDirection };

export type Column<Row, Id extends string = string> = {
  id: Id;
  header: ReactNode;
  /** The header is said to screen readers only (a column of actions or check boxes speaks for itself). */
  hideHeader?: boolean;
  cell: (row: Row) => ReactNode;
  /** The cell that names the row (`<th scope="row">`), which screen readers announce with every other cell. */
  rowHeader?: boolean;
  /** Offered as a sort button when the table has `onSort`. */
  sortable?: boolean;
  /** Left out on a phone, so the key columns stay readable without scrolling sideways. */
  phoneHidden?: boolean;
};

type Props<Row, Id extends string> = {
  /** What the table holds: its accessible name, shown when `showCaption`. */
  caption: string;
  showCaption?: boolean;
  columns: readonly Column<Row, Id>[];
  /** Undefined while the first answer is awaited: a skeleton shows. Rows already shown stay during a refetch. */
  rows: readonly Row[] | undefined;
  rowKey: (row: Row) => string;
  /** Said instead of an empty table. */
  empty: string;
  error?: unknown;
  onRetry?: () => void;
  loadingLines?: number;
  /** The order the rows come in (sorted by the caller, often the API); a sortable header toggles it. */
  sort?: TableSort<Id>;
  onSort?: (sort: TableSort<Id>) => void;
  /** Rows that sum up the others (a total, the whole group), in the table's footer with the same columns. */
  footer?: readonly Row[];
};

const ariaSort = (direction: SortDirection) => (direction === 'asc' ? 'ascending' : 'descending');

/** Toggles ascending and descending on the sorted column; another column starts ascending. */
export const nextSort = <Id extends string>(current: TableSort<Id> | undefined, column: Id): TableSort<Id> => ({
  column,
  direction: current?.column === column && current.direction === 'asc' ? 'desc' : 'asc',
});

/**
 * The one table of the app: a caption, column headers with `aria-sort` and sort buttons, a row header per row,
 * and the loading, error and empty states said the same way everywhere.
 */
export function DataTable<Row, Id extends string = string>({
  caption,
  showCaption = false,
  columns,
  rows,
  rowKey,
  empty,
  error,
  onRetry,
  loadingLines = 3,
  sort,
  onSort,
  footer,
}: Props<Row, Id>) {
  if (error !== undefined && error !== null && !rows?.length) return <ErrorNotice error={error} onRetry={onRetry} />;
  if (rows === undefined) return <Skeleton lines={loadingLines} />;
  if (rows.length === 0) return <EmptyState title={empty} />;
  const renderRow = (row: Row) => (
    <tr key={rowKey(row)}>
      {columns.map((column) =>
        column.rowHeader ? (
          <th key={column.id} scope="row" className={column.phoneHidden ? 'phone-hidden' : undefined}>
            {column.cell(row)}
          </th>
        ) : (
          <td key={column.id} className={column.phoneHidden ? 'phone-hidden' : undefined}>
            {column.cell(row)}
          </td>
        ),
      )}
    </tr>
  );
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className={showCaption ? 'table-caption' : 'visually-hidden'}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const sorted = sort?.column === column.id ? sort.direction : undefined;
              const label = column.hideHeader ? (
                <span className="visually-hidden">{column.header}</span>
              ) : (
                column.header
              );
              return (
                <th
                  key={column.id}
                  scope="col"
                  aria-sort={sorted ? ariaSort(sorted) : undefined}
                  className={column.phoneHidden ? 'phone-hidden' : undefined}
                >
                  {column.sortable && onSort ? (
                    <button type="button" className="sort-button" onClick={() => onSort(nextSort(sort, column.id))}>
                      {label}
                      <span aria-hidden="true">{sorted ? (sorted === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  ) : (
                    label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{rows.map((row) => renderRow(row))}</tbody>
        {footer?.length ? <tfoot>{footer.map((row) => renderRow(row))}</tfoot> : null}
      </table>
    </div>
  );
}
