import { z } from 'zod';
import { idSchema, isoDate, text, userSummarySchema } from './common.ts';

export const programStatusSchema = z.enum(['draft', 'published', 'archived']);
export const enrollmentStatusSchema = z.enum(['enrolled', 'in_progress', 'completed', 'withdrawn']);

export const stepSchema = z.object({ id: idSchema, position: z.number().int(), title: z.string(), content: z.string() });

export const programSchema = z
  .object({
    id: idSchema,
    title: z.string(),
    description: z.string().nullable(),
    referent: userSummarySchema.nullable(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    status: programStatusSchema,
    ongoing: z.boolean().describe('Published and not ended: joining one of its groups enrolls a learner'),
    steps: z.array(stepSchema),
    groups: z.array(z.object({ id: idSchema, name: z.string() })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Program' });
export type Program = z.infer<typeof programSchema>;

const stepInput = z.object({
  id: idSchema.optional().describe('Keep (and update) an existing step; omit to add a new one'),
  title: text(300),
  content: z.string().max(100_000).default(''),
});

const programFields = {
  title: text(300),
  description: z.string().trim().max(20_000).nullable(),
  referentId: idSchema.nullable(),
  startsAt: isoDate.nullable(),
  endsAt: isoDate.nullable(),
  status: programStatusSchema,
  steps: z.array(stepInput).max(500),
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
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});

export const enrollmentSchema = z
  .object({
    user: userSummarySchema,
    status: enrollmentStatusSchema,
    progress: z.number().int(),
    completedAt: z.string().nullable(),
    sources: z.array(z.object({ groupId: idSchema, groupName: z.string() })),
  })
  .meta({ id: 'Enrollment' });
export type Enrollment = z.infer<typeof enrollmentSchema>;

export const listEnrollmentsQuerySchema = z.object({
  status: enrollmentStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});

export const assignmentResultSchema = z
  .object({
    programId: idSchema,
    groupId: idSchema,
    dryRun: z.boolean(),
    assigned: z.boolean().describe('Whether the program is (now) assigned to the group'),
    enrolledCount: z.number().int().describe('Learners newly enrolled (or who would be, on a dry run)'),
    enrolled: z.array(userSummarySchema).describe('Up to 1,000 of those learners'),
  })
  .meta({ id: 'AssignmentResult' });

export const myProgramSchema = z.object({
  program: z.object({ id: idSchema, title: z.string(), endsAt: z.string().nullable(), stepCount: z.number().int() }),
  status: enrollmentStatusSchema,
  progress: z.number().int(),
  completedAt: z.string().nullable(),
  completedStepIds: z.array(idSchema),
});

export const stepCompletionResultSchema = z.object({
  programId: idSchema,
  stepId: idSchema,
  status: enrollmentStatusSchema,
  progress: z.number().int(),
  completedAt: z.string().nullable(),
});
