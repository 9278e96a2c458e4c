export function Dashboard() {
  return <h1>Dashboard</h1>;
}

export function Users() {
  return <h1>Users</h1>;
}

export function AuditLog() {
  return <h1>Audit log</h1>;
}

export function Settings() {
  return <h1>Settings</h1>;
}

export function Billing() {
  return <h1>Billing</h1>;
}

export function NotFound() {
  return <h1>Page not found</h1>;
}
