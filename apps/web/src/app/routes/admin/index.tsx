import { Navigate } from 'react-router-dom';
import { paths } from '@/config/paths';

export function Component() {
  return <Navigate to={paths.admin.groups.getHref()} replace />;
}
