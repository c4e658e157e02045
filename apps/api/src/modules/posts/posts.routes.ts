import { personOf } from '../../plugins/auth.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  attachmentTypes,
  attachmentUploadFormSchema,
  attachmentUploadTypes,
  createPostBodySchema,
  groupRefSchema,
  listPostsQuerySchema,
  page,
  patchPostBodySchema,
  pathId,
  postSchema,
  uploadedAttachmentSchema,
} from '@covey/schema';
import { contentDisposition } from '../../lib/disposition.ts';
import { AppError } from '../../lib/errors.ts';
import { authProblems, fileResponse, multipartBody, problems } from '../../lib/openapi.ts';
import { readUpload } from '../../lib/uploads.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { postsService, type PostPlace } from './posts.service.ts';

const tags = ['feed'];
/** Writing in threads changes no membership: the group facts that readers use stay (plugins/auth.ts). */
const keepsGroupFacts = { keepsGroupFacts: true };
const postParams = z.object({ postId: pathId() });

export const postsRoutes: FastifyPluginAsyncZod = async (app) => {
  const posts = postsService(app);

  const threads: { url: string; params?: z.ZodObject; place: (p: Record<string, string>) => PostPlace; name: string; what: string; who: string }[] = [
    { url: '/feed', place: () => ({ kind: 'feed' }), name: 'Feed', what: 'the public feed', who: 'any signed-in person' },
    { url: '/groups/:group/posts', params: z.object({ group: groupRefSchema }), place: (p) => ({ kind: 'group', ref: p.group! }), name: 'GroupPost', what: 'a group’s private space', who: 'its members, managers and observers' },
    { url: '/programs/:programId/comments', params: z.object({ programId: pathId() }), place: (p) => ({ kind: 'program', id: p.programId! }), name: 'ProgramComment', what: 'a program’s comment thread', who: 'its learners and managers, and the observers of the groups it reaches' },
    { url: '/posts/:postId/comments', params: postParams, place: (p) => ({ kind: 'comments', postId: p.postId! }), name: 'Comment', what: 'the comments of a post', who: 'whoever may read the post' },
  ];

  for (const t of threads) {
    app.get(
      t.url,
      {
        schema: {
          operationId: `list${t.name}s`,
          tags,
          summary: `Read ${t.what}, newest first`,
          description: `The posts of ${t.what}, newest first, cursor-paginated. Readers: ${t.who}; a thread out of reach answers 404.`,
          ...(t.params ? { params: t.params } : {}),
          querystring: listPostsQuerySchema,
          response: { 200: page(postSchema), ...problems(...authProblems, 403, 404) },
        },
      },
      async (request, reply) => pageWithLink(request, reply, await posts.list(personOf(request), t.place(request.params as Record<string, string>), request.query)),
    );
    app.post(
      t.url,
      {
        config: keepsGroupFacts,
        schema: {
          operationId: `create${t.name}`,
          tags,
          summary: `Write in ${t.what} (Markdown; observers and referents are notified per the rules)`,
          description: `Posts in ${t.what} (Markdown, with attachments uploaded first through \`POST /attachments\`); observers and referents are notified per the notification rules. Writers: ${t.who}.`,
          ...(t.params ? { params: t.params } : {}),
          body: createPostBodySchema,
          response: { 201: postSchema, ...problems(...authProblems, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const post = await posts.create(personOf(request), t.place(request.params as Record<string, string>), request.body);
        return reply.code(201).header('location', `/api/v1/posts/${post.id}`).send(post);
      },
    );
  }

  app.get(
    '/posts/:postId',
    { schema: { operationId: 'getPost', tags, summary: 'One post or comment', description: 'One post or comment. Whoever may read the thread it belongs to; 404 otherwise.', params: postParams, response: { 200: postSchema, ...problems(...authProblems, 403, 404) } } },
    async (request) => posts.get(personOf(request), request.params.postId),
  );
  app.patch(
    '/posts/:postId',
    {
      config: keepsGroupFacts,
      schema: {
        operationId: 'updatePost',
        tags,
        summary: 'Edit my post or comment',
        description: 'Edits my own post or comment; someone else’s answers 403.',
        params: postParams,
        body: patchPostBodySchema,
        response: { 200: postSchema, ...problems(...authProblems, 403, 404) },
      },
    },
    async (request) => posts.update(personOf(request), request.params.postId, request.body.body),
  );
  app.delete(
    '/posts/:postId',
    {
      config: keepsGroupFacts,
      schema: {
        operationId: 'deletePost',
        tags,
        summary: 'Delete my post, or moderate (admins; group admins in their groups)',
        description:
          'Deletes my post or comment, or moderates one: admins everywhere, group admins in their groups’ spaces. Its comments go with it.',
        params: postParams,
        response: { 204: z.null().describe('Deleted'), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      await posts.remove(personOf(request), request.params.postId);
      return reply.code(204).send(null);
    },
  );
  for (const liked of [true, false]) {
    app.route({
      method: liked ? 'PUT' : 'DELETE',
      url: '/posts/:postId/like',
      config: keepsGroupFacts,
      schema: {
        operationId: liked ? 'likePost' : 'unlikePost',
        tags,
        summary: liked ? 'Like a post (idempotent)' : 'Take my like back',
        description: liked
          ? 'Likes a post; liking it again changes nothing. Whoever may read the post; 404 otherwise.'
          : 'Takes my like of a post back; a post I did not like is no error. Whoever may read the post; 404 otherwise.',
        params: postParams,
        response: { 200: postSchema, ...problems(...authProblems, 403, 404) },
      },
      handler: async (request) => posts.like(personOf(request), request.params.postId, liked),
    });
  }

  app.post(
    '/attachments',
    {
      config: keepsGroupFacts,
      schema: {
        operationId: 'uploadAttachment',
        tags,
        summary: 'Upload a file to attach to a post (multipart field `file`: image or PDF); then pass its id in `attachmentIds`',
        description:
          'Uploads an image or PDF to attach to a post: pass its id in `attachmentIds` when posting. An unknown type answers 415, a too large file 413; an attachment not used in a post is cleaned up later.',
        ...multipartBody(attachmentUploadFormSchema, { file: attachmentUploadTypes }),
        response: {
          201: uploadedAttachmentSchema,
          ...problems(...authProblems, 403, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const person = personOf(request);
      const file = await readUpload(request, app.env.UPLOAD_MAX_BYTES);
      const result = await posts.upload(person, file.data, file.filename);
      return reply.code(201).send(result);
    },
  );
  app.get(
    '/posts/:postId/attachments/:fileId',
    {
      schema: {
        operationId: 'getPostAttachment',
        tags,
        summary: 'Download an attachment of a post I may see',
        description: 'Downloads an attachment of a post the caller may read; 404 otherwise.',
        params: postParams.extend({ fileId: pathId() }),
        response: { 200: fileResponse('The file: an image inline, a PDF as an attachment', attachmentTypes), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      const file = await posts.attachment(personOf(request), request.params.postId, request.params.fileId);
      const stream = await app.storage.get(file.storageKey);
      if (!stream) throw new AppError('file_not_found', 'The attachment was not found.');
      return reply
        .type(file.contentType)
        .header('cache-control', 'private, max-age=3600')
        .header('content-disposition', contentDisposition(file.contentType === 'application/pdf' ? 'attachment' : 'inline', file.name, 'attachment'))
        .header('x-content-type-options', 'nosniff')
        .send(stream as never);
    },
  );
};
