import { useId, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { EmptyState, ErrorNotice, Skeleton } from './query-state';

type ListQuery<T> = {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: { items: T[] } | undefined;
  refetch: () => unknown;
};

type Props<T> = {
  title: string;
  /** The page that creates one more (a primary button next to the title). */
  create: { href: string; label: string };
  query: ListQuery<T>;
  emptyTitle: string;
  /** Offer to load again after an error. */
  retry?: boolean;
  /** The list itself, once there are items (`headingId` names it by the card's title). */
  children: (items: T[], headingId: string) => ReactNode;
};

/** An admin page's list (groups, programs): its title and "new" button, then the loading, error or empty state, or the items. */
export function ListCard<T>({ title, create, query, emptyTitle, retry = false, children }: Props<T>) {
  const headingId = useId();
  const items = query.data?.items;
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="page-title-row">
        <h1 id={headingId}>{title}</h1>
        <Link to={create.href} className="button button-primary">
          {create.label}
        </Link>
      </div>
      {query.isPending && <Skeleton lines={3} />}
      {query.isError && <ErrorNotice error={query.error} {...(retry && { onRetry: () => void query.refetch() })} />}
      {items && items.length === 0 && <EmptyState title={emptyTitle} />}
      {items && items.length > 0 && children(items, headingId)}
    </section>
  );
}
