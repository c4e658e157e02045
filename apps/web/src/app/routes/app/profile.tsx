import { ProfilePage } from '@/features/me/components/profile-page';

export { ProfilePage as Component };
