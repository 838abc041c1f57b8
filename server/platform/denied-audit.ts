// Denied attempts leave a trace: a 403 on a sensitive route (reveal, unmasked export, user and role
// administration) and a refused import (any 4xx) write an audit row in a transaction of their own,
// declared by the route's `config.auditDenied` rather than by code in each service. A per-user cap
// keeps a loop from flooding the log: past it, one "suppressed" row, then nothing until the window
// has room again.
import type { FastifyInstance } from 'fastify';
import { lockAuditChain } from '../db/dialect.js';
import type { DB } from '../db/index.js';
import { recordAudit } from './audit.js';

export type AuditDenied = 'sensitive' | 'import';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Audit this route's refusals: a 403 ('sensitive') or any 4xx ('import'). */
    auditDenied?: AuditDenied;
  }
}

export const DENIED_ACTIONS = {
  sensitive: 'access.denied',
  import: 'import.refused',
  suppressed: 'access.denied_suppressed',
} as const;
export const DENIED_WINDOW_MINUTES = 10;

const isRefusal = (kind: AuditDenied, status: number) =>
  kind === 'sensitive' ? status === 403 : status >= 400 && status < 500;

/** The problem's code, read from the body the error mapper wrote (it is small and only parsed here). */
function problemCode(payload: unknown): string | null {
  if (typeof payload !== 'string' || payload.length > 64_000) return null;
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof code === 'string' ? code.slice(0, 100) : null;
  } catch {
    return null;
  }
}

export function auditDeniedAttempts(app: FastifyInstance, opts: { db: DB; perUser: number }) {
  const { db, perUser } = opts;
  // onSend, not onResponse: the row is committed before the answer leaves, so whoever reads the log
  // after the answer finds it. Only refusals pay for it.
  app.addHook('onSend', async (req, reply, payload) => {
    const kind = req.routeOptions.config?.auditDenied;
    const actor = req.ctx?.actor;
    if (!kind || !actor || !isRefusal(kind, reply.statusCode)) return payload;
    const id = (req.params as { id?: unknown } | undefined)?.id;
    try {
      await db.transaction().execute(async (trx) => {
        // Under the chain's lock, so two refusals at once on PostgreSQL cannot both pass the cap.
        await lockAuditChain(trx);
        const since = new Date(Date.now() - DENIED_WINDOW_MINUTES * 60_000).toISOString();
        const { n } = await trx
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('actor_user_id', '=', actor.userId)
          .where('action', 'in', Object.values(DENIED_ACTIONS))
          .where('at', '>=', since)
          .executeTakeFirstOrThrow();
        const count = Number(n);
        if (count > perUser) return;
        const route = `${req.method} ${req.routeOptions.url ?? ''}`;
        await recordAudit(
          trx,
          req.ctx,
          count < perUser
            ? {
                action: DENIED_ACTIONS[kind],
                entityType: 'route',
                entityId: route,
                // Never the body or the query: they may carry the personal data that was asked for.
                detail: {
                  status: reply.statusCode,
                  code: problemCode(payload),
                  ...(typeof id === 'number' || typeof id === 'string'
                    ? { id: String(id).slice(0, 40) }
                    : {}),
                },
              }
            : {
                action: DENIED_ACTIONS.suppressed,
                entityType: 'route',
                entityId: route,
                detail: { cap: perUser, windowMinutes: DENIED_WINDOW_MINUTES, since },
              },
        );
      });
    } catch (err) {
      // The refusal stands whatever happens to its trace.
      req.log.error({ err }, 'could not audit a denied attempt');
    }
    return payload;
  });
}
