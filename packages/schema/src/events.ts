/**
 * The webhook events (API.md), as plain data without zod: the web app imports this module alone
 * (`@covey/schema/events`) to list them, so its bundle does not take the schemas with it.
 */
export const webhookEvents = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member.added',
  'group.member.removed',
  'program.assigned',
  'program.unassigned',
  'enrollment.created',
  'enrollment.completed',
  'post.created',
] as const;
