import type { Program } from '@covey/schema';
import type { Prisma } from '../../generated/prisma/client.ts';
import { renderMarkdown } from '../posts/markdown.ts';
import { userSummarySelect } from '../users/user-view.ts';

export const programInclude = {
  referent: { select: userSummarySelect },
  steps: { orderBy: { position: 'asc' } },
  assignments: { select: { group: { select: { id: true, name: true } } }, orderBy: { createdAt: 'asc' } },
} satisfies Prisma.ProgramInclude;

type ProgramWithRelations = Prisma.ProgramGetPayload<{ include: typeof programInclude }>;

export const isOngoing = (p: { status: string; endsAt: Date | null }, now = new Date()) =>
  p.status === 'published' && (!p.endsAt || p.endsAt > now);

export const toProgram = (p: ProgramWithRelations): Program => ({
  id: p.id,
  title: p.title,
  description: p.description,
  referent: p.referent,
  startsAt: p.startsAt?.toISOString() ?? null,
  endsAt: p.endsAt?.toISOString() ?? null,
  status: p.status,
  ongoing: isOngoing(p),
  // Rendered on read, by the renderer posts use: steps are written rarely, by trainers, and read in few places.
  steps: p.steps.map((s) => ({ id: s.id, position: s.position, title: s.title, content: s.content, html: renderMarkdown(s.content) })),
  groups: p.assignments.map((a) => a.group),
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});
