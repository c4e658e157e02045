import { z } from 'zod';
import { count, cursorSchema, emailOut, idSchema, int32, MAX_PERSON_NAME, MAX_ROWS, MAX_STRING, personName, queryInt, timestamp } from './common.ts';
import { fileSize, MAX_FILE_NAME } from './community.ts';
import { groupSummarySchema, MAX_GROUP_NAME } from './groups.ts';
import { enrollmentStatusSchema, MAX_PROGRAM_TITLE } from './programs.ts';

/** The 12 weeks up to this one, by their Monday. */
const weekly = <T extends z.ZodRawShape>(shape: T) =>
  z.array(z.object({ weekStart: z.string().max(10).meta({ format: 'date' }), ...shape })).max(12);
/** `first last` */
const fullName = () => z.string().max(2 * MAX_PERSON_NAME + 1);

export const myStatsSchema = z
  .object({
    programs: z.object({ enrolled: count(), inProgress: count(), completed: count() }),
    stepsDone: count(),
    lastLoginAt: timestamp().nullable(),
    lastActivityAt: timestamp().nullable(),
    activeWeeksStreak: count().describe('Consecutive ISO weeks with activity, up to this week (or last week)'),
    perProgram: z.array(
      z.object({
        programId: idSchema,
        title: z.string().max(MAX_PROGRAM_TITLE),
        status: enrollmentStatusSchema,
        progress: int32(0, 100),
        stepsDone: count(),
        stepCount: count(),
        completedAt: timestamp().nullable(),
      }),
    ).max(MAX_ROWS),
  })
  .meta({ id: 'MyStats' });

const programBreakdown = z.object({
  programId: idSchema,
  title: z.string().max(MAX_PROGRAM_TITLE),
  enrolled: count(),
  notStarted: count(),
  inProgress: count(),
  completed: count(),
  behind: count(),
  completionRate: z.number().describe('0..1'),
  averageProgress: z.number().describe('0..100'),
});

export const groupStatsSchema = z
  .object({
    groupId: idSchema,
    members: count().describe('Learners of the group and its subgroups'),
    active7d: count(),
    active30d: count(),
    neverLoggedIn: count(),
    enrollments: count(),
    completed: count(),
    completionRate: z.number().describe('0..1'),
    averageProgress: z.number().describe('0..100'),
    programs: z.array(programBreakdown).max(MAX_ROWS),
    weekly: weekly({ activeLearners: count(), completions: count() }),
  })
  .meta({ id: 'GroupStats' });

export const MAX_LEARNERS_PAGE = 500;

export const learnerSegmentSchema = z.enum(['inactive', 'not_started', 'behind']);
export const learnerSortSchema = z.enum(['name', 'lastLogin', 'lastActivity', 'progress']);

export const learnerStatsQuerySchema = z.object({
  segment: learnerSegmentSchema.optional(),
  inactiveDays: queryInt(1, 365).optional(),
  programId: idSchema.optional(),
  sort: learnerSortSchema.default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: queryInt(1, MAX_LEARNERS_PAGE).default(50),
  cursor: cursorSchema.optional(),
});

export const learnerStatsRowSchema = z.object({
  user: z.object({ id: idSchema, email: emailOut(), firstName: personName(), lastName: personName() }),
  programs: count(),
  averageProgress: z.number(),
  completed: count(),
  lastLoginAt: timestamp().nullable(),
  lastActivityAt: timestamp().nullable(),
  groups: z.array(groupSummarySchema).max(MAX_ROWS).describe('The learner’s groups inside the subtree'),
});

export const programStatsSchema = z
  .object({
    programId: idSchema,
    enrolled: count(),
    notStarted: count(),
    inProgress: count(),
    completed: count(),
    behind: count(),
    completionRate: z.number(),
    averageProgress: z.number(),
    groups: z
      .array(z.object({ groupId: idSchema, name: z.string().max(MAX_GROUP_NAME), enrolled: count(), completed: count(), averageProgress: z.number() }))
      .max(MAX_ROWS),
    weekly: weekly({ completions: count(), activeLearners: count() }),
  })
  .meta({ id: 'ProgramStats' });

export const documentSchema = z
  .object({
    id: idSchema,
    kind: z.enum(['certificate', 'file']),
    title: z.string().max(MAX_FILE_NAME).describe('A certificate’s, or the shared file’s title or name'),
    programId: idSchema.nullable(),
    contentType: z.string().max(255),
    size: fileSize(),
    url: z.string().max(200).describe('Path of the file'),
    createdAt: timestamp(),
  })
  .meta({ id: 'Document' });

export const digestSchema = z
  .object({
    period: z.string().max(20).describe('The day (daily) or ISO week (weekly) of the digest'),
    willSend: z.boolean().describe('False when there is nothing to report'),
    groups: z.array(
      z.object({
        groupId: idSchema,
        name: z.string().max(MAX_GROUP_NAME),
        members: count(),
        newMembers: count(),
        active7d: count(),
        completionRate: z.number(),
        inactive: z.array(z.object({ id: idSchema, name: fullName(), lastLoginAt: timestamp().nullable() })).max(20).describe('The first 20'),
        inactiveCount: count(),
        programs: z.array(
          z.object({
            programId: idSchema,
            title: z.string().max(MAX_PROGRAM_TITLE),
            enrolled: count(),
            completed: count(),
            averageProgress: z.number(),
            behind: z.array(z.object({ id: idSchema, name: fullName(), progress: int32(0, 100) })).max(20).describe('The first 20'),
            behindCount: count(),
          }),
        ).max(MAX_ROWS),
      }),
    ).max(MAX_ROWS),
    subject: z.string().max(MAX_STRING),
    text: z.string().max(MAX_STRING),
  })
  .meta({ id: 'Digest' });
