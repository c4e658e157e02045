import { GroupTree } from '@/features/admin/components/group-tree';

export { GroupTree as Component };
