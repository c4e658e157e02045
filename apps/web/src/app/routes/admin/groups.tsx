import { GroupTree } from '@/features/groups/components/group-tree';

export { GroupTree as Component };
