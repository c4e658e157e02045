import type { Group } from '@covey/schema';
import { useEffect, useId, useRef, useState } from 'react';
import { ErrorNotice } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useClearGroupImage, useUploadGroupImage, type GroupImageKind } from '../api/group-images';

type Props = { group: Group; onPreview: (kind: GroupImageKind, url: string | null) => void };

function ImageInput({ group, kind, onPreview }: Props & { kind: GroupImageKind }) {
  const t = useT();
  const id = useId();
  const upload = useUploadGroupImage(group.id);
  const clear = useClearGroupImage(group.id);
  const input = useRef<HTMLInputElement>(null);
  const [localUrl, setLocalUrl] = useState<string | null>(null);

  // Object URLs hold the file in memory until revoked.
  useEffect(() => () => (localUrl ? URL.revokeObjectURL(localUrl) : undefined), [localUrl]);

  const current = localUrl ?? (kind === 'logo' ? group.logoUrl : group.backgroundUrl);
  const label = kind === 'logo' ? t('admin.logo') : t('admin.background');
  const inherited = kind === 'logo' ? group.inheritedBranding.logoUrl : group.inheritedBranding.backgroundUrl;
  const remove = () => {
    upload.reset();
    clear.mutate(kind, {
      onSuccess: () => {
        setLocalUrl(null);
        onPreview(kind, null);
        if (input.current) input.current.value = '';
      },
    });
  };
  const status = upload.isPending
    ? t('admin.uploading')
    : clear.isPending
      ? t('admin.removingImage')
      : upload.isSuccess
        ? t('admin.uploaded')
        : clear.isSuccess
          ? t('admin.imageRemoved')
          : '';
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={input}
        id={id}
        type="file"
        accept="image/png,image/jpeg,image/webp,image/gif"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          const url = URL.createObjectURL(file);
          setLocalUrl(url);
          onPreview(kind, url);
          clear.reset();
          upload.mutate({ kind, file });
        }}
      />
      {current && <img src={current} alt="" className={`upload-thumb upload-${kind}`} />}
      {!current && inherited && (
        <span className="muted small">{t('groups.branding.imageInheritedFrom', { name: inherited.from.name })}</span>
      )}
      {current && (
        <button type="button" className="link-button" disabled={clear.isPending || upload.isPending} onClick={remove}>
          {kind === 'logo' ? t('admin.removeLogo') : t('admin.removeBackground')}
        </button>
      )}
      <span role="status" className="muted small">
        {status}
      </span>
      {upload.isError && <ErrorNotice error={upload.error} />}
      {clear.isError && <ErrorNotice error={clear.error} />}
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
