import { ErrorNotice } from '@/components/ui/query-state';
import { formatSize } from '@/lib/format';
import { useI18n } from '@/lib/i18n';
import { usePendingAction } from '@/lib/use-pending-action';
import { downloadAttachment, isImage, useAttachmentImage, type Attachment } from '../api/attachments';

function AttachedImage({ attachment }: { attachment: Attachment }) {
  const { t } = useI18n();
  const image = useAttachmentImage(attachment.url);
  if (image.isError) return <ErrorNotice error={image.error} onRetry={() => void image.refetch()} />;
  // The box keeps its place while the image loads, so the post does not jump.
  if (!image.data) return <span className="attachment-image attachment-image-loading" aria-hidden="true" />;
  return <img src={image.data} alt={attachment.name ?? t('posts.attachedImage')} className="attachment-image" />;
}

function AttachedFile({ attachment }: { attachment: Attachment }) {
  const { t, locale } = useI18n();
  const download = usePendingAction();
  return (
    <>
      <button
        type="button"
        className="link-button attachment-file"
        onClick={() => void download.run(attachment.id, () => downloadAttachment(attachment))}
        disabled={download.running !== null}
      >
        <span aria-hidden="true">📄 </span>
        {attachment.name ?? t('posts.attachment')}
        <span className="muted small"> (PDF, {formatSize(attachment.size, locale)})</span>
      </button>
      {download.error != null && <ErrorNotice error={download.error} />}
    </>
  );
}

/** A post's attachments: images shown in the post, PDFs as links that download them. */
export function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  const { t } = useI18n();
  if (attachments.length === 0) return null;
  return (
    <ul className="attachments" aria-label={t('posts.attachments')}>
      {attachments.map((a) => (
        <li key={a.id}>{isImage(a) ? <AttachedImage attachment={a} /> : <AttachedFile attachment={a} />}</li>
      ))}
    </ul>
  );
}
