// The security headers of every response (content security policy, framing, sniffing, referrer…),
// by helmet, whose middleware is built once here. @fastify/helmet built it anew for every request,
// parsing the policy each time: about a tenth of a report's time under load (ADR 0005), for headers
// that are the same on every response.
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

export function securityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const apply = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    apply(request.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
  });
}
