import type { Group } from '@covey/schema';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { CopyValue } from '@/components/ui/copy-value';
import { NotFoundScreen } from '@/components/ui/not-found-screen';
import { ErrorNotice, SavedNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { isNotFound } from '@/lib/errors';
import { useT } from '@/lib/i18n';
import { useCreateGroup } from '../api/create-group';
import { useGroup } from '../api/get-group';
import type { GroupImageKind } from '../api/group-images';
import { useUpdateGroup } from '../api/update-group';
import { subtreeIds, useAdminScope, type AdminScope } from '../api/admin-scope';
import { BrandingUploads } from './branding-uploads';
import { DeleteGroupButton } from './delete-group-button';
import { GroupForm, groupFormValues, type GroupFormValues, type ParentChoice, newGroupColors, patchColors } from './group-form';
import { MemberManager } from './member-manager';
import { Subgroups } from './subgroups';

const toBody = (v: GroupFormValues, initial?: GroupFormValues) => ({
  name: v.name,
  description: v.description,
  // Sent only when it changes: a move is checked (and allowed) differently from an edit.
  ...(!initial || v.parentId !== initial.parentId ? { parentId: v.parentId || null } : {}),
  welcomeMessage: v.welcomeMessage,
});

/** What a group placed under `parentId` inherits: the parent's own branding as shown (null at the top or unknown). */
const parentBranding = (scope: AdminScope, parentId: string) =>
  parentId ? (scope.groups.find((g) => g.id === parentId)?.branding ?? null) : null;

/** Workspace admins place a group anywhere; group admins only inside the subtrees they manage. */
function parentChoice(scope: AdminScope, group?: Group): ParentChoice {
  const excluded = group ? subtreeIds(scope.groups, group.id) : new Set<string>();
  if (scope.workspaceAdmin) return { allowTopLevel: true, exclude: (id) => excluded.has(id) };
  // The group a person was made admin of stays where it is: moving it takes an admin of its parent too.
  if (group && !(group.parentId && scope.canManage(group.parentId))) return null;
  // The search lists every group they see (observed ones too): only the ones they manage may be the parent.
  return { allowTopLevel: false, exclude: (id) => excluded.has(id) || !scope.canManage(id) };
}

export function NewGroup({ parentId }: { parentId: string | null }) {
  const t = useT();
  const navigate = useNavigate();
  const create = useCreateGroup();
  const { isPending, scope } = useAdminScope();
  if (isPending) return <Skeleton lines={6} />;
  const initialParent = parentId && scope.canManage(parentId) ? parentId : null;
  return (
    <div className="stack">
      <h1>{t('admin.newGroup')}</h1>
      <GroupForm
        initial={groupFormValues(undefined, initialParent)}
        parents={parentChoice(scope)}
        submitLabel={t('admin.createGroup')}
        inheritedFor={(parentId) => parentBranding(scope, parentId)}
        isPending={create.isPending}
        error={create.error}
        onSubmit={(values) =>
          create.mutate({ ...toBody(values), colors: newGroupColors(values) }, {
            // Branding, members and programs need the group's id, so they are set on the editor page.
            onSuccess: (group) => void navigate(paths.admin.group.getHref(group.id), { replace: true }),
          })
        }
      />
    </div>
  );
}

type GroupEditorProps = {
  groupId: string;
  /** The programs reaching the group: another feature's panel, composed by the route (features do not import each other). */
  programs: (group: Group, scope: AdminScope) => ReactNode;
};

export function GroupEditor({ groupId, programs }: GroupEditorProps) {
  const t = useT();
  const navigate = useNavigate();
  const { isPending, scope } = useAdminScope();
  const group = useGroup(groupId);
  const update = useUpdateGroup(groupId);
  // An image picked (a local URL) or removed (null) shows in the preview before the group reloads.
  const [previews, setPreviews] = useState<Partial<Record<GroupImageKind, string | null>>>({});

  if (group.isPending || isPending) return <Skeleton lines={6} />;
  // Someone who may see the group but not manage it gets the same answer as for a group that does not exist.
  if ((group.isError && isNotFound(group.error)) || !scope.canManage(groupId)) {
    return <NotFoundScreen title={t('groups.notFound')} />;
  }
  if (group.isError) return <ErrorNotice error={group.error} />;
  const initial = groupFormValues(group.data);
  const inheritedImage = (kind: GroupImageKind) =>
    (kind === 'logo' ? group.data.inheritedBranding.logoUrl : group.data.inheritedBranding.backgroundUrl)?.value ?? null;
  // The group's own image, else (none, or just removed) the one it inherits.
  const imageUrl = (kind: GroupImageKind) =>
    (kind in previews ? previews[kind] : kind === 'logo' ? group.data.logoUrl : group.data.backgroundUrl) ?? inheritedImage(kind);
  const canDelete = scope.workspaceAdmin || (group.data.parentId !== null && scope.canManage(group.data.parentId));
  return (
    <div className="stack">
      <div className="page-title-row">
        <h1>{t('admin.editGroup', { name: group.data.name })}</h1>
        <Link to={paths.group.getHref(groupId)} className="button">
          {t('admin.openSpace')}
        </Link>
      </div>
      <div className="card ids-card">
        <CopyValue label={t('groups.ids.id')} value={group.data.id} />
        {group.data.externalId ? (
          <CopyValue label={t('groups.ids.externalId')} value={group.data.externalId} />
        ) : (
          <p className="muted small">{t('groups.ids.noExternalId')}</p>
        )}
      </div>
      <SavedNotice saved={update.isSuccess} />
      <GroupForm
        key={group.data.updatedAt}
        initial={initial}
        parents={parentChoice(scope, group.data)}
        submitLabel={t('common.save')}
        isPending={update.isPending}
        error={update.error}
        onSubmit={(values) => update.mutate({ ...toBody(values, initial), colors: patchColors(values) })}
        inheritedFor={(parentId) =>
          parentId === (group.data.parentId ?? '') ? group.data.inheritedBranding : parentBranding(scope, parentId)
        }
        logoUrl={imageUrl('logo')}
        backgroundUrl={imageUrl('background')}
      />
      <BrandingUploads group={group.data} onPreview={(kind, url) => setPreviews((p) => ({ ...p, [kind]: url }))} />
      <MemberManager group={group.data} canSearchPeople={scope.workspaceAdmin} />
      <Subgroups group={group.data} scope={scope} />
      {programs(group.data, scope)}
      {canDelete && (
        <DeleteGroupButton
          group={group.data}
          onDeleted={() =>
            void navigate(
              group.data.parentId && !scope.workspaceAdmin
                ? paths.admin.group.getHref(group.data.parentId)
                : paths.admin.groups.getHref(),
              { replace: true },
            )
          }
        />
      )}
    </div>
  );
}
