import { UsersImportPage } from '@/features/people/components/users-import-page';

export { UsersImportPage as Component };
