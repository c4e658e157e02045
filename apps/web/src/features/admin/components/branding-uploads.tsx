import type { Group } from '@covey/schema';
import { useEffect, useId, useState } from 'react';
import { ErrorNotice } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useUploadGroupImage, type GroupImageKind } from '../api/groups';

type Props = { group: Group; onPreview: (kind: GroupImageKind, url: string | null) => void };

function ImageInput({ group, kind, onPreview }: Props & { kind: GroupImageKind }) {
  const t = useT();
  const id = useId();
  const upload = useUploadGroupImage(group.id);
  const [localUrl, setLocalUrl] = useState<string | null>(null);

  // Object URLs hold the file in memory until revoked.
  useEffect(() => () => (localUrl ? URL.revokeObjectURL(localUrl) : undefined), [localUrl]);

  const current = localUrl ?? (kind === 'logo' ? group.logoUrl : group.backgroundUrl);
  return (
    <div className="field">
      <label htmlFor={id}>{kind === 'logo' ? t('admin.logo') : t('admin.background')}</label>
      <input
        id={id}
        type="file"
        accept="image/png,image/jpeg,image/webp,image/gif"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          const url = URL.createObjectURL(file);
          setLocalUrl(url);
          onPreview(kind, url);
          upload.mutate({ kind, file });
        }}
      />
      {current && <img src={current} alt="" className={`upload-thumb upload-${kind}`} />}
      <span role="status" className="muted small">
        {upload.isPending ? t('admin.uploading') : upload.isSuccess ? t('admin.uploaded') : ''}
      </span>
      {upload.isError && <ErrorNotice error={upload.error} />}
    </div>
  );
}

export function BrandingUploads(props: Props) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="branding-heading">
      <h2 id="branding-heading">{t('admin.branding')}</h2>
      <div className="field-row">
        <ImageInput {...props} kind="logo" />
        <ImageInput {...props} kind="background" />
      </div>
    </section>
  );
}
