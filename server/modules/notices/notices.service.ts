// Notices delivered door to door: publishing to a subtree (households counted per node once, into
// notice_progress), delivery per household by the grid's workers, and progress per node read from
// the maintained rows, never from a scan of deliveries.
import { msg, type Message } from '../../../common/messages/index.js';
import type { z } from 'zod';
import type {
  DeliverBody,
  DeliverResponse,
  DeliveryMethod,
  listNoticesQuery,
  NoticeDetail,
  NoticeHousehold,
  NoticeProgress,
  NoticeSummary,
  noticeHouseholdsQuery,
  PublishNoticeBody,
} from '../../../common/contracts/notices.js';
import { ancestorPaths } from '../../../common/tree.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import {
  actorOf,
  assertCan,
  can,
  isWithin,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound, type ProblemIssue } from '../../platform/errors.js';
import { bumpCounters, bumpCountersMany, recordLive, type LivePoke } from '../../platform/live.js';
import { findNode, listNode } from '../nodes/index.js';
import * as repo from './notices.repository.js';

type NodeRef = { id: number; name: string; level: string };

/** Where the caller sees notices: command readers and the workers who deliver them. */
function viewScopes(actor: Actor): string[] {
  const paths = [...scopesFor(actor, 'command.read'), ...scopesFor(actor, 'notices.deliver')].sort();
  const out: string[] = [];
  for (const p of paths) if (!out.some((o) => isWithin(p, o))) out.push(p);
  return out;
}

/** The caller's top node inside a notice's subtree: the notice's node, or the first scope below it. */
function defaultView(noticePath: string, scopes: readonly string[]): string | null {
  if (scopes.some((s) => isWithin(noticePath, s))) return noticePath;
  return scopes.find((s) => isWithin(s, noticePath)) ?? null;
}

/** The progress rows a delivery at a household node changes: that node and its ancestors up to the notice's node. */
const pathsUpTo = (householdPath: string, noticePath: string) =>
  ancestorPaths(householdPath).filter((p) => isWithin(p, noticePath));

const percent = (delivered: number, households: number) =>
  households > 0 ? Math.floor((delivered * 100) / households) : 0;
const progress = (
  node: NodeRef,
  row: { households: number; delivered: number } | undefined,
): NoticeProgress => {
  const households = Number(row?.households ?? 0);
  const delivered = Number(row?.delivered ?? 0);
  return { node, households, delivered, percent: percent(delivered, households) };
};

