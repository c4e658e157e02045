import {
  Component as ReactComponent,
  lazy,
  Suspense,
  use,
  type ComponentType,
  type ErrorInfo,
  type ReactNode,
} from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { PageLoading } from '@/components/ui/page-loading';
import { paths } from '@/config/paths';
import { ProtectedRoute } from '@/lib/auth';
import { useT } from '@/lib/i18n';
// The learner home is where most visits land: its code is in the entry chunk (one request, no waterfall of lazy
// chunks after the entry has run); every other route loads on demand.
import { Component as Home } from './routes/app/home';
import { homeReady } from './routes/app/home-data';
import { AppRoot } from './routes/app/root';

/**
 * The routes are declared, not a data router: matching happens while React renders, in the slices of a transition,
 * where the data router's set-up ran as one task before the first render (55–95 ms at Lighthouse's 4x CPU slowdown).
 * The one route with data to wait for, the home page, waits through `use()` (see `homeReady`).
 */

/** A route module loaded on demand (each exports its screen as `Component`). */
const page = (load: () => Promise<{ Component: ComponentType }>) =>
  lazy(() => load().then((module) => ({ default: module.Component })));

const Login = page(() => import('./routes/login'));
const ForgotPassword = page(() => import('./routes/forgot-password'));
const ResetPassword = page(() => import('./routes/reset-password'));
const Invite = page(() => import('./routes/invite'));
const Sso = page(() => import('./routes/auth-sso'));
const Group = page(() => import('./routes/app/group'));
const Program = page(() => import('./routes/app/program'));
const Notifications = page(() => import('./routes/app/notifications'));
const Profile = page(() => import('./routes/app/profile'));
const Dashboard = page(() => import('./routes/app/dashboard'));
const AppNotFound = page(() => import('./routes/app/not-found'));
const NotFound = page(() => import('./routes/not-found'));
const AdminRoot = page(() => import('./routes/admin/root'));
const AdminIndex = page(() => import('./routes/admin/index'));
const AdminGroups = page(() => import('./routes/admin/groups'));
const AdminGroupNew = page(() => import('./routes/admin/group-new'));
const AdminGroupEdit = page(() => import('./routes/admin/group-edit'));
const AdminPrograms = page(() => import('./routes/admin/programs'));
const AdminProgramNew = page(() => import('./routes/admin/program-new'));
const AdminProgramEdit = page(() => import('./routes/admin/program-edit'));
const AdminUsers = page(() => import('./routes/admin/users'));
const AdminUsersImport = page(() => import('./routes/admin/users-import'));
const AdminRules = page(() => import('./routes/admin/rules'));
const AdminSettings = page(() => import('./routes/admin/settings'));
const AdminIntegrations = page(() => import('./routes/admin/integrations'));
const AdminMailbox = page(() => import('./routes/admin/mailbox'));

/** The home page, rendered once its data is in (the first visit only; later ones render from the cache). */
function HomeRoute() {
  use(homeReady());
  return <Home />;
}

function CrashScreen() {
  const t = useT();
  return (
    <p className="page-status" role="alert">
      {t('error.unexpected')}
    </p>
  );
}

/** A screen that throws while rendering shows a message in its place rather than leaving the page blank. */
class CrashBoundary extends ReactComponent<{ children: ReactNode }, { crashed: boolean }> {
  override state = { crashed: false };
  static getDerivedStateFromError() {
    return { crashed: true };
  }
  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }
  override render() {
    return this.state.crashed ? <CrashScreen /> : this.props.children;
  }
}

export function AppRouter() {
  return (
    <BrowserRouter>
      <CrashBoundary>
        <Suspense fallback={<PageLoading />}>
          <Routes>
            <Route path={paths.auth.login.path} element={<Login />} />
            {/* Public too: the links in e-mails, and the landing of a single sign-on. */}
            <Route path={paths.auth.forgotPassword.path} element={<ForgotPassword />} />
            <Route path={paths.auth.resetPassword.path} element={<ResetPassword />} />
            <Route path={paths.auth.invite.path} element={<Invite />} />
            <Route path={paths.auth.sso.path} element={<Sso />} />
            <Route
              path={paths.home.path}
              element={
                <ProtectedRoute>
                  <AppRoot />
                </ProtectedRoute>
              }
            >
              <Route index element={<HomeRoute />} />
              <Route path={paths.group.path} element={<Group />} />
              <Route path={paths.program.path} element={<Program />} />
              <Route path={paths.notifications.path} element={<Notifications />} />
              <Route path={paths.profile.path} element={<Profile />} />
              <Route path={paths.dashboard.path} element={<Dashboard />} />
              <Route path={paths.admin.root.path} element={<AdminRoot />}>
                <Route index element={<AdminIndex />} />
                <Route path={paths.admin.groups.path} element={<AdminGroups />} />
                {/* Group admins reach these two too, for the groups they manage (see routes/admin/root). */}
                <Route path={paths.admin.newGroup.path} element={<AdminGroupNew />} />
                <Route path={paths.admin.group.path} element={<AdminGroupEdit />} />
                <Route path={paths.admin.programs.path} element={<AdminPrograms />} />
                <Route path={paths.admin.newProgram.path} element={<AdminProgramNew />} />
                <Route path={paths.admin.program.path} element={<AdminProgramEdit />} />
                <Route path={paths.admin.users.path} element={<AdminUsers />} />
                <Route path={paths.admin.importUsers.path} element={<AdminUsersImport />} />
                <Route path={paths.admin.rules.path} element={<AdminRules />} />
                <Route path={paths.admin.settings.path} element={<AdminSettings />} />
                <Route path={paths.admin.integrations.path} element={<AdminIntegrations />} />
                <Route path={paths.admin.mailbox.path} element={<AdminMailbox />} />
              </Route>
              <Route path="*" element={<AppNotFound />} />
            </Route>
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </CrashBoundary>
    </BrowserRouter>
  );
}
