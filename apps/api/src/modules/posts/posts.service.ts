import { randomUUID } from 'node:crypto';
import type { Deps } from '../../lib/deps.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { audit } from '../../lib/audit.ts';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import { emit } from '../../db/outbox.ts';
import { apiTime } from '../../db/timestamps.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { Principal, UserPrincipal } from '../../lib/principal.ts';
import { groupIdForAccessCheck, isUuid } from '../../lib/refs.ts';
import { sha256 } from '../../lib/tokens.ts';
import { checkGroup, communityPolicy, requireProgram } from '../../policy/index.ts';
import { groupFacts, type GroupFacts } from '../../policy/facts.ts';
import { loadSharp } from '../files/images.ts';
import { notifyForPost } from '../notifications/notify.ts';
import { renderMarkdown } from './markdown.ts';
import { selectGroupPage, selectGroupPostsPage, selectPosts, toPost, type PostRow } from './posts.repository.ts';

type Scope = 'public' | 'group' | 'program';
type Thread = { scope: Scope; groupId: string | null; programId: string | null; groupFacts: GroupFacts | null };
export type PostPlace = { kind: 'feed' } | { kind: 'group'; ref: string } | { kind: 'program'; id: string } | { kind: 'comments'; postId: string };

export function postsService(deps: Deps<'db' | 'storage' | 'boss' | 'env' | 'groupFactsCache'>) {
  const prisma = deps.db.prisma;

  /** The thread a caller reads or writes in, or 404 when they may not see it. */
  async function thread(principal: UserPrincipal, place: PostPlace): Promise<Thread & { parentId: string | null }> {
    if (place.kind === 'feed') {
      if (!communityPolicy.publicFeed(principal)) throw notFound('not_found', 'The feed');
      return { scope: 'public', groupId: null, programId: null, groupFacts: null, parentId: null };
    }
    if (place.kind === 'group') {
      const id = await groupIdForAccessCheck(prisma, place.ref);
      return groupThread(principal, id, id ? await groupFacts(prisma, principal.id, id) : null);
    }
    if (place.kind === 'program') {
      await requireProgram(prisma, principal, place.id, 'thread');
      return { scope: 'program', groupId: null, programId: place.id, groupFacts: null, parentId: null };
    }
    const parent = await visiblePost(principal, place.postId);
    if (parent.parentId) throw new AppError('unprocessable', 'Comments take one level of replies: answer the post itself.');
    return { ...parent.thread, parentId: parent.id };
  }

  /** A group space, or 404 when the caller may not see it. */
  function groupThread(principal: UserPrincipal, id: string | null, facts: GroupFacts | null): Thread & { parentId: null } {
    if (!id || !facts) throw notFound('group_not_found', 'The group');
    checkGroup(principal, facts, 'space');
    return { scope: 'group', groupId: id, programId: null, groupFacts: facts, parentId: null };
  }

  /** A post the caller may see (the thread's rule), or 404. */
  async function visiblePost(principal: UserPrincipal, postId: string) {
    const post = isUuid(postId) ? await prisma.post.findUnique({ where: { id: postId } }) : null;
    if (!post || post.deletedAt) throw notFound('not_found', 'The post');
    const place: PostPlace =
      post.scope === 'public'
        ? { kind: 'feed' }
        : post.scope === 'group'
          ? { kind: 'group', ref: post.groupId! }
          : { kind: 'program', id: post.programId! };
    const found = await thread(principal, place).catch(() => {
      throw notFound('not_found', 'The post');
    });
    return { ...post, thread: found };
  }

  function permissions(principal: UserPrincipal, row: { author_id: string; scope: Scope }, t: Thread) {
    const mine = row.author_id === principal.id;
    return { canEdit: mine, canDelete: mine || communityPolicy.moderate(principal, row.scope, t.groupFacts) };
  }

  const whereFor = (t: Thread & { parentId: string | null }) =>
    t.parentId
      ? Prisma.sql`p.parent_id = ${t.parentId}::uuid`
      : t.scope === 'public'
        ? Prisma.sql`p.scope = 'public' AND p.parent_id IS NULL`
        : t.scope === 'group'
          ? Prisma.sql`p.group_id = ${t.groupId}::uuid AND p.parent_id IS NULL`
          : Prisma.sql`p.program_id = ${t.programId}::uuid AND p.parent_id IS NULL`;

  async function one(principal: UserPrincipal, id: string, t: Thread) {
    const [row] = await selectPosts(prisma, { viewerId: principal.id, where: Prisma.sql`p.id = ${id}::uuid`, limit: 1 });
    if (!row) throw notFound('not_found', 'The post');
    return toPost(row, permissions(principal, row, t));
  }

  return {
    visiblePost,

    async list(principal: UserPrincipal, place: PostPlace, query: { limit: number; cursor?: string }) {
      const after = decodeCursor(query.cursor, ['time', 'uuid']);
      let t: Thread & { parentId: string | null };
      let rows: PostRow[];
      if (place.kind === 'group') {
        // The hot path (a group space). Facts known (GroupFactsCache): the policy first, then the bare page. Else the
        // access facts and the page in one statement, the policy applied to the facts, and the facts kept.
        const groupId = await groupIdForAccessCheck(prisma, place.ref);
        const known = groupId ? deps.groupFactsCache.peek(principal.id, groupId) : undefined;
        if (known) {
          t = groupThread(principal, groupId, known);
          rows = await selectGroupPostsPage(deps.db, { viewerId: principal.id, groupId: groupId!, after, limit: query.limit + 1 });
        } else {
          const epoch = deps.groupFactsCache.epoch;
          const found = groupId ? await selectGroupPage(deps.db, { viewerId: principal.id, groupId, after, limit: query.limit + 1 }) : null;
          t = groupThread(principal, groupId, found?.facts ?? null);
          deps.groupFactsCache.put(principal.id, groupId!, found!.facts, epoch);
          rows = found!.rows;
        }
      } else {
        t = await thread(principal, place);
        rows = await selectPosts(prisma, { viewerId: principal.id, where: whereFor(t), after, limit: query.limit + 1 });
      }
      const page = toPage(rows, query.limit, (r: PostRow) => [apiTime(r.created_at), r.id]);
      return { items: page.items.map((r) => toPost(r, permissions(principal, r, t))), nextCursor: page.nextCursor };
    },

    async get(principal: UserPrincipal, postId: string) {
      const post = await visiblePost(principal, postId);
      return one(principal, post.id, post.thread);
    },

    async create(principal: UserPrincipal, place: PostPlace, body: { body: string; attachmentIds?: string[] }) {
      const t = await thread(principal, place);
      const attachmentIds = [...new Set(body.attachmentIds ?? [])];
      const id = await prisma.$transaction(async (tx) => {
        if (attachmentIds.length) {
          const owned = await tx.storedFile.count({
            where: { id: { in: attachmentIds }, uploadedBy: principal.id, purpose: 'attachment', attachments: { none: {} } },
          });
          if (owned !== attachmentIds.length)
            throw new AppError('invalid_reference', 'Attach only files you uploaded and have not attached yet.', [
              { field: 'body.attachmentIds', message: 'unknown, not yours, or already attached' },
            ]);
        }
        const post = await tx.post.create({
          data: {
            authorId: principal.id,
            scope: t.scope,
            groupId: t.groupId,
            programId: t.programId,
            parentId: t.parentId,
            body: body.body,
            bodyHtml: renderMarkdown(body.body),
            attachments: { create: attachmentIds.map((fileId) => ({ fileId })) },
          },
        });
        if (t.parentId) await tx.$executeRaw`UPDATE posts SET comment_count = comment_count + 1 WHERE id = ${t.parentId}::uuid`;
        await tx.user.update({ where: { id: principal.id }, data: { lastActivityAt: new Date() } });
        await emit(tx, 'post.created', { postId: post.id, scope: t.scope, groupId: t.groupId, programId: t.programId, parentId: t.parentId, authorId: principal.id });
        await notifyForPost(deps, tx, { ...post, scope: t.scope });
        return post.id;
      });
      return one(principal, id, t);
    },

    async update(principal: UserPrincipal, postId: string, body: string) {
      const post = await visiblePost(principal, postId);
      if (post.authorId !== principal.id) throw forbidden('Only the author can edit a post.');
      await prisma.post.update({ where: { id: post.id }, data: { body, bodyHtml: renderMarkdown(body), editedAt: new Date() } });
      return one(principal, post.id, post.thread);
    },

    async remove(principal: UserPrincipal, postId: string) {
      const post = await visiblePost(principal, postId);
      const mine = post.authorId === principal.id;
      if (!mine && !communityPolicy.moderate(principal, post.scope, post.thread.groupFacts))
        throw forbidden('Only the author and moderators can delete a post.');
      await prisma.$transaction(async (tx) => {
        await tx.post.update({ where: { id: post.id }, data: { deletedAt: new Date() } });
        if (post.parentId) await tx.$executeRaw`UPDATE posts SET comment_count = GREATEST(comment_count - 1, 0) WHERE id = ${post.parentId}::uuid`;
        // Notifications about a deleted post disappear with it.
        await tx.notification.deleteMany({ where: { postId: post.id } });
        if (!mine) await audit(tx, principal, 'post.moderate', { type: 'post', id: post.id });
      });
    },

    async like(principal: UserPrincipal, postId: string, liked: boolean) {
      const post = await visiblePost(principal, postId);
      await prisma.$transaction(async (tx) => {
        const changed = liked
          ? await tx.$executeRaw`INSERT INTO reactions (post_id, user_id, kind) VALUES (${post.id}::uuid, ${principal.id}::uuid, 'like') ON CONFLICT DO NOTHING`
          : await tx.$executeRaw`DELETE FROM reactions WHERE post_id = ${post.id}::uuid AND user_id = ${principal.id}::uuid AND kind = 'like'`;
        if (changed) await tx.$executeRaw`UPDATE posts SET like_count = GREATEST(like_count + ${liked ? 1 : -1}, 0) WHERE id = ${post.id}::uuid`;
      });
      return one(principal, post.id, post.thread);
    },

    /** Attachments: images (sniffed, re-encoded) and PDF files, stored through the storage interface. */
    async upload(principal: Principal, data: Buffer, filename: string) {
      if (principal.type !== 'user') throw forbidden('Attachments are for people.');
      let content: Buffer = data;
      let contentType: string;
      if (data.subarray(0, 5).toString('latin1') === '%PDF-') {
        contentType = 'application/pdf';
      } else {
        try {
          const sharp = await loadSharp();
          const meta = await sharp(data).metadata();
          if (!meta.format || !['jpeg', 'png', 'webp', 'gif', 'avif'].includes(meta.format)) throw new Error('format');
          content = await sharp(data, { limitInputPixels: 50_000_000 }).rotate().resize({ width: 2400, height: 2400, fit: 'inside', withoutEnlargement: true }).webp({ quality: 85 }).toBuffer();
          contentType = 'image/webp';
        } catch {
          throw new AppError('unsupported_media_type', 'Attach an image (JPEG, PNG, WebP, GIF, AVIF) or a PDF.');
        }
      }
      const key = `attachments/${principal.id}/${randomUUID()}`;
      await deps.storage.put(key, content);
      const file = await prisma.storedFile.create({
        data: {
          storageKey: key,
          contentType,
          size: content.length,
          sha256: sha256(content),
          name: filename.replace(/[^\p{L}\p{N} ._-]/gu, '_').slice(0, 200) || null,
          purpose: 'attachment',
          uploadedBy: principal.id,
        },
      });
      return { id: file.id, contentType, size: file.size, name: file.name };
    },

    async attachment(principal: UserPrincipal, postId: string, fileId: string) {
      const post = await visiblePost(principal, postId);
      const link = isUuid(fileId)
        ? await prisma.attachment.findUnique({ where: { postId_fileId: { postId: post.id, fileId } }, include: { file: true } })
        : null;
      if (!link) throw notFound('file_not_found', 'The attachment');
      return link.file;
    },
  };
}
