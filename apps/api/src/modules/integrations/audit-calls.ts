import type { Deps } from '../../lib/deps.ts';

/** Every integration call is audited: who (client), what (method and route), the outcome, and the request id. */
export function auditIntegrationCalls(api: Deps<'db' | 'addHook'>) {
  // A callback hook, not an async one: the calls of people (nearly all of them) cost no promise.
  api.addHook('onResponse', (request, reply, done) => {
    const principal = request.principal;
    if (principal?.type !== 'client') return done();
    void api.db.prisma.auditLog
      .create({
        data: {
          actorType: 'client',
          actorId: principal.id,
          action: `${request.method} ${request.routeOptions.url ?? request.url}`,
          targetType: 'request',
          targetId: request.url.split('?')[0]!.slice(0, 500),
          data: { status: reply.statusCode, clientId: principal.clientId },
          ip: request.ip,
          requestId: request.id,
        },
      })
      .catch((error: unknown) => request.log.error({ err: error }, 'audit write failed'))
      .finally(() => done());
  });
}