export function createNoticesService(deps: { db: DB; live?: LivePoke | undefined; now?: () => string }) {
  const { db } = deps;
  const now = deps.now ?? nowIso;

  /** The notice, if the caller's view reaches it (403 when it exists outside, 404 when it does not). */
  async function visibleNotice(actor: Actor, id: number) {
    const n = await repo.findNotice(db, id);
    if (!n) throw notFound('notice');
    const scopes = viewScopes(actor);
    const view = defaultView(n.node_path, scopes);
    if (!view) throw forbidden();
    return { n, scopes, view };
  }

  /** A node the caller names for a view: inside their scope (403) and inside the notice's subtree (400). */
  async function chosenNode(scopes: readonly string[], noticePath: string, nodeId: number, param: string) {
    const node = await findNode(db, nodeId);
    if (!node) throw notFound('node');
    if (!scopes.some((s) => isWithin(node.path, s))) throw forbidden();
    if (!isWithin(node.path, noticePath))
      throw badRequest('notice.node_outside', {}, [
        { path: param, message: msg('issue.outside_notice'), code: 'outside_notice' },
      ]);
    return node;
  }

  const summary = (
    n: repo.NoticeRow,
    view: NodeRef,
    row: { households: number; delivered: number } | undefined,
  ): NoticeSummary => ({
    id: n.id,
    commandId: n.command_id,
    title: n.title,
    node: { id: n.node_id, name: n.node_name, level: n.node_level },
    households: n.households,
    publishedAt: n.published_at,
    publishedBy: n.published_by ?? null,
    progress: progress(view, row),
  });

  const service = {
    async publish(ctx: RequestContext, b: PublishNoticeBody): Promise<NoticeDetail> {
      const actor = actorOf(ctx);
      const node = await findNode(db, b.nodeId);
      if (!node || node.retired_at)
        throw badRequest('notice.node', {}, [
          { path: 'body.nodeId', message: msg('issue.unknown_node'), code: 'unknown' },
        ]);
      assertCan(actor, 'notices.publish', node.path);
      if (b.commandId !== undefined) {
        const c = await repo.findCommand(db, b.commandId);
        const bad = (message: Message, code: string) =>
          badRequest('notice.command', {}, [{ path: 'body.commandId', message, code }]);
        if (!c) throw bad(msg('issue.unknown_command'), 'unknown');
        if (c.closed_at) throw bad(msg('issue.command_closed'), 'closed');
        if (!isWithin(node.path, c.node_path)) throw bad(msg('issue.outside_command'), 'outside_command');
      }
      const commandId = b.commandId ?? null;
      const id = await db.transaction().execute(async (trx) => {
        const at = now();
        const lastId = await repo.lastHouseholdId(trx);
        const counts = await repo.countHouseholdsByNode(trx, node.path, lastId);
        const total = counts.reduce((s, c) => s + c.households, 0);
        if (total === 0)
          throw badRequest('notice.no_households', {}, [
            { path: 'body.nodeId', message: msg('issue.no_households'), code: 'no_households' },
          ]);
        // Each household node and every node between it and the notice's node, with its subtree's total.
        const totals = new Map<string, number>();
        for (const c of counts)
          for (const p of pathsUpTo(c.nodePath, node.path))
            totals.set(p, (totals.get(p) ?? 0) + c.households);
        const noticeId = await repo.insertNotice(trx, {
          command_id: commandId,
          node_id: node.id,
          node_path: node.path,
          title: b.title,
          body: b.body,
          households: total,
          last_household_id: lastId,
          published_at: at,
          published_by_user_id: actor.userId,
        });
        await repo.insertProgress(
          trx,
          noticeId,
          [...totals].map(([nodePath, households]) => ({ nodePath, households })),
        );
        await bumpCountersMany(
          trx,
          counts.map((c) => ({ nodePath: c.nodePath, deltas: { 'notices.households': c.households } })),
          commandId,
        );
        await recordAudit(trx, ctx, {
          action: 'notice.publish',
          entityType: 'notice',
          entityId: noticeId,
          nodePath: node.path,
          after: { title: b.title, body: b.body, commandId },
          detail: { households: total, nodes: counts.length },
        });
        await recordLive(trx, {
          kind: 'notice.published',
          paths: [node.path],
          commandId,
          payload: { noticeId },
        });
        return noticeId;
      });
      deps.live?.poke();
      return service.get(ctx, id, {});
    },

    async list(ctx: RequestContext, q: z.infer<typeof listNoticesQuery>) {
      const actor = actorOf(ctx);
      const scopes = viewScopes(actor);
      if (scopes.length === 0) throw forbidden();
      let under: { path: string; ancestors: string[] } | undefined;
      if (q.node !== undefined) {
        const node = await listNode(db, scopes, q.node);
        under = { path: node.path, ancestors: ancestorPaths(node.path) };
      }
      const { total, rows } = await repo.listNotices(
        db,
        {
          scopes,
          ancestors: [...new Set(scopes.flatMap((s) => ancestorPaths(s)))],
          commandId: q.command,
          under,
        },
        q.pageSize,
        (q.page - 1) * q.pageSize,
      );
      // Each notice's view: the deeper of the chosen node and the notice's node, else the caller's top node in it.
      const views = rows.map((n) =>
        under
          ? isWithin(n.node_path, under.path)
            ? n.node_path
            : under.path
          : defaultView(n.node_path, scopes)!,
      );
      const nodes = new Map((await repo.nodesByPaths(db, [...new Set(views)])).map((r) => [r.path, r]));
      const prog = await repo.progressOf(
        db,
        rows.map((n, i) => ({ noticeId: n.id, path: views[i]! })),
      );
      const byKey = new Map(prog.map((p) => [`${p.notice_id} ${p.node_path}`, p]));
      return {
        items: rows.map((n, i) => {
          const v = nodes.get(views[i]!)!;
          return summary(n, { id: v.id, name: v.name, level: v.level }, byKey.get(`${n.id} ${views[i]}`));
        }),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    async get(ctx: RequestContext, id: number, q: { node?: number | undefined }): Promise<NoticeDetail> {
      const actor = actorOf(ctx);
      const { n, scopes, view: defaultPath } = await visibleNotice(actor, id);
      const viewPath =
        q.node !== undefined
          ? (await chosenNode(scopes, n.node_path, q.node, 'query.node')).path
          : defaultPath;
      const trailNodes = (await repo.nodesByPaths(db, pathsUpTo(viewPath, n.node_path))).sort(
        (a, b) => a.path.length - b.path.length,
      );
      const view = trailNodes[trailNodes.length - 1]!;
      const [row] = await repo.progressOf(db, [{ noticeId: n.id, path: viewPath }]);
      const children = await repo.childProgress(db, n.id, view.id);
      // Delivery where the caller holds it: at the viewed node or somewhere below it.
      const deliver =
        can(actor, 'notices.deliver', viewPath) ||
        scopesFor(actor, 'notices.deliver').some((s) => isWithin(s, viewPath));
      return {
        ...summary(n, { id: view.id, name: view.name, level: view.level }, row),
        body: n.body,
        trail: trailNodes.map((t) => ({ id: t.id, name: t.name, level: t.level })),
        children: children.map((c) => progress({ id: c.id, name: c.name, level: c.level }, c)),
        abilities: {
          // The checklist names households: for who reads the registry there or delivers there.
          checklist: deliver || can(actor, 'people.read', viewPath),
          deliver,
        },
      };
    },

    /** The households of a node of the notice's subtree with their delivery: the grid worker's checklist. */
    async households(ctx: RequestContext, id: number, q: z.infer<typeof noticeHouseholdsQuery>) {
      const actor = actorOf(ctx);
      const { n, scopes, view } = await visibleNotice(actor, id);
      const path =
        q.node !== undefined ? (await chosenNode(scopes, n.node_path, q.node, 'query.node')).path : view;
      const { total, rows } = await repo.listChecklist(
        db,
        { noticeId: n.id, path, lastHouseholdId: n.last_household_id, status: q.status },
        q.pageSize,
        (q.page - 1) * q.pageSize,
      );
      const items: NoticeHousehold[] = rows.map((r) => {
        // Address and head's name are the registry's: shown to who reads people there.
        const reads = can(actor, 'people.read', r.node_path);
        return {
          id: r.id,
          address: reads ? r.address : null,
          node: { id: r.node_id, name: r.node_name },
          headName: reads ? (r.head_name ?? null) : null,
          delivered: r.delivery_id !== null,
          method: (r.method as DeliveryMethod | null) ?? null,
          note: r.note ?? null,
          deliveredAt: r.delivered_at ?? null,
          deliveredBy: r.delivered_by ?? null,
          abilities: { deliver: can(actor, 'notices.deliver', r.node_path) },
        };
      });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    async deliver(ctx: RequestContext, id: number, b: DeliverBody): Promise<DeliverResponse> {
      const actor = actorOf(ctx);
      const n = await repo.findNotice(db, id);
      if (!n) throw notFound('notice');
      const found = new Map(
        (await repo.householdsByIds(db, [...new Set(b.householdIds)])).map((h) => [h.id, h]),
      );
      const issues: ProblemIssue[] = [];
      const refused: ProblemIssue[] = [];
      const seen = new Set<number>();
      b.householdIds.forEach((hid, i) => {
        const at = `body.householdIds.${i}`;
        const h = found.get(hid);
        if (seen.has(hid))
          issues.push({ path: at, message: msg('issue.household_twice', { id: hid }), code: 'duplicate' });
        else if (!h)
          issues.push({ path: at, message: msg('issue.household_unknown', { id: hid }), code: 'unknown' });
        // Scope before state: whether the notice reaches a household outside the caller's
        // jurisdiction is not theirs to learn.
        else if (!can(actor, 'notices.deliver', h.node_path))
          refused.push({ path: at, message: msg('issue.household_outside', { id: hid }), code: 'forbidden' });
        else if (!isWithin(h.node_path, n.node_path) || h.id > n.last_household_id)
          issues.push({
            path: at,
            message: msg('issue.household_not_addressed', { id: hid }),
            code: 'outside_notice',
          });
        seen.add(hid);
      });
      if (refused.length > 0)
        throw new AppError(403, 'forbidden', msg('forbidden.households_outside'), {
          issues: refused,
        });
      if (issues.length > 0) throw badRequest('notice.households', {}, issues);

      const written = await db.transaction().execute(async (trx) => {
        const at = now();
        const rows = b.householdIds.map((hid) => ({
          notice_id: n.id,
          household_id: hid,
          node_path: found.get(hid)!.node_path,
          method: b.method,
          note: b.note ?? null,
          delivered_at: at,
          delivered_by_user_id: actor.userId,
        }));
        // Already delivered ones stay as they were (also when another worker's call got there first).
        const inserted = await repo.insertDeliveries(trx, rows);
        if (inserted.length === 0) return [];
        const byNode = new Map<string, number>();
        for (const r of inserted) byNode.set(r.node_path, (byNode.get(r.node_path) ?? 0) + 1);
        for (const [path, count] of byNode) {
          await repo.addDelivered(trx, n.id, pathsUpTo(path, n.node_path), count);
          await bumpCounters(trx, path, { 'notices.delivered': count }, n.command_id);
        }
        const paths = [...byNode.keys()];
        await recordAudit(trx, ctx, {
          action: 'notice.deliver',
          entityType: 'notice',
          entityId: n.id,
          nodePath: paths.length === 1 ? paths[0]! : n.node_path,
          detail: {
            count: inserted.length,
            method: b.method,
            skipped: b.householdIds.length - inserted.length,
          },
        });
        await recordLive(trx, {
          kind: 'notice.delivered',
          paths,
          commandId: n.command_id,
          payload: { noticeId: n.id, delivered: inserted.length },
        });
        return inserted.map((r) => r.household_id);
      });
      if (written.length > 0) deps.live?.poke();
      const done = new Set(written);
      return {
        delivered: b.householdIds.filter((h) => done.has(h)),
        skipped: b.householdIds.filter((h) => !done.has(h)),
      };
    },

    /** Takes back a delivery recorded by mistake. */
    async undeliver(ctx: RequestContext, id: number, householdId: number): Promise<{ ok: true }> {
      const actor = actorOf(ctx);
      const n = await repo.findNotice(db, id);
      if (!n) throw notFound('notice');
      // Scope before state: the household's place decides, so that a household outside the caller's
      // jurisdiction answers 403 whether or not it got the notice.
      const [h] = await repo.householdsByIds(db, [householdId]);
      if (!h) throw notFound('household');
      assertCan(actor, 'notices.deliver', h.node_path);
      const d = await repo.findDelivery(db, n.id, householdId);
      if (!d) throw notFound('delivery');
      assertCan(actor, 'notices.deliver', d.node_path);
      const undone = await db.transaction().execute(async (trx) => {
        const del = await repo.deleteDelivery(trx, d.id);
        // Someone else took it back meanwhile: nothing to count down.
        if (Number(del.numDeletedRows) === 0) return false;
        await repo.addDelivered(trx, n.id, pathsUpTo(d.node_path, n.node_path), -1);
        await bumpCounters(trx, d.node_path, { 'notices.delivered': -1 }, n.command_id);
        await recordAudit(trx, ctx, {
          action: 'notice.undeliver',
          entityType: 'notice',
          entityId: n.id,
          nodePath: d.node_path,
          before: { householdId, method: d.method, deliveredAt: d.delivered_at },
          detail: { householdId },
        });
        await recordLive(trx, {
          kind: 'notice.undelivered',
          paths: [d.node_path],
          commandId: n.command_id,
          payload: { noticeId: n.id, householdId },
        });
        return true;
      });
      if (!undone) throw notFound('delivery');
      deps.live?.poke();
      return { ok: true };
    },
  };
  return service;
}
export type NoticesService = ReturnType<typeof createNoticesService>;
