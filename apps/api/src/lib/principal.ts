import type { WorkspaceRole } from '@covey/schema';

export type Scope = 'users:read' | 'users:write' | 'groups:read' | 'groups:write' | 'bulk' | 'webhooks';

/** Who is calling: a signed-in person or an integration client. */
export type Principal =
  | { type: 'user'; id: string; role: WorkspaceRole }
  | { type: 'client'; id: string; clientId: string; scopes: Scope[] };

export type UserPrincipal = Extract<Principal, { type: 'user' }>;
