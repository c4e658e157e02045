import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';

/** What a person sees for anything missing or not theirs to see: the API never says which. */
export function NotFoundScreen({ title }: { title?: string }) {
  const t = useT();
  return (
    <div className="card not-found">
      <h1>{title ?? t('notFound.title')}</h1>
      <p className="muted">{t('notFound.body')}</p>
      <p>
        <Link to={paths.home.getHref()}>{t('notFound.back')}</Link>
      </p>
    </div>
  );
}
