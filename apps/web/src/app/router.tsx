import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { AppLayout } from '@/components/layout/app-layout';
import { paths } from '@/config/paths';
import { ProtectedRoute } from '@/lib/auth';

// Route modules load on demand, so the login page does not ship the rest of the app.
const router = createBrowserRouter([
  { path: paths.auth.login.path, lazy: () => import('./routes/login') },
  {
    path: paths.home.path,
    element: (
      <ProtectedRoute>
        <AppLayout />
      </ProtectedRoute>
    ),
    children: [{ index: true, lazy: () => import('./routes/home') }],
  },
  { path: '*', lazy: () => import('./routes/not-found') },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
