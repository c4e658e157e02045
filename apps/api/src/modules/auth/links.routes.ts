import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  forgotPasswordBodySchema,
  linkCheckSchema,
  linkSentSchema,
  linkTokenBodySchema,
  sessionSchema,
  setPasswordBodySchema,
  userRefSchema,
} from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { principalOf } from '../../plugins/auth.ts';
import { linksService } from './links.service.ts';

/** Per address (and e-mail), at sign-in's pace (LOGIN_RATE_LIMIT): a link-guessing or mail-bombing client is slowed. */
const limited = (max: number) => ({
  public: true,
  rateLimit: {
    max,
    timeWindow: '1 minute',
    hook: 'preHandler' as const,
    allowList: () => false,
    keyGenerator: (request: { ip: string; body?: unknown }) => {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      return `${request.ip}:${typeof email === 'string' ? email.toLowerCase() : ''}`;
    },
  },
});

/** Invitations and password resets: the public side (the links from the mails) and the admins' side. */
export const linksRoutes: FastifyPluginAsyncZod = async (app) => {
  const links = linksService(app);
  const tags = ['auth'];
  const pace = app.env.LOGIN_RATE_LIMIT;

  app.post(
    '/auth/tokens/check',
    {
      config: limited(pace * 3),
      schema: {
        operationId: 'checkLink',
        tags,
        summary: 'Whom an invitation or password-reset link is for (410 when it expired or was used)',
        description:
          'Tells the web app whom an invitation or password-reset link is for, before the person chooses a password. A link that expired or was used answers 410; nothing is consumed.',
        security: [],
        body: linkTokenBodySchema,
        response: { 200: linkCheckSchema, ...problems(400, 410, 429) },
      },
    },
    async (request) => links.check(request.body.token),
  );

  app.post(
    '/auth/invitations/accept',
    {
      config: limited(pace),
      schema: {
        operationId: 'acceptInvitation',
        tags,
        summary: 'Accept an invitation: choose a password and sign in',
        description:
          'Consumes an invitation link: the person chooses a password, their account becomes active and a session opens. A spent or expired link answers 410; a weak password 422.',
        security: [],
        body: setPasswordBodySchema,
        response: { 200: sessionSchema, ...problems(400, 410, 422, 429) },
      },
    },
    async (request) => links.acceptInvitation(request.body.token, request.body.password),
  );

  app.post(
    '/auth/password/forgot',
    {
      config: limited(pace),
      schema: {
        operationId: 'forgotPassword',
        tags,
        summary: 'Send a password-reset link (the same answer whether the address has an account or not)',
        description:
          'Mails a single-use password-reset link to the address if an active account has it; the answer is the same either way, so it tells nobody who has an account. Paced per address and per IP.',
        security: [],
        body: forgotPasswordBodySchema,
        response: { 202: z.null().describe('If the address has an account, a link is on its way'), ...problems(400, 429) },
      },
    },
    async (request, reply) => {
      await links.forgot(request.body.email);
      // No body at all (as the document says): `null` would be serialized as JSON.
      return reply.code(202).send(undefined as never);
    },
  );

  app.post(
    '/auth/password/reset',
    {
      config: limited(pace),
      schema: {
        operationId: 'resetPassword',
        tags,
        summary: 'Choose a new password through a reset link: every session is signed out, then a new one opens',
        description:
          'Consumes a password-reset link: sets the new password, signs out every session of the person and opens a new one. A spent or expired link answers 410; a weak password 422.',
        security: [],
        body: setPasswordBodySchema,
        response: { 200: sessionSchema, ...problems(400, 410, 422, 429) },
      },
    },
    async (request) => links.resetPassword(request.body.token, request.body.password),
  );

  const userParams = z.object({ user: userRefSchema });
  app.post(
    '/users/:user/invitation',
    {
      schema: {
        operationId: 'sendInvitation',
        tags: ['users'],
        summary: 'Send (again) the invitation of a person who never signed in; the previous link stops working',
        description:
          'Mails a new invitation link to a person who never signed in; the previous link stops working. For those with authority over the person (admins, group admins of their groups); 409 when they already signed in.',
        params: userParams,
        response: { 202: linkSentSchema, ...problems(...authProblems, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await links.invite(principalOf(request), request.params.user)),
  );

  app.delete(
    '/users/:user/invitation',
    {
      schema: {
        operationId: 'revokeInvitation',
        tags: ['users'],
        summary: 'Revoke a pending invitation',
        description:
          'Makes the pending invitation link of a person unusable, without touching their account. For those with authority over the person; 404 when there is no pending invitation.',
        params: userParams,
        response: { 204: z.null().describe('Revoked'), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      await links.revokeInvitation(principalOf(request), request.params.user);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/users/:user/password-reset',
    {
      schema: {
        operationId: 'sendPasswordReset',
        tags: ['users'],
        summary: 'Send a person a password-reset link (admins never set someone’s password)',
        description:
          'Mails a person a single-use password-reset link; nobody but the person ever sets their password. For those with a strictly higher rank than the person.',
        params: userParams,
        response: { 202: linkSentSchema, ...problems(...authProblems, 403, 404, 422) },
      },
    },
    async (request, reply) => reply.code(202).send(await links.sendReset(principalOf(request), request.params.user)),
  );
};
