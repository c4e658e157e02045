import type { Group } from '@covey/schema';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { CopyValue } from '@/components/ui/copy-value';
import { NotFoundScreen } from '@/components/ui/not-found-screen';
import { ErrorNotice, SavedNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { isWorkspaceAdmin, useUser } from '@/lib/auth';
import { isNotFound } from '@/lib/errors';
import { useT } from '@/lib/i18n';
import { useCreateGroup } from '../api/create-group';
import { getGroupQueryOptions, useGroup } from '../api/get-group';
import type { GroupImageKind } from '../api/group-images';
import { useUpdateGroup } from '../api/update-group';
import { parentChoice } from '../api/admin-scope';
import { BrandingUploads } from './branding-uploads';
import { DeleteGroupButton } from './delete-group-button';
import { GroupForm, groupFormValues, type GroupFormValues, newGroupColors, patchColors } from './group-form';
import { MemberManager } from './member-manager';
import { Subgroups } from './subgroups';

const toBody = (v: GroupFormValues, initial?: GroupFormValues) => ({
  name: v.name,
  description: v.description,
  // Sent only when it changes: a move is checked (and allowed) differently from an edit.
  ...(!initial || v.parentId !== initial.parentId ? { parentId: v.parentId || null } : {}),
  welcomeMessage: v.welcomeMessage,
});

export function NewGroup({ parentId }: { parentId: string | null }) {
  const t = useT();
  const navigate = useNavigate();
  const create = useCreateGroup();
  const workspaceAdmin = isWorkspaceAdmin(useUser());
  // The parent asked for (the "add subgroup" link): kept when the person may manage it, as the API says.
  const parent = useQuery({ ...getGroupQueryOptions(parentId ?? ''), enabled: parentId !== null, retry: false });
  if (parentId !== null && parent.isPending) return <Skeleton lines={6} />;
  const initialParent = parentId && parent.data?.canManage ? parentId : null;
  return (
    <div className="stack">
      <h1>{t('admin.newGroup')}</h1>
      <GroupForm
        initial={groupFormValues(undefined, initialParent)}
        parents={parentChoice(workspaceAdmin)}
        submitLabel={t('admin.createGroup')}
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
  programs: (group: Group, workspaceAdmin: boolean) => ReactNode;
};

export function GroupEditor({ groupId, programs }: GroupEditorProps) {
  const t = useT();
  const navigate = useNavigate();
  const workspaceAdmin = isWorkspaceAdmin(useUser());
  const group = useGroup(groupId);
  const update = useUpdateGroup(groupId);
  // An image picked (a local URL) or removed (null) shows in the preview before the group reloads.
  const [previews, setPreviews] = useState<Partial<Record<GroupImageKind, string | null>>>({});

  if (group.isPending) return <Skeleton lines={6} />;
  // Someone who may see the group but not manage it (the API says, `canManage`) gets the same answer as for a group
  // that does not exist.
  if ((group.isError && isNotFound(group.error)) || (group.isSuccess && !group.data.canManage)) {
    return <NotFoundScreen title={t('groups.notFound')} />;
  }
  if (group.isError) return <ErrorNotice error={group.error} />;
  const initial = groupFormValues(group.data);
  const inheritedImage = (kind: GroupImageKind) =>
    (kind === 'logo' ? group.data.inheritedBranding.logoUrl : group.data.inheritedBranding.backgroundUrl)?.value ?? null;
  // The group's own image, else (none, or just removed) the one it inherits.
  const imageUrl = (kind: GroupImageKind) =>
    (kind in previews ? previews[kind] : kind === 'logo' ? group.data.logoUrl : group.data.backgroundUrl) ?? inheritedImage(kind);
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
        parents={parentChoice(workspaceAdmin, group.data)}
        submitLabel={t('common.save')}
        isPending={update.isPending}
        error={update.error}
        onSubmit={(values) => update.mutate({ ...toBody(values, initial), colors: patchColors(values) })}
        inheritedAtStart={group.data.inheritedBranding}
        logoUrl={imageUrl('logo')}
        backgroundUrl={imageUrl('background')}
      />
      <BrandingUploads group={group.data} onPreview={(kind, url) => setPreviews((p) => ({ ...p, [kind]: url }))} />
      <MemberManager group={group.data} canSearchPeople={workspaceAdmin} />
      <Subgroups group={group.data} />
      {programs(group.data, workspaceAdmin)}
      {group.data.canDelete && (
        <DeleteGroupButton
          group={group.data}
          onDeleted={() =>
            void navigate(
              group.data.parentId && !workspaceAdmin
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
