import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { NotFoundScreen } from '@/components/ui/not-found-screen';
import { ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { isNotFound } from '@/lib/errors';
import { useT } from '@/lib/i18n';
import { useAdminGroup, useCreateGroup, useUpdateGroup } from '../api/groups';
import { BrandingUploads } from './branding-uploads';
import { GroupForm, groupFormValues, type GroupFormValues } from './group-form';
import { GroupPrograms } from './group-programs';
import { MemberManager } from './member-manager';

const toBody = (v: GroupFormValues) => ({
  name: v.name,
  description: v.description,
  parentId: v.parentId || null,
  welcomeMessage: v.welcomeMessage,
  colors: { primary: v.primary, accent: v.accent },
});

export function NewGroup({ parentId }: { parentId: string | null }) {
  const t = useT();
  const navigate = useNavigate();
  const create = useCreateGroup();
  return (
    <div className="stack">
      <h1>{t('admin.newGroup')}</h1>
      <GroupForm
        initial={groupFormValues(undefined, parentId)}
        submitLabel={t('admin.createGroup')}
        isPending={create.isPending}
        error={create.error}
        onSubmit={(values) =>
          create.mutate(toBody(values), {
            // Branding, members and programs need the group's id, so they are set on the editor page.
            onSuccess: (group) => void navigate(paths.admin.group.getHref(group.id), { replace: true }),
          })
        }
      />
    </div>
  );
}

export function GroupEditor({ groupId }: { groupId: string }) {
  const t = useT();
  const group = useAdminGroup(groupId);
  const update = useUpdateGroup(groupId);
  const [previews, setPreviews] = useState<{ logo?: string | null; background?: string | null }>({});

  if (group.isPending) return <Skeleton lines={6} />;
  if (group.isError) {
    return isNotFound(group.error) ? <NotFoundScreen title={t('groups.notFound')} /> : <ErrorNotice error={group.error} />;
  }
  return (
    <div className="stack">
      <div className="page-title-row">
        <h1>{t('admin.editGroup', { name: group.data.name })}</h1>
        <Link to={paths.group.getHref(groupId)} className="button">
          {t('admin.openSpace')}
        </Link>
      </div>
      {update.isSuccess && (
        <p role="status" className="notice-success">
          {t('admin.saved')}
        </p>
      )}
      <GroupForm
        key={group.data.updatedAt}
        initial={groupFormValues(group.data)}
        selfId={groupId}
        submitLabel={t('common.save')}
        isPending={update.isPending}
        error={update.error}
        onSubmit={(values) => update.mutate(toBody(values))}
        logoUrl={previews.logo ?? group.data.logoUrl}
        backgroundUrl={previews.background ?? group.data.backgroundUrl}
      />
      <BrandingUploads group={group.data} onPreview={(kind, url) => setPreviews((p) => ({ ...p, [kind]: url }))} />
      <MemberManager groupId={groupId} />
      <GroupPrograms groupId={groupId} />
    </div>
  );
}
