import { InvitePage } from '@/features/auth/components/link-page';

export { InvitePage as Component };
