import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, Outlet, NavLink } from 'react-router-dom';
import { Dashboard, Users, AuditLog, NotFound } from './pages';

type Role = 'viewer' | 'operator' | 'admin';

export interface AppRoute {
  path: string;
  title: string;
  element: ComponentType;
  minRole: Role;
  showInMenu: boolean;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const appRoutes: AppRoute[] = [
  { path: '/', title: 'Dashboard', element: Dashboard, minRole: 'viewer', showInMenu: true },
  { path: '/users', title: 'Users', element: Users, minRole: 'operator', showInMenu: true },
  { path: '/audit', title: 'Audit log', element: AuditLog, minRole: 'admin', showInMenu: true },
  // settings and billing are set up the same way
];

const Reports = lazy(() => import('./reports'));

function Guard({ role, minRole, children }: { role: Role; minRole: Role; children: ReactNode }) {
  if (RANK[role] < RANK[minRole]) return <Navigate to="/" replace />;
  return <>{children}</>;
}

function Layout({ role }: { role: Role }) {
  const items = appRoutes.filter((r) => r.showInMenu && RANK[role] >= RANK[r.minRole]);
  return (
    <div className="layout">
      <nav>
        {items.map((r) => (
          <NavLink key={r.path} to={r.path} end={r.path === '/'}>
            {r.title}
          </NavLink>
        ))}
        <NavLink to="/reports">Reports</NavLink>
      </nav>
      <main>
        <Suspense fallback={<p>Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

export function buildRouter(role: Role) {
  return createBrowserRouter([
    {
      element: <Layout role={role} />,
      children: [
        ...appRoutes.map((r) => ({
          path: r.path,
          element: (
            <Guard role={role} minRole={r.minRole}>
              <r.element />
            </Guard>
          ),
        })),
        { path: '/reports', element: <Reports /> },
        { path: '*', element: <NotFound /> },
      ],
    },
  ]);
}
