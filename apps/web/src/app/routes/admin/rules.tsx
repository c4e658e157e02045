import { RulesPage } from '@/features/rules/components/rules-page';

export { RulesPage as Component };
