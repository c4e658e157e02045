import { useT } from '@/lib/i18n';
import { ssoStartHref, type SsoMethod } from '../api/identity';

/**
 * One link per single sign-on provider: plain links, as the API answers with a redirect to the provider. They say
 * where to come back to, so a deep link still lands where it pointed.
 */
export function SsoButtons({ providers, redirectTo }: { providers: SsoMethod[]; redirectTo: string }) {
  const t = useT();
  if (providers.length === 0) return null;
  return (
    <ul className="sso-buttons" role="list">
      {providers.map((provider) => (
        <li key={provider.startUrl}>
          <a className="button button-primary sso-button" href={ssoStartHref(provider, redirectTo)}>
            {t('login.ssoWith', { name: provider.name })}
          </a>
        </li>
      ))}
    </ul>
  );
}
