// Every in-app link goes through here so a route change is one edit and a typo is a type error.
export const paths = {
  home: {
    path: '/',
    getHref: () => '/',
  },
  auth: {
    login: {
      path: '/login',
      getHref: (redirectTo?: string | null) =>
        `/login${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`,
    },
    forgotPassword: { path: '/forgot-password', getHref: () => '/forgot-password' },
    // The links in e-mails carry their token in the fragment (see features/auth/utils/link-fragment.ts).
    resetPassword: { path: '/reset-password', getHref: () => '/reset-password' },
    invite: { path: '/invite', getHref: () => '/invite' },
    /** Where the API lands a single sign-on, with the session to pick up in the fragment. */
    sso: { path: '/auth/sso', getHref: () => '/auth/sso' },
  },
  group: {
    path: '/groups/:groupId',
    getHref: (groupId: string) => `/groups/${encodeURIComponent(groupId)}`,
  },
  program: {
    path: '/programs/:programId',
    getHref: (programId: string) => `/programs/${encodeURIComponent(programId)}`,
  },
  profile: {
    path: '/profile',
    getHref: () => '/profile',
  },
  notifications: {
    path: '/notifications',
    getHref: () => '/notifications',
  },
  dashboard: {
    path: '/dashboard',
    getHref: (groupId?: string) => `/dashboard${groupId ? `?group=${encodeURIComponent(groupId)}` : ''}`,
  },
  admin: {
    root: { path: '/admin', getHref: () => '/admin' },
    groups: { path: '/admin/groups', getHref: () => '/admin/groups' },
    newGroup: {
      path: '/admin/groups/new',
      getHref: (parentId?: string) => `/admin/groups/new${parentId ? `?parentId=${encodeURIComponent(parentId)}` : ''}`,
    },
    group: { path: '/admin/groups/:groupId', getHref: (groupId: string) => `/admin/groups/${encodeURIComponent(groupId)}` },
    programs: { path: '/admin/programs', getHref: () => '/admin/programs' },
    newProgram: { path: '/admin/programs/new', getHref: () => '/admin/programs/new' },
    program: {
      path: '/admin/programs/:programId',
      getHref: (programId: string) => `/admin/programs/${encodeURIComponent(programId)}`,
    },
    users: { path: '/admin/users', getHref: () => '/admin/users' },
    importUsers: { path: '/admin/users/import', getHref: () => '/admin/users/import' },
    rules: { path: '/admin/rules', getHref: () => '/admin/rules' },
    settings: { path: '/admin/settings', getHref: () => '/admin/settings' },
    integrations: { path: '/admin/integrations', getHref: () => '/admin/integrations' },
    mailbox: { path: '/admin/mailbox', getHref: () => '/admin/mailbox' },
  },
} as const;
