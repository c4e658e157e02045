import { ResetPasswordPage } from '@/features/auth/components/link-page';

export { ResetPasswordPage as Component };
