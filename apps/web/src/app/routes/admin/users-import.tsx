import { UsersImportPage } from '@/features/admin/components/users-import-page';

export { UsersImportPage as Component };
