import type { Group, GroupBranding, GroupRole } from '@covey/schema';

export type GroupRow = {
  id: string;
  name: string;
  description: string | null;
  parent_id: string | null;
  external_id: string | null;
  welcome_message: string | null;
  colors: Record<string, string> | null;
  logo_file_id: string | null;
  background_file_id: string | null;
  created_at: Date;
  updated_at: Date;
  member_count: number;
  child_count: number;
  my_roles: GroupRole[] | null;
};

export const fileUrl = (id: string | null) => (id ? `/api/v1/files/${id}` : null);

export const toGroup = (
  g: GroupRow,
  branding: { branding: GroupBranding; inherited: GroupBranding },
  may: { canManage: boolean; canDelete: boolean },
): Group => ({
  id: g.id,
  name: g.name,
  description: g.description,
  parentId: g.parent_id,
  externalId: g.external_id,
  welcomeMessage: g.welcome_message,
  colors: g.colors ?? {},
  logoUrl: fileUrl(g.logo_file_id),
  backgroundUrl: fileUrl(g.background_file_id),
  branding: branding.branding,
  inheritedBranding: branding.inherited,
  memberCount: g.member_count,
  childCount: g.child_count,
  myRoles: g.my_roles ?? [],
  canManage: may.canManage,
  canDelete: may.canDelete,
  createdAt: new Date(g.created_at).toISOString(),
  updatedAt: new Date(g.updated_at).toISOString(),
});
