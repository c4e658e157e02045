/**
 * Every query key of the app, from one factory. Keys nest by what a change makes stale: invalidating a prefix
 * (`queryKeys.groups.all`) refreshes everything below it, so a member change in a group also refreshes its observers.
 */
export const queryKeys = {
  auth: {
    methods: () => ['auth', 'methods'] as const,
    link: (token: string) => ['auth', 'link', token] as const,
  },
  me: {
    all: ['me'] as const,
    /** The signed-in person; also the prefix of everything below, which a change of profile makes stale. */
    profile: () => ['me'] as const,
    groups: () => ['me', 'groups'] as const,
    programs: () => ['me', 'programs'] as const,
    documents: () => ['me', 'documents'] as const,
    stats: () => ['me', 'stats'] as const,
    digest: () => ['me', 'digest'] as const,
    notifications: () => ['me', 'notifications'] as const,
  },
  groups: {
    all: ['groups'] as const,
    /** `parentId: 'root'` for the top-level groups. */
    children: (parentId: string) => ['groups', 'children', parentId] as const,
    detail: (groupId: string) => ['groups', groupId] as const,
    members: (groupId: string) => ['groups', groupId, 'members'] as const,
    // Under the members key, so a membership change in the group (which invalidates it) refreshes the list too.
    observers: (groupId: string) => ['groups', groupId, 'members', 'observers'] as const,
    programs: (groupId: string) => ['groups', groupId, 'programs'] as const,
    rules: (groupId: string) => ['groups', groupId, 'rules'] as const,
  },
  programs: {
    all: ['programs'] as const,
    list: (status?: string) => (status ? (['programs', 'list', status] as const) : (['programs', 'list'] as const)),
    detail: (programId: string) => ['programs', programId] as const,
  },
  posts: {
    all: ['posts'] as const,
    /** `source`: `['feed']`, `['group', id]` or `['program', id]`. */
    list: (source: readonly string[]) => ['posts', 'list', ...source] as const,
    comments: (postId: string) => ['posts', 'comments', postId] as const,
  },
  /** An attachment's image, as an object URL (it never changes). */
  attachments: { image: (url: string) => ['attachments', url] as const },
  users: {
    all: ['users'] as const,
    list: (filter: object) => ['users', filter] as const,
    /** The people screen's list, page after page ("load more"). */
    pages: (filter: object) => ['users', 'pages', filter] as const,
  },
  imports: {
    people: (id: string) => ['imports', 'people', id] as const,
    rows: (id: string, outcome?: string) => ['imports', 'people', id, 'rows', outcome ?? 'all'] as const,
  },
  bulk: { operation: (id: string) => ['bulk', id] as const },
  stats: {
    group: (groupId: string) => ['stats', 'group', groupId] as const,
    learners: (groupId: string, filter: object) => ['stats', 'group', groupId, 'learners', filter] as const,
  },
  dashboard: {
    observedGroups: () => ['dashboard', 'groups', 'observed'] as const,
    allGroups: () => ['dashboard', 'groups', 'all'] as const,
  },
  admin: {
    mailbox: (to: string) => ['admin', 'mailbox', to] as const,
    workspace: () => ['admin', 'workspace'] as const,
  },
  integrations: {
    clients: () => ['integrations', 'clients'] as const,
    scimTokens: () => ['integrations', 'scim-tokens'] as const,
  },
  webhooks: {
    all: ['webhooks'] as const,
    deliveries: (webhookId: string) => ['webhooks', webhookId, 'deliveries'] as const,
  },
};
