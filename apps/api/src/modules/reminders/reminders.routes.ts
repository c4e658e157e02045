import { personOf } from '../../plugins/auth.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createReminderBodySchema, groupRefSchema, reminderSchema } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { remindersService } from './reminders.service.ts';

export const remindersRoutes: FastifyPluginAsyncZod = async (app) => {
  const reminders = remindersService(app);
  app.post(
    '/groups/:group/reminders',
    {
      schema: {
        operationId: 'sendReminder',
        tags: ['follow-up'],
        summary: 'Remind chosen learners, or a segment (inactive, not_started, behind), of a group: notification + e-mail',
        description:
          'Sends a reminder (notification and e-mail) to chosen learners of a group or to a segment: inactive, not started or behind in a program. The group’s observers, group admins and workspace admins; recipients out of the subtree answer 422.',
        params: z.object({ group: groupRefSchema }),
        body: createReminderBodySchema,
        response: { 201: reminderSchema, ...problems(...authProblems, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const reminder = await reminders.send(personOf(request), request.params.group, request.body);
      return reply.code(201).send(reminder);
    },
  );
};
