import { UsersPage } from '@/features/people/components/users-page';

export { UsersPage as Component };
