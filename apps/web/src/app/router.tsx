import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router-dom';
import { paths } from '@/config/paths';
import { ProtectedRoute } from '@/lib/auth';
// The learner home is where most visits land: its code is in the entry chunk (one request, no waterfall of lazy
// chunks after the entry has run); every other route loads on demand.
import { Component as Home } from './routes/app/home';
import { homeLoader } from './routes/app/home-data';
import { AppRoot } from './routes/app/root';

/**
 * What shows while the first route's code loads (react-router renders nothing otherwise): the same status line as
 * index.html's shell and the signed-in frame's loading state, so the first paint does not wait for that code.
 */
const loading = (
  <p className="page-status" role="status">
    …
  </p>
);

// Route modules load on demand (the home excepted, above), so the sign-in page does not ship the rest of the app.
const routes: RouteObject[] = [
  { path: paths.auth.login.path, lazy: () => import('./routes/login') },
  // Public too: the links in e-mails, and the landing of a single sign-on.
  { path: paths.auth.forgotPassword.path, lazy: () => import('./routes/forgot-password') },
  { path: paths.auth.resetPassword.path, lazy: () => import('./routes/reset-password') },
  { path: paths.auth.invite.path, lazy: () => import('./routes/invite') },
  { path: paths.auth.sso.path, lazy: () => import('./routes/auth-sso') },
  {
    path: paths.home.path,
    element: (
      <ProtectedRoute>
        <AppRoot />
      </ProtectedRoute>
    ),
    children: [
      { index: true, loader: homeLoader, Component: Home },
      { path: paths.group.path, lazy: () => import('./routes/app/group') },
      { path: paths.program.path, lazy: () => import('./routes/app/program') },
      { path: paths.notifications.path, lazy: () => import('./routes/app/notifications') },
      { path: paths.profile.path, lazy: () => import('./routes/app/profile') },
      { path: paths.dashboard.path, lazy: () => import('./routes/app/dashboard') },
      {
        path: paths.admin.root.path,
        lazy: () => import('./routes/admin/root'),
        children: [
          { index: true, lazy: () => import('./routes/admin/index') },
          { path: paths.admin.groups.path, lazy: () => import('./routes/admin/groups') },
          // `groupAdmin`: group admins reach these too, for the groups they manage (see routes/admin/root).
          {
            path: paths.admin.newGroup.path,
            handle: { groupAdmin: true },
            lazy: () => import('./routes/admin/group-new'),
          },
          {
            path: paths.admin.group.path,
            handle: { groupAdmin: true },
            lazy: () => import('./routes/admin/group-edit'),
          },
          { path: paths.admin.programs.path, lazy: () => import('./routes/admin/programs') },
          { path: paths.admin.newProgram.path, lazy: () => import('./routes/admin/program-new') },
          { path: paths.admin.program.path, lazy: () => import('./routes/admin/program-edit') },
          { path: paths.admin.users.path, lazy: () => import('./routes/admin/users') },
          { path: paths.admin.importUsers.path, lazy: () => import('./routes/admin/users-import') },
          { path: paths.admin.rules.path, lazy: () => import('./routes/admin/rules') },
          { path: paths.admin.settings.path, lazy: () => import('./routes/admin/settings') },
          { path: paths.admin.integrations.path, lazy: () => import('./routes/admin/integrations') },
          { path: paths.admin.mailbox.path, lazy: () => import('./routes/admin/mailbox') },
        ],
      },
      { path: '*', lazy: () => import('./routes/app/not-found') },
    ],
  },
  { path: '*', lazy: () => import('./routes/not-found') },
];
type Router = ReturnType<typeof createBrowserRouter>;

/** Creates the app's router, which starts the first route's loader (the home page's requests) at once. */
export function createAppRouter(): Router {
  return createBrowserRouter(routes.map((route) => ({ ...route, hydrateFallbackElement: loading })));
}

export function AppRouter({ router }: { router: Router }) {
  return <RouterProvider router={router} />;
}
