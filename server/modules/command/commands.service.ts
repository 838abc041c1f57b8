// Incident commands (指挥部): opened for an incident over a node with duty officers, closed with a
// summary. Directives, daily reports, notices and the cockpit can be filtered by command.
import { msg } from '../../../common/messages/index.js';
import type { z } from 'zod';
import type {
  IncidentCommand,
  closeCommandBody,
  listCommandsQuery,
  openCommandBody,
} from '../../../common/contracts/command.js';
import type { DB, Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { actorOf, can, isWithin, scopesFor, type Actor, type RequestContext } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { recordLive, type LivePoke } from '../../platform/live.js';
import * as repo from './command.repository.js';

export function createCommandsService(deps: { db: DB; live?: LivePoke; now?: () => string }) {
  const { db } = deps;
  const now = deps.now ?? nowIso;

  async function out(x: Executor, actor: Actor, rows: repo.CommandRow[]): Promise<IncidentCommand[]> {
    const ids = rows.map((r) => r.id);
    const officers = await repo.officersOf(x, ids);
    const counts = new Map((await repo.directiveCounts(x, ids)).map((r) => [r.command_id, Number(r.n)]));
    return rows.map((c) => ({
      id: c.id,
      name: c.name,
      responseLevel: c.response_level as IncidentCommand['responseLevel'],
      node: { id: c.node_id, name: c.node_name, level: c.node_level },
      startedAt: c.started_at,
      closedAt: c.closed_at,
      summary: c.summary,
      officers: officers.filter((o) => o.command_id === c.id).map((o) => ({ id: o.id, name: o.name })),
      directives: counts.get(c.id) ?? 0,
      abilities: {
        close: c.closed_at === null && can(actor, 'command.manage', c.node_path),
        issue:
          c.closed_at === null &&
          actor.assignments.some(
            (a) => a.permissions.has('directives.issue') && isWithin(a.nodePath, c.node_path),
          ),
      },
    }));
  }

  /** Readable by who reads commands inside its subtree or above it (a village sees the district's command). */
  function mayRead(actor: Actor, c: repo.CommandRow) {
    return scopesFor(actor, 'command.read').some((s) => isWithin(c.node_path, s) || isWithin(s, c.node_path));
  }

  return {
    async list(ctx: RequestContext, q: z.infer<typeof listCommandsQuery>) {
      const actor = actorOf(ctx);
      const rows = await repo.listCommands(
        db,
        scopesFor(actor, 'command.read'),
        q.open === undefined ? undefined : q.open === 'true',
      );
      return { items: await out(db, actor, rows) };
    },

    async get(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const c = await repo.findCommand(db, id);
      if (!c) throw notFound('command');
      if (!mayRead(actor, c)) throw forbidden();
      return (await out(db, actor, [c]))[0]!;
    },

    async open(ctx: RequestContext, b: z.infer<typeof openCommandBody>) {
      const actor = actorOf(ctx);
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const [node] = await repo.nodesByIds(trx, [b.nodeId]);
        if (!node || node.retired_at)
          throw badRequest('command.node', {}, [
            { path: 'body.nodeId', message: msg('issue.unknown_or_retired_node'), code: 'unknown' },
          ]);
        if (!can(actor, 'command.manage', node.path)) throw forbidden();
        const officers = [...new Set(b.officerUserIds)];
        const found = new Set((await repo.usersExist(trx, officers)).map((u) => u.id));
        const missing = officers
          .map((id, i) =>
            found.has(id)
              ? null
              : {
                  path: `body.officerUserIds.${i}`,
                  message: msg('issue.unknown_or_disabled_user'),
                  code: 'unknown',
                },
          )
          .filter((x) => x !== null);
        if (missing.length > 0) throw badRequest('command.officers', {}, missing);
        const id = await repo.insertCommand(trx, {
          name: b.name,
          response_level: b.responseLevel,
          node_id: node.id,
          node_path: node.path,
          started_at: b.startedAt ?? at,
          created_by_user_id: actor.userId,
          at,
        });
        await repo.setOfficers(trx, id, officers);
        await recordAudit(trx, ctx, {
          action: 'command.open',
          entityType: 'incident_command',
          entityId: id,
          nodePath: node.path,
          detail: { name: b.name, level: b.responseLevel, officers: officers.length },
        });
        await recordLive(trx, { kind: 'command.opened', paths: [node.path], commandId: id, payload: { id } });
        return id;
      });
      deps.live?.poke();
      return this.get(ctx, id);
    },

    async close(ctx: RequestContext, id: number, b: z.infer<typeof closeCommandBody>) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const c = await repo.findCommand(trx, id);
        if (!c) throw notFound('command');
        if (!can(actor, 'command.manage', c.node_path)) throw forbidden();
        if (c.closed_at)
          throw conflict(
            'command.closed',
            {},
            {
              closedAt: c.closed_at,
            },
          );
        await repo.closeCommand(trx, id, b.summary, at);
        await recordAudit(trx, ctx, {
          action: 'command.close',
          entityType: 'incident_command',
          entityId: id,
          nodePath: c.node_path,
          detail: { summary: b.summary },
        });
        await recordLive(trx, {
          kind: 'command.closed',
          paths: [c.node_path],
          commandId: id,
          payload: { id },
        });
      });
      deps.live?.poke();
      return this.get(ctx, id);
    },
  };
}

export type CommandsService = ReturnType<typeof createCommandsService>;
