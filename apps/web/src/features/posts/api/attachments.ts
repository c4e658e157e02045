import type { Post, UploadedAttachment } from '@covey/schema';
import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api, requestBlob, saveBlob } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type Attachment = Post['attachments'][number];
export type { UploadedAttachment };

/** Images and PDFs the API accepts (it re-encodes images to WebP). */
export const ATTACHMENT_TYPES = 'image/jpeg,image/png,image/webp,image/gif,image/avif,application/pdf';
export const MAX_ATTACHMENTS = 10;

export const uploadAttachment = (file: File) => {
  const form = new FormData();
  form.append('file', file, file.name);
  return api.post<UploadedAttachment>('/api/v1/attachments', form);
};

export const useUploadAttachment = () => useMutation({ mutationFn: uploadAttachment });

export const isImage = (attachment: Pick<Attachment, 'contentType'>) => attachment.contentType.startsWith('image/');

// Attachments sit behind the bearer token, so an <img> cannot load them by URL: the bytes come through fetch and
// the image shows from an object URL, kept for the session (an attachment never changes).
export const getAttachmentImageQueryOptions = (url: string) =>
  queryOptions({
    queryKey: queryKeys.attachments.image(url),
    queryFn: async ({ signal }) => URL.createObjectURL((await requestBlob(url, { accept: 'image/*', signal })).blob),
    staleTime: Infinity,
    gcTime: Infinity,
  });

export const useAttachmentImage = (url: string) => useQuery(getAttachmentImageQueryOptions(url));

export async function downloadAttachment(attachment: Attachment): Promise<void> {
  const { blob, filename } = await requestBlob(attachment.url, { accept: attachment.contentType });
  saveBlob(blob, filename ?? attachment.name ?? 'attachment.pdf');
}
