import { z } from 'zod';
import { idSchema } from './common.ts';
import { enrollmentStatusSchema } from './programs.ts';

export const myStatsSchema = z
  .object({
    programs: z.object({ enrolled: z.number().int(), inProgress: z.number().int(), completed: z.number().int() }),
    stepsDone: z.number().int(),
    lastLoginAt: z.string().nullable(),
    lastActivityAt: z.string().nullable(),
    activeWeeksStreak: z.number().int().describe('Consecutive ISO weeks with activity, up to this week (or last week)'),
    perProgram: z.array(
      z.object({
        programId: idSchema,
        title: z.string(),
        status: enrollmentStatusSchema,
        progress: z.number().int(),
        stepsDone: z.number().int(),
        stepCount: z.number().int(),
        completedAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'MyStats' });

const programBreakdown = z.object({
  programId: idSchema,
  title: z.string(),
  enrolled: z.number().int(),
  notStarted: z.number().int(),
  inProgress: z.number().int(),
  completed: z.number().int(),
  behind: z.number().int(),
  completionRate: z.number().describe('0..1'),
  averageProgress: z.number().describe('0..100'),
});

export const groupStatsSchema = z
  .object({
    groupId: idSchema,
    members: z.number().int().describe('Learners of the group and its subgroups'),
    active7d: z.number().int(),
    active30d: z.number().int(),
    neverLoggedIn: z.number().int(),
    enrollments: z.number().int(),
    completed: z.number().int(),
    completionRate: z.number().describe('0..1'),
    averageProgress: z.number().describe('0..100'),
    programs: z.array(programBreakdown),
    weekly: z.array(z.object({ weekStart: z.string(), activeLearners: z.number().int(), completions: z.number().int() })),
  })
  .meta({ id: 'GroupStats' });

export const learnerSegmentSchema = z.enum(['inactive', 'not_started', 'behind']);
export const learnerSortSchema = z.enum(['name', 'lastLogin', 'lastActivity', 'progress']);

export const learnerStatsQuerySchema = z.object({
  segment: learnerSegmentSchema.optional(),
  inactiveDays: z.coerce.number().int().min(1).max(365).optional(),
  programId: idSchema.optional(),
  sort: learnerSortSchema.default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const learnerStatsRowSchema = z.object({
  user: z.object({ id: idSchema, email: z.string(), firstName: z.string(), lastName: z.string() }),
  programs: z.number().int(),
  averageProgress: z.number(),
  completed: z.number().int(),
  lastLoginAt: z.string().nullable(),
  lastActivityAt: z.string().nullable(),
});

export const programStatsSchema = z
  .object({
    programId: idSchema,
    enrolled: z.number().int(),
    notStarted: z.number().int(),
    inProgress: z.number().int(),
    completed: z.number().int(),
    behind: z.number().int(),
    completionRate: z.number(),
    averageProgress: z.number(),
    groups: z.array(z.object({ groupId: idSchema, name: z.string(), enrolled: z.number().int(), completed: z.number().int(), averageProgress: z.number() })),
    weekly: z.array(z.object({ weekStart: z.string(), completions: z.number().int(), activeLearners: z.number().int() })),
  })
  .meta({ id: 'ProgramStats' });

export const documentSchema = z
  .object({
    id: idSchema,
    kind: z.enum(['certificate', 'file']),
    title: z.string(),
    programId: idSchema.nullable(),
    contentType: z.string(),
    size: z.number().int(),
    url: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Document' });

export const digestSchema = z
  .object({
    period: z.string(),
    willSend: z.boolean().describe('False when there is nothing to report'),
    groups: z.array(
      z.object({
        groupId: idSchema,
        name: z.string(),
        members: z.number().int(),
        newMembers: z.number().int(),
        active7d: z.number().int(),
        completionRate: z.number(),
        inactive: z.array(z.object({ id: idSchema, name: z.string(), lastLoginAt: z.string().nullable() })),
        inactiveCount: z.number().int(),
        programs: z.array(
          z.object({
            programId: idSchema,
            title: z.string(),
            enrolled: z.number().int(),
            completed: z.number().int(),
            averageProgress: z.number(),
            behind: z.array(z.object({ id: idSchema, name: z.string(), progress: z.number().int() })),
            behindCount: z.number().int(),
          }),
        ),
      }),
    ),
    subject: z.string(),
    text: z.string(),
  })
  .meta({ id: 'Digest' });
