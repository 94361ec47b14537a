// The demo's fixed world: the operation types a user can start, the workspaces and tenants they run in,
// and the people who start them. The page lists runs per scope (the store contract has no "all scopes"
// query), so the scopes are a known set rather than free text.

export const OPERATIONS = [
  { type: 'inventory.sync', label: 'Inventory sync', description: 'Pull devices and apps from the tenant', glyph: '⟳' },
  { type: 'policy.backup', label: 'Policy backup', description: 'Snapshot every policy as a restorable version', glyph: '⛁' },
  { type: 'directory.import', label: 'Directory import', description: 'Import users and groups from the directory', glyph: '⇣' },
  { type: 'report.export', label: 'Report export', description: 'Render the compliance report as a file', glyph: '⇪' },
];

/** Engine labels, so toasts and notifications read "Directory import failed", not the raw type. */
export const LABELS = Object.fromEntries(OPERATIONS.map((o) => [o.type, o.label]));

export const WORKSPACES = [
  { id: 1, name: 'Acme Corp' },
  { id: 2, name: 'Globex' },
];

export const TENANTS = [
  { id: 'contoso', name: 'Contoso' },
  { id: 'fabrikam', name: 'Fabrikam' },
  { id: 'northwind', name: 'Northwind' },
];

export const USERS = [
  { id: 7, name: 'Ada Lovelace' },
  { id: 8, name: 'Grace Hopper' },
];

/** Every scope the page lists runs and notifications in. */
export const SCOPES = WORKSPACES.flatMap((w) => TENANTS.map((t) => ({ workspace_id: w.id, tenant_id: t.id })));

export const workspaceName = (id) => WORKSPACES.find((w) => w.id === id)?.name ?? `Workspace ${id}`;
export const tenantName = (id) => TENANTS.find((t) => t.id === id)?.name ?? String(id);
export const userName = (id) => (id === null ? 'System' : (USERS.find((u) => u.id === id)?.name ?? `User ${id}`));
export const operationLabel = (type) => LABELS[type] ?? type;
