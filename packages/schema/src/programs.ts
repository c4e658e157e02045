import { z } from 'zod';
import { count, cursorSchema, FREE_TEXT, freeText, idSchema, int32, isoDate, MAX_ROWS, MAX_STRING, ONE_LINE, queryInt, text, timestamp, userSummarySchema } from './common.ts';
import { groupSummarySchema, MAX_GROUP_NAME } from './groups.ts';

export const MAX_PROGRAM_TITLE = 300;
const MAX_STEPS = 500;
const MAX_STEP_CONTENT = 100_000;
const MAX_PROGRAM_DESCRIPTION = 20_000;
/** Percent of the steps done. */
const progressSchema = () => int32(0, 100);

export const programStatusSchema = z.enum(['draft', 'published', 'archived']);
export const enrollmentStatusSchema = z.enum(['enrolled', 'in_progress', 'completed', 'withdrawn']);

/** An enrollment of a user, with why it exists (the groups whose assignment of the program holds it). */
export const userEnrollmentSchema = z
  .object({
    program: z.object({ id: idSchema, title: z.string().max(MAX_PROGRAM_TITLE) }),
    status: enrollmentStatusSchema,
    progress: int32(0, 100),
    completedAt: timestamp().nullable(),
    sources: z.array(z.object({ groupId: idSchema, groupName: z.string().max(MAX_GROUP_NAME) })).max(MAX_ROWS),
  })
  .meta({ id: 'UserEnrollment' });
export type UserEnrollment = z.infer<typeof userEnrollmentSchema>;

export const stepSchema = z.object({
  id: idSchema,
  position: count(),
  title: z.string().max(MAX_PROGRAM_TITLE),
  content: z.string().max(MAX_STEP_CONTENT).describe('The Markdown source'),
  html: z
    .string()
    .max(MAX_STRING)
    .describe('The content rendered to sanitized HTML, as posts are: safe to insert into a page'),
});

export const programSchema = z
  .object({
    id: idSchema,
    title: z.string().max(MAX_PROGRAM_TITLE),
    description: z.string().max(MAX_PROGRAM_DESCRIPTION).nullable(),
    referent: userSummarySchema.nullable(),
    startsAt: timestamp().nullable(),
    endsAt: timestamp().nullable(),
    status: programStatusSchema,
    ongoing: z.boolean().describe('Published and not ended: joining one of its groups enrolls a learner'),
    steps: z.array(stepSchema).max(MAX_STEPS),
    groups: z.array(z.object({ id: idSchema, name: z.string().max(MAX_GROUP_NAME) })).max(MAX_ROWS).describe('Every group it is assigned to'),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .meta({ id: 'Program' });
export type Program = z.infer<typeof programSchema>;

const stepInput = z.object({
  id: idSchema.optional().describe('Keep (and update) an existing step; omit to add a new one'),
  title: text(MAX_PROGRAM_TITLE),
  content: freeText(MAX_STEP_CONTENT).default(''),
});

const programFields = {
  title: text(MAX_PROGRAM_TITLE),
  description: z.string().trim().max(MAX_PROGRAM_DESCRIPTION).regex(FREE_TEXT).nullable(),
  referentId: idSchema.nullable(),
  startsAt: isoDate.nullable(),
  endsAt: isoDate.nullable(),
  status: programStatusSchema,
  steps: z.array(stepInput).max(MAX_STEPS),
};

export const createProgramBodySchema = z
  .object({
    ...programFields,
    description: programFields.description.optional(),
    referentId: programFields.referentId.optional(),
    startsAt: programFields.startsAt.optional(),
    endsAt: programFields.endsAt.optional(),
    status: programStatusSchema.default('draft'),
    steps: programFields.steps.default([]),
  })
  .strict();
export type CreateProgramBody = z.input<typeof createProgramBodySchema>;

export const patchProgramBodySchema = z.object(programFields).partial().strict();

export const listProgramsQuerySchema = z.object({
  status: programStatusSchema.optional(),
  q: z.string().trim().max(200).regex(ONE_LINE).optional(),
  limit: queryInt(1, 100).default(25),
  cursor: cursorSchema.optional(),
});

export const enrollmentSchema = z
  .object({
    user: userSummarySchema,
    status: enrollmentStatusSchema,
    progress: progressSchema(),
    completedAt: timestamp().nullable(),
    sources: z.array(z.object({ groupId: idSchema, groupName: z.string().max(MAX_GROUP_NAME) })).max(MAX_ROWS),
  })
  .meta({ id: 'Enrollment' });
export type Enrollment = z.infer<typeof enrollmentSchema>;

export const listEnrollmentsQuerySchema = z.object({
  status: enrollmentStatusSchema.optional(),
  limit: queryInt(1, 100).default(50),
  cursor: cursorSchema.optional(),
});

export const assignmentResultSchema = z
  .object({
    programId: idSchema,
    groupId: idSchema,
    dryRun: z.boolean(),
    assigned: z.boolean().describe('Whether the program is (now) assigned to the group'),
    enrolledCount: count().describe('Learners newly enrolled (or who would be, on a dry run)'),
    enrolled: z.array(userSummarySchema).max(1000).describe('Up to 1,000 of those learners'),
  })
  .meta({ id: 'AssignmentResult' });

export const myProgramSchema = z.object({
  program: z.object({ id: idSchema, title: z.string().max(MAX_PROGRAM_TITLE), endsAt: timestamp().nullable(), stepCount: int32(0, MAX_STEPS) }),
  status: enrollmentStatusSchema,
  progress: progressSchema(),
  completedAt: timestamp().nullable(),
  completedStepIds: z.array(idSchema).max(MAX_STEPS),
});

export const stepCompletionResultSchema = z.object({
  programId: idSchema,
  stepId: idSchema,
  status: enrollmentStatusSchema,
  progress: progressSchema(),
  completedAt: timestamp().nullable(),
});

/** A program reaching a group: assigned to it, or (`via`) to one of its ancestors. */
export const groupProgramSchema = z
  .object({
    program: z.object({ id: idSchema, title: z.string().max(MAX_PROGRAM_TITLE), status: programStatusSchema }),
    via: groupSummarySchema.nullable().describe('The ancestor group it is assigned to; null when assigned to this group'),
  })
  .meta({ id: 'GroupProgram' });
export type GroupProgram = z.infer<typeof groupProgramSchema>;

/** What removing an assignment would do (`dryRun`). */
export const unassignmentPreviewSchema = z
  .object({
    dryRun: z.literal(true),
    programId: idSchema,
    groupId: idSchema,
    withdrawnCount: count().describe('Enrollments not started that would be withdrawn'),
  })
  .meta({ id: 'UnassignmentPreview' });
export type UnassignmentPreview = z.infer<typeof unassignmentPreviewSchema>;
