import { SsoPage } from '@/features/auth/components/sso-page';

export { SsoPage as Component };
