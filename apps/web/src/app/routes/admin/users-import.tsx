import { PeopleImportPage } from '@/features/people/components/people-import-page';

export { PeopleImportPage as Component };
