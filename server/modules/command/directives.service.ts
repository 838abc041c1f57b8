// Directives (指令): issued from a node to targets below it, signed for and reported back at every
// target, relayed down with added instructions so that one order reaches every level ("one voice
// all the way down"), tracked on a board over the whole cascade, and escalated by the sweep when a
// deadline passes. Every change: one transaction with history, counters, audit and a live update.
import { DEFAULT_LANG, msg, type Lang } from '../../../common/messages/index.js';
import type { z } from 'zod';
import type {
  BoardResponse,
  boardQuery,
  DirectiveDetail,
  DirectiveSummary,
  DirectiveTarget,
  DirectiveTask,
  IssueDirectiveBody,
  listDirectivesQuery,
  RelayDirectiveBody,
  StateCounts,
  TargetSpec,
} from '../../../common/contracts/command.js';
import { ancestorPaths, LEVELS, type Level } from '../../../common/tree.js';
import type { DB, Executor } from '../../db/index.js';
import { isUniqueViolation, nowIso } from '../../db/index.js';
import {
  actorOf,
  assertDistrictWide,
  can,
  isWithin,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound, type ProblemIssue } from '../../platform/errors.js';
import { renderActorLabel, renderStoredText } from '../../platform/lang.js';
import { bumpCountersMany, recordLive, type LivePoke } from '../../platform/live.js';
import { notify } from '../notifications/index.js';
import * as repo from './command.repository.js';
import {
  claimFiles,
  filesByDirective,
  filesByTarget,
  fileRepo,
  UNCLAIMED_FILE_MS,
} from './directive-files.js';
import {
  counterDelta,
  isOverdue,
  targetTransition,
  type TargetAction,
  type TargetState,
} from './directives.workflow.js';

const concurrentChange = () => conflict('directive.concurrent', {}, {});

/** One directive reaches at most this many nodes (a district has about a thousand grids). */
const MAX_TARGETS = 5000;
const BOARD_LIST_LIMIT = 500;

type Issue = ProblemIssue;
type NodeLite = { id: number; path: string; level: string; name: string };

const depthOf = (path: string) => ancestorPaths(path).length;
const pathAtDepth = (path: string, depth: number) => ancestorPaths(path)[depth - 1] ?? path;
const parentPath = (path: string) => {
  const chain = ancestorPaths(path);
  return chain.length > 1 ? chain[chain.length - 2]! : null;
};

function emptyCounts(): StateCounts {
  return { total: 0, pending: 0, signed: 0, reported: 0, overdue: 0 };
}
function addTo(
  c: StateCounts,
  t: { state: string; sign_due_at: string; report_due_at: string },
  now: string,
) {
  c.total++;
  c[t.state as TargetState]++;
  if (isOverdue(t, now)) c.overdue++;
}

export function createDirectivesService(deps: { db: DB; live?: LivePoke; now?: () => string }) {
  const { db } = deps;
  const now = deps.now ?? nowIso;
  const poke = () => deps.live?.poke();

  /** The nodes a spec names, all below `issuerPath`; bad ones are listed, nothing is guessed. */
  async function resolveTargets(
    x: Executor,
    issuerPath: string,
    spec: TargetSpec,
    at: 'body.targets',
    issues: Issue[],
  ): Promise<NodeLite[]> {
    const below = (p: string) => p !== issuerPath && isWithin(p, issuerPath);
    let nodes: NodeLite[];
    if (spec.kind === 'nodes') {
      const found = new Map((await repo.nodesByIds(x, spec.nodeIds)).map((n) => [n.id, n]));
      spec.nodeIds.forEach((id, i) => {
        const n = found.get(id);
        if (!n || n.retired_at)
          issues.push({
            path: `${at}.nodeIds.${i}`,
            message: msg('issue.unknown_or_retired_node'),
            code: 'unknown',
          });
        else if (!below(n.path))
          issues.push({
            path: `${at}.nodeIds.${i}`,
            message: msg('issue.not_below_issuer'),
            code: 'outside',
          });
      });
      nodes = [...new Map(spec.nodeIds.map((id) => [id, found.get(id)!])).values()].filter(
        (n) => n && !n.retired_at,
      );
    } else {
      const found = new Map((await repo.nodesByIds(x, spec.within)).map((n) => [n.id, n]));
      spec.within.forEach((id, i) => {
        const n = found.get(id);
        if (!n || n.retired_at)
          issues.push({
            path: `${at}.within.${i}`,
            message: msg('issue.unknown_or_retired_node'),
            code: 'unknown',
          });
        else if (!isWithin(n.path, issuerPath))
          issues.push({
            path: `${at}.within.${i}`,
            message: msg('issue.not_inside_issuer'),
            code: 'outside',
          });
      });
      if (spec.kind === 'level') {
        const issuerDepth = depthOf(issuerPath);
        if (LEVELS.indexOf(spec.level) < issuerDepth)
          issues.push({ path: `${at}.level`, message: msg('issue.level_below_issuer'), code: 'level' });
      }
      const roots = spec.within.map((id) => found.get(id)?.path).filter((p): p is string => !!p);
      nodes =
        issues.length > 0
          ? []
          : (await repo.nodesInSubtrees(x, roots, spec.kind === 'level' ? spec.level : null)).filter((n) =>
              below(n.path),
            );
    }
    if (!issues.some((i) => i.path.startsWith(at)) && nodes.length === 0)
      issues.push({ path: at, message: msg('issue.no_target_named'), code: 'empty' });
    if (nodes.length > MAX_TARGETS)
      issues.push({
        path: at,
        message: msg('issue.too_many_targets', { max: MAX_TARGETS }),
        code: 'too_many',
      });
    return nodes;
  }

  /** Deadlines must lie ahead; problems join those of the targets, so that one answer lists them all. */
  function checkDeadlines(b: { signDueAt: string; reportDueAt: string }, at: string): Issue[] {
    const issues: Issue[] = [];
    if (b.signDueAt <= at)
      issues.push({ path: 'body.signDueAt', message: msg('issue.future_time'), code: 'past' });
    if (b.reportDueAt <= at)
      issues.push({ path: 'body.reportDueAt', message: msg('issue.future_time'), code: 'past' });
    return issues;
  }
  async function validTargets(
    x: Executor,
    issuerPath: string,
    b: { signDueAt: string; reportDueAt: string; targets: TargetSpec },
    at: string,
  ) {
    const issues = checkDeadlines(b, at);
    const nodes = await resolveTargets(x, issuerPath, b.targets, 'body.targets', issues);
    if (issues.length > 0) throw badRequest('directive.invalid', {}, issues);
    return nodes;
  }

  /** Writes a directive and its targets, with history, counters, notifications and a live update. */
  async function writeDirective(
    trx: Executor,
    ctx: RequestContext,
    v: {
      commandId: number | null;
      parent: repo.DirectiveRow | null;
      parentTargetId: number | null;
      issuer: NodeLite;
      title: string;
      body: string;
      priority: string;
      spec: TargetSpec;
      targets: NodeLite[];
      signDueAt: string;
      reportDueAt: string;
      at: string;
    },
  ) {
    const actor = actorOf(ctx);
    const id = await repo.insertDirective(trx, {
      command_id: v.commandId,
      parent_id: v.parent?.id ?? null,
      parent_target_id: v.parentTargetId,
      root_id: v.parent?.root_id ?? null,
      depth: v.parent ? v.parent.depth + 1 : 0,
      issuer_node_id: v.issuer.id,
      issuer_node_path: v.issuer.path,
      issued_by_user_id: actor.userId,
      title: v.title,
      body: v.body,
      priority: v.priority,
      sign_due_at: v.signDueAt,
      report_due_at: v.reportDueAt,
      target_kind: v.spec.kind,
      target_level: v.spec.kind === 'level' ? v.spec.level : null,
      target_count: v.targets.length,
      created_at: v.at,
    });
    const rootId = v.parent?.root_id ?? id;
    await repo.insertTargets(
      trx,
      v.targets.map((n) => ({
        directive_id: id,
        root_id: rootId,
        command_id: v.commandId,
        node_id: n.id,
        node_path: n.path,
        node_level: n.level,
        state: 'pending',
        overdue: 0,
        sign_due_at: v.signDueAt,
        report_due_at: v.reportDueAt,
        signed_at: null,
        signed_by_user_id: null,
        reported_at: null,
        reported_by_user_id: null,
        report_text: null,
        report_figures: null,
        sign_escalated_at: null,
        report_escalated_at: null,
        reminded_at: null,
        relay_id: null,
        created_at: v.at,
        updated_at: v.at,
      })),
    );
    await bumpCountersMany(
      trx,
      v.targets.map((n) => ({
        nodePath: n.path,
        deltas: counterDelta(null, { state: 'pending', node_level: n.level, overdue: 0 }),
      })),
      v.commandId,
    );
    await repo.addHistory(trx, {
      directive_id: id,
      target_id: null,
      root_id: rootId,
      node_path: v.issuer.path,
      action: v.parent ? 'relay_issue' : 'issue',
      at: v.at,
      actor_user_id: actor.userId,
      actor_label: actor.displayName,
      text: `${v.targets.length}`,
    });
    const responders = await repo.usersAtNodes(
      trx,
      v.targets.map((n) => n.id),
      'directives.respond',
    );
    const userIds = [...new Set(responders.map((r) => r.userId))];
    for (let i = 0; i < userIds.length; i += 1000)
      await notify(trx, userIds.slice(i, i + 1000), {
        at: v.at,
        kind: 'directive.issued',
        message: msg('notification.directive.issued', { title: v.title }),
        entityType: 'directive',
        entityId: id,
      });
    await recordAudit(trx, ctx, {
      action: v.parent ? 'directive.relay' : 'directive.issue',
      entityType: 'directive',
      entityId: id,
      nodePath: v.issuer.path,
      detail: {
        targets: v.targets.length,
        ...(v.parent ? { parent: v.parent.id } : {}),
        ...(v.commandId ? { command: v.commandId } : {}),
      },
    });
    await recordLive(trx, {
      kind: 'directive.issued',
      paths: [v.issuer.path, ...v.targets.map((n) => n.path)],
      commandId: v.commandId,
      payload: { id, rootId, parentId: v.parent?.id ?? null },
    });
    return id;
  }

  /** The actor answers for a target when assigned at its very node with the permission. */
  const answersFor = (actor: Actor, nodeId: number, permission: 'directives.respond' | 'directives.issue') =>
    actor.assignments.some((a) => a.nodeId === nodeId && a.permissions.has(permission));

  function targetActions(actor: Actor, t: repo.TargetRow): DirectiveTarget['actions'] {
    const out: DirectiveTarget['actions'] = [];
    if (t.state === 'pending' && answersFor(actor, t.node_id, 'directives.respond')) out.push('sign');
    if (t.state === 'signed' && answersFor(actor, t.node_id, 'directives.respond')) out.push('report');
    if (
      t.state !== 'reported' &&
      t.relay_id === null &&
      t.node_level !== 'grid' &&
      t.node_level !== 'microgrid' &&
      answersFor(actor, t.node_id, 'directives.issue')
    )
      out.push('relay');
    return out;
  }

  function targetOut(
    actor: Actor,
    t: repo.TargetRow,
    at: string,
    files: Map<number, DirectiveTarget['files']>,
  ): DirectiveTarget {
    return {
      id: t.id,
      directiveId: t.directive_id,
      node: { id: t.node_id, name: t.node_name, level: t.node_level },
      state: t.state as TargetState,
      overdue: isOverdue(t, at),
      signDueAt: t.sign_due_at,
      reportDueAt: t.report_due_at,
      signedAt: t.signed_at,
      signedBy: t.signed_by,
      reportedAt: t.reported_at,
      reportedBy: t.reported_by,
      reportText: t.report_text,
      reportFigures: t.report_figures ? (JSON.parse(t.report_figures) as Record<string, number>) : null,
      relayId: t.relay_id,
      escalated: t.sign_escalated_at !== null || t.report_escalated_at !== null,
      remindedAt: t.reminded_at,
      files: files.get(t.id) ?? [],
      actions: targetActions(actor, t),
    };
  }

  function summaryOut(d: repo.DirectiveRow, counts: StateCounts): DirectiveSummary {
    return {
      id: d.id,
      rootId: d.root_id ?? d.id,
      parentId: d.parent_id,
      depth: d.depth,
      commandId: d.command_id,
      title: d.title,
      priority: d.priority as DirectiveSummary['priority'],
      issuer: { id: d.issuer_node_id, name: d.issuer_name, level: d.issuer_level },
      issuedBy: d.issued_by ?? '',
      signDueAt: d.sign_due_at,
      reportDueAt: d.report_due_at,
      createdAt: d.created_at,
      counts,
    };
  }

  /** Who may look at a directive: its issuer's jurisdiction, or a jurisdiction holding one of its targets. */
  async function loadVisible(x: Executor, actor: Actor, id: number) {
    const d = await repo.findDirective(x, id);
    if (!d) throw notFound('directive');
    const scopes = scopesFor(actor, 'command.read');
    if (scopes.some((s) => isWithin(d.issuer_node_path, s))) return { d, scopes };
    const answering = actor.assignments
      .filter((a) => a.permissions.has('directives.respond'))
      .map((a) => a.nodeId);
    if (await repo.hasTargetIn(x, d.id, scopes, answering)) return { d, scopes };
    throw forbidden();
  }

  async function countsOf(x: Executor, directiveIds: number[], at: string, scopes: readonly string[] | null) {
    const out = new Map<number, StateCounts>(directiveIds.map((id) => [id, emptyCounts()]));
    if (directiveIds.length === 0) return out;
    for (const r of await repo.targetCounts(x, directiveIds, at, scopes)) {
      const c = out.get(r.directive_id)!;
      c.total += Number(r.n);
      c[r.state as TargetState] += Number(r.n);
      c.overdue += Number(r.overdue);
    }
    return out;
  }

  async function detail(
    x: Executor,
    actor: Actor,
    d: repo.DirectiveRow,
    scopes: readonly string[],
    lang: Lang,
  ): Promise<DirectiveDetail> {
    const at = now();
    const issuerSeen = scopes.some((s) => isWithin(d.issuer_node_path, s));
    const counts = (await countsOf(x, [d.id], at, issuerSeen ? null : scopes)).get(d.id)!;
    const lineage: DirectiveDetail['lineage'] = [];
    for (
      let cur: repo.DirectiveRow | undefined = d;
      cur;
      cur = cur.parent_id ? await repo.findDirective(x, cur.parent_id) : undefined
    )
      lineage.unshift({
        id: cur.id,
        issuer: { id: cur.issuer_node_id, name: cur.issuer_name, level: cur.issuer_level },
        title: cur.title,
        body: cur.body,
        createdAt: cur.created_at,
        files: [],
      });
    const lineageFiles = await filesByDirective(
      x,
      lineage.map((l) => l.id),
    );
    for (const l of lineage) l.files = lineageFiles.get(l.id) ?? [];
    const nodeIds = [...new Set(actor.assignments.map((a) => a.nodeId))];
    const mine = await repo.targetsOfDirectiveAtNodes(x, d.id, nodeIds);
    const myFiles = await filesByTarget(
      x,
      mine.map((t) => t.id),
    );
    const myTargets = mine.map((t) => targetOut(actor, t, at, myFiles));
    // A target's steps are seen by whose jurisdiction holds it; the issuing step by every reader.
    const history = (await repo.historyOf(x, d.id))
      .filter(
        (h) =>
          h.action === 'issue' || h.action === 'relay_issue' || scopes.some((s) => isWithin(h.node_path, s)),
      )
      .map((h) => ({
        id: h.id,
        at: h.at,
        action: h.action,
        actor: renderActorLabel(h.actor_label, lang),
        node: h.node_name,
        // The sweep's reasons are codes; what people wrote is kept as written.
        text: h.text === null ? null : renderStoredText(h.text, lang),
      }));
    // Where the caller may relay it from: a node they command strictly below the issuer, with a
    // target at or below it still open, not relayed from there yet.
    const relayed = new Set((await repo.relaysOf(x, d.id)).map((r) => r.issuer_node_id));
    const relayFrom: DirectiveDetail['relayFrom'] = [];
    for (const a of actor.assignments) {
      if (
        !a.permissions.has('directives.issue') ||
        relayed.has(a.nodeId) ||
        a.nodePath === d.issuer_node_path ||
        !isWithin(a.nodePath, d.issuer_node_path) ||
        relayFrom.some((r) => r.id === a.nodeId)
      )
        continue;
      const below = await repo.targetsUnder(x, d.root_id ?? d.id, a.nodePath, [d.id]);
      if (below.some((t) => t.node_id !== a.nodeId || t.state !== 'reported'))
        relayFrom.push({ id: a.nodeId, name: a.nodeName, level: a.nodeLevel });
    }
    return {
      ...summaryOut(d, counts),
      body: d.body,
      files: lineageFiles.get(d.id) ?? [],
      relayFrom,
      lineage,
      myTargets,
      history,
      abilities: { board: scopes.length > 0, remind: can(actor, 'directives.issue', d.issuer_node_path) },
    };
  }

  return {
    async issue(ctx: RequestContext, b: IssueDirectiveBody): Promise<DirectiveDetail> {
      const actor = actorOf(ctx);
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const [issuer] = await repo.nodesByIds(trx, [b.issuerNodeId]);
        if (!issuer || issuer.retired_at)
          throw badRequest('directive.issuer', {}, [
            { path: 'body.issuerNodeId', message: msg('issue.unknown_or_retired_node'), code: 'unknown' },
          ]);
        if (!can(actor, 'directives.issue', issuer.path)) throw forbidden();
        let commandId: number | null = null;
        if (b.commandId) {
          const c = await repo.findCommand(trx, b.commandId);
          if (!c || !isWithin(issuer.path, c.node_path))
            throw badRequest('directive.command', {}, [
              {
                path: 'body.commandId',
                message: msg('issue.no_command_covers'),
                code: 'command',
              },
            ]);
          if (c.closed_at) throw conflict('command.closed', {}, { closedAt: c.closed_at });
          commandId = c.id;
        }
        const targets = await validTargets(trx, issuer.path, b, at);
        const id = await writeDirective(trx, ctx, {
          commandId,
          parent: null,
          parentTargetId: null,
          issuer,
          title: b.title,
          body: b.body,
          priority: b.priority,
          spec: b.targets,
          targets,
          signDueAt: b.signDueAt,
          reportDueAt: b.reportDueAt,
          at,
        });
        await claimFiles(trx, b.files, { uploaderUserId: actor.userId, directiveId: id, targetId: null, at });
        return id;
      });
      poke();
      return this.get(ctx, id);
    },

    async list(ctx: RequestContext, q: z.infer<typeof listDirectivesQuery>) {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'command.read');
      const { items, total } = await repo.listDirectives(db, {
        scopes,
        box: q.box,
        commandId: q.command,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      const at = now();
      // Counts of what the caller may see: all targets where the issuer is inside the scope, else the scope's own.
      const issuedInside = (d: repo.DirectiveRow) => scopes.some((s) => isWithin(d.issuer_node_path, s));
      const counts = await countsOf(
        db,
        items.filter(issuedInside).map((d) => d.id),
        at,
        null,
      );
      const scoped = await countsOf(
        db,
        items.filter((d) => !issuedInside(d)).map((d) => d.id),
        at,
        scopes,
      );
      return {
        items: items.map((d) => summaryOut(d, (issuedInside(d) ? counts : scoped).get(d.id)!)),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    /** Who may read a directive (its page, its attachments). */
    visible(ctx: RequestContext, id: number) {
      return loadVisible(db, actorOf(ctx), id);
    },

    async get(ctx: RequestContext, id: number): Promise<DirectiveDetail> {
      const actor = actorOf(ctx);
      const { d, scopes } = await loadVisible(db, actor, id);
      return detail(db, actor, d, scopes, ctx.lang ?? DEFAULT_LANG);
    },

    /** The caller's targets still to sign for or report on, latest deadline last, overdue first. */
    async tasks(ctx: RequestContext): Promise<{ items: DirectiveTask[] }> {
      const actor = actorOf(ctx);
      const at = now();
      const nodeIds = [
        ...new Set(
          actor.assignments
            .filter((a) => a.permissions.has('directives.respond') || a.permissions.has('directives.issue'))
            .map((a) => a.nodeId),
        ),
      ];
      const targets = await repo.openTargetsAtNodes(db, nodeIds);
      const directives = new Map(
        (await repo.directivesByIds(db, [...new Set(targets.map((t) => t.directive_id))])).map((d) => [
          d.id,
          d,
        ]),
      );
      const files = await filesByTarget(
        db,
        targets.map((t) => t.id),
      );
      const items = targets
        .map((t) => {
          const d = directives.get(t.directive_id)!;
          return {
            ...targetOut(actor, t, at, files),
            directiveTitle: d.title,
            priority: d.priority as DirectiveTask['priority'],
            issuer: { id: d.issuer_node_id, name: d.issuer_name, level: d.issuer_level },
            body: d.body,
          };
        })
        .filter((t) => t.actions.length > 0)
        .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.reportDueAt.localeCompare(b.reportDueAt));
      return { items };
    },

    /** 签收, 反馈 or 转发 on one target, by who answers for its node. */
    async act(
      ctx: RequestContext,
      targetId: number,
      action: Exclude<TargetAction, 'relay'>,
      b: {
        note?: string | undefined;
        text?: string;
        figures?: Record<string, number>;
        files?: string[] | undefined;
      },
    ): Promise<DirectiveDetail> {
      const actor = actorOf(ctx);
      const at = now();
      const directiveId = await db.transaction().execute(async (trx) => {
        const t = await repo.findTarget(trx, targetId);
        if (!t) throw notFound('directive_target');
        if (!answersFor(actor, t.node_id, 'directives.respond')) throw forbidden('directive_respond');
        const step = targetTransition(t.state as TargetState, action);
        if (!step.ok)
          throw conflict(
            'directive.transition',
            { action: `target_action.${action}`, state: `target_state.${t.state}` },
            {
              state: t.state,
              allowed: step.allowed,
            },
          );
        const after = { ...t, state: step.to };
        const set: Partial<repo.TargetRow> = { state: step.to, updated_at: at };
        if (action === 'sign') Object.assign(set, { signed_at: at, signed_by_user_id: actor.userId });
        if (action === 'report')
          Object.assign(set, {
            reported_at: at,
            reported_by_user_id: actor.userId,
            report_text: b.text ?? '',
            report_figures: JSON.stringify(b.figures ?? {}),
          });
        // The flag stays only while a deadline the new state still owes has passed.
        set.overdue = isOverdue(after, at) && t.overdue ? 1 : 0;
        if (!(await repo.updateTarget(trx, t.id, set, t))) throw concurrentChange();
        if (action === 'report')
          await claimFiles(trx, b.files, {
            uploaderUserId: actor.userId,
            directiveId: t.directive_id,
            targetId: t.id,
            at,
          });
        await bumpCountersMany(
          trx,
          [
            {
              nodePath: t.node_path,
              deltas: counterDelta(t, { ...t, state: step.to, overdue: set.overdue }),
            },
          ],
          t.command_id,
        );
        const text = action === 'report' ? (b.text ?? null) : (b.note ?? null);
        await repo.addHistory(trx, {
          directive_id: t.directive_id,
          target_id: t.id,
          root_id: t.root_id,
          node_path: t.node_path,
          action,
          at,
          actor_user_id: actor.userId,
          actor_label: actor.displayName,
          text,
        });
        await recordAudit(trx, ctx, {
          action: `directive.${action}`,
          entityType: 'directive_target',
          entityId: t.id,
          nodePath: t.node_path,
          detail: { directive: t.directive_id, from: t.state, to: step.to },
        });
        await recordLive(trx, {
          kind: action === 'sign' ? 'directive.signed' : 'directive.reported',
          paths: [t.node_path],
          commandId: t.command_id,
          payload: { id: t.directive_id, rootId: t.root_id, targetId: t.id, state: step.to },
        });
        if (action === 'report') {
          const d = await repo.findDirective(trx, t.directive_id);
          if (d?.issued_by_user_id)
            await notify(trx, [d.issued_by_user_id], {
              at,
              kind: 'directive.reported',
              message: msg('notification.directive.reported', { node: t.node_name, title: d.title }),
              entityType: 'directive',
              entityId: d.id,
            });
        }
        return t.directive_id;
      });
      poke();
      return this.get(ctx, directiveId);
    },

    /**
     * 转发: a node between the issuer and the targets (or a target itself) passes the directive down
     * with its own instructions, once; a target relaying signs for it if nobody had.
     */
    async relay(ctx: RequestContext, directiveId: number, b: RelayDirectiveBody): Promise<DirectiveDetail> {
      const actor = actorOf(ctx);
      const at = now();
      const id = await db
        .transaction()
        .execute(async (trx) => {
          const parent = await repo.findDirective(trx, directiveId);
          if (!parent) throw notFound('directive');
          const [n] = await repo.nodesByIds(trx, [b.nodeId]);
          if (!n)
            throw badRequest('directive.relay_node', {}, [
              { path: 'body.nodeId', message: msg('issue.unknown_or_retired_node'), code: 'unknown' },
            ]);
          // Scope before state: a node the caller does not command answers 403, retired or not.
          if (!answersFor(actor, n.id, 'directives.issue')) throw forbidden('directive_relay');
          if (n.retired_at)
            throw badRequest('directive.relay_node', {}, [
              { path: 'body.nodeId', message: msg('issue.unknown_or_retired_node'), code: 'unknown' },
            ]);
          if (n.path === parent.issuer_node_path || !isWithin(n.path, parent.issuer_node_path))
            throw badRequest('directive.relay_node', {}, [
              { path: 'body.nodeId', message: msg('issue.not_below_issuer'), code: 'outside' },
            ]);
          const [t] = await repo.targetsOfDirectiveAtNodes(trx, parent.id, [n.id]);
          if (t) {
            const step = targetTransition(t.state as TargetState, 'relay');
            if (!step.ok)
              throw conflict(
                'directive.transition',
                { action: 'target_action.relay', state: `target_state.${t.state}` },
                {
                  state: t.state,
                  allowed: step.allowed,
                },
              );
          } else if (
            (await repo.targetsUnder(trx, parent.root_id ?? parent.id, n.path, [parent.id])).length === 0
          ) {
            throw badRequest('directive.relay_node', {}, [
              { path: 'body.nodeId', message: msg('issue.no_target_below'), code: 'no_target' },
            ]);
          }
          const earlier = await repo.relayOf(trx, parent.id, n.id);
          if (earlier)
            throw conflict(
              'directive.relayed',
              {},
              {
                relayId: earlier.id,
              },
            );
          const issuer = { id: n.id, path: n.path, level: n.level, name: n.name };
          const targets = await validTargets(trx, n.path, b, at);
          const relayId = await writeDirective(trx, ctx, {
            commandId: parent.command_id,
            parent,
            parentTargetId: t?.id ?? null,
            issuer,
            title: parent.title,
            body: b.instructions,
            priority: parent.priority,
            spec: b.targets,
            targets,
            signDueAt: b.signDueAt,
            reportDueAt: b.reportDueAt,
            at,
          });
          await claimFiles(trx, b.files, {
            uploaderUserId: actor.userId,
            directiveId: relayId,
            targetId: null,
            at,
          });
          const rootId = parent.root_id ?? parent.id;
          if (t) {
            const set: Partial<repo.TargetRow> = { relay_id: relayId, updated_at: at };
            if (t.state === 'pending')
              Object.assign(set, {
                state: 'signed',
                signed_at: at,
                signed_by_user_id: actor.userId,
                overdue: isOverdue({ ...t, state: 'signed' }, at) && t.overdue ? 1 : 0,
              });
            if (!(await repo.updateTarget(trx, t.id, set, t))) throw concurrentChange();
            if (t.state === 'pending') {
              await bumpCountersMany(
                trx,
                [
                  {
                    nodePath: t.node_path,
                    deltas: counterDelta(t, { ...t, state: 'signed', overdue: set.overdue ?? 0 }),
                  },
                ],
                t.command_id,
              );
              await repo.addHistory(trx, {
                directive_id: t.directive_id,
                target_id: t.id,
                root_id: rootId,
                node_path: t.node_path,
                action: 'sign',
                at,
                actor_user_id: actor.userId,
                actor_label: actor.displayName,
                text: null,
              });
            }
          }
          await repo.addHistory(trx, {
            directive_id: parent.id,
            target_id: t?.id ?? null,
            root_id: rootId,
            node_path: n.path,
            action: 'relay',
            at,
            actor_user_id: actor.userId,
            actor_label: actor.displayName,
            text: `${targets.length}`,
          });
          await recordLive(trx, {
            kind: 'directive.relayed',
            paths: [n.path],
            commandId: parent.command_id,
            payload: { id: parent.id, rootId, ...(t ? { targetId: t.id } : {}), relayId },
          });
          return relayId;
        })
        // Two commanders of one node relaying at the same moment: the unique index lets one through.
        .catch((e: unknown) => {
          if (isUniqueViolation(e)) throw conflict('directive.relayed', {}, {});
          throw e;
        });
      poke();
      return this.get(ctx, id);
    },

    /** The tracking board: the directive and every relay below it, seen from a node, with drill-down. */
    async board(ctx: RequestContext, id: number, q: z.infer<typeof boardQuery>): Promise<BoardResponse> {
      const actor = actorOf(ctx);
      const at = now();
      const d = await repo.findDirective(db, id);
      if (!d) throw notFound('directive');
      const scopes = scopesFor(actor, 'command.read');
      let view: NodeLite;
      if (q.node) {
        const [n] = await repo.nodesByIds(db, [q.node]);
        if (!n) throw notFound('node');
        if (!scopes.some((s) => isWithin(n.path, s))) throw forbidden();
        if (!isWithin(n.path, d.issuer_node_path))
          throw badRequest('directive.board_node', {}, [
            { path: 'query.node', message: msg('issue.not_inside_issuer'), code: 'outside' },
          ]);
        view = n;
      } else if (scopes.some((s) => isWithin(d.issuer_node_path, s))) {
        view = { id: d.issuer_node_id, path: d.issuer_node_path, level: d.issuer_level, name: d.issuer_name };
      } else {
        // Seen from below (a town on the district's directive): from the caller's own place in it.
        const inside = scopes.filter((s) => isWithin(s, d.issuer_node_path));
        const [n] = inside.length > 0 ? await repo.namesOfPaths(db, [inside[0]!]) : [];
        if (!n) throw forbidden();
        view = n;
      }
      const cascade = await repo.directivesOfRoot(db, d.root_id ?? d.id);
      const below = new Set([d.id]);
      for (const c of cascade) if (c.parent_id !== null && below.has(c.parent_id)) below.add(c.id);
      const targets = await repo.targetsUnder(db, d.root_id ?? d.id, view.path, [...below]);
      // Seen from below, a directive that sent nothing to the caller's place is not theirs to see.
      if (targets.length === 0 && !scopes.some((s) => isWithin(d.issuer_node_path, s))) throw forbidden();
      const titles = new Map(cascade.map((c) => [c.id, c]));

      const levels = new Map<string, StateCounts>();
      const children = new Map<string, StateCounts>();
      const byDirective = new Map<number, StateCounts>();
      const viewDepth = depthOf(view.path);
      for (const t of targets) {
        addTo(levels.get(t.node_level) ?? levels.set(t.node_level, emptyCounts()).get(t.node_level)!, t, at);
        const key = t.node_path === view.path ? view.path : pathAtDepth(t.node_path, viewDepth + 1);
        addTo(children.get(key) ?? children.set(key, emptyCounts()).get(key)!, t, at);
        addTo(
          byDirective.get(t.directive_id) ??
            byDirective.set(t.directive_id, emptyCounts()).get(t.directive_id)!,
          t,
          at,
        );
      }
      const names = new Map((await repo.namesOfPaths(db, [...children.keys()])).map((n) => [n.path, n]));
      const wanted = targets.filter(
        (t) => q.status === 'all' || (q.status === 'overdue' ? isOverdue(t, at) : t.state === q.status),
      );
      wanted.sort(
        (a, b) =>
          Number(isOverdue(b, at)) - Number(isOverdue(a, at)) ||
          a.node_path.localeCompare(b.node_path) ||
          a.directive_id - b.directive_id,
      );
      const own = byDirective.get(d.id) ?? emptyCounts();
      const files = await filesByTarget(
        db,
        wanted.slice(0, BOARD_LIST_LIMIT).map((t) => t.id),
      );
      return {
        directive: summaryOut(d, own),
        node: { id: view.id, name: view.name, level: view.level },
        levels: [...levels]
          .map(([level, c]) => ({ level, ...c }))
          .sort((a, b) => LEVELS.indexOf(a.level as Level) - LEVELS.indexOf(b.level as Level)),
        children: [...children]
          .map(([path, c]) => {
            const n = names.get(path)!;
            return { node: { id: n.id, name: n.name, level: n.level }, self: path === view.path, ...c };
          })
          .sort(
            (a, b) =>
              Number(b.self) - Number(a.self) ||
              b.overdue - a.overdue ||
              a.node.name.localeCompare(b.node.name, 'zh'),
          ),
        targets: wanted.slice(0, BOARD_LIST_LIMIT).map((t) => ({
          ...targetOut(actor, t, at, files),
          directiveTitle: titles.get(t.directive_id)?.title ?? '',
          depth: titles.get(t.directive_id)?.depth ?? 0,
        })),
        truncated: wanted.length > BOARD_LIST_LIMIT,
        cascade: cascade
          .filter(
            (c) =>
              below.has(c.id) &&
              c.id !== d.id &&
              (isWithin(c.issuer_node_path, view.path) || isWithin(view.path, c.issuer_node_path)),
          )
          .map((c) => ({
            id: c.id,
            parentId: c.parent_id,
            depth: c.depth,
            issuer: { id: c.issuer_node_id, name: c.issuer_name, level: c.issuer_level },
            title: c.title,
            createdAt: c.created_at,
            counts: byDirective.get(c.id) ?? emptyCounts(),
          })),
      };
    },

    /** One click: every target below the node that has not reported back (of the whole cascade) is reminded. */
    async remind(ctx: RequestContext, id: number, nodeId: number | undefined) {
      const actor = actorOf(ctx);
      const at = now();
      const out = await db.transaction().execute(async (trx) => {
        const d = await repo.findDirective(trx, id);
        if (!d) throw notFound('directive');
        if (!can(actor, 'directives.issue', d.issuer_node_path)) throw forbidden();
        let path = d.issuer_node_path;
        if (nodeId) {
          const [n] = await repo.nodesByIds(trx, [nodeId]);
          if (!n || !isWithin(n.path, d.issuer_node_path))
            throw badRequest('directive.remind_node', {}, [
              { path: 'body.nodeId', message: msg('issue.not_inside_issuer'), code: 'outside' },
            ]);
          path = n.path;
        }
        const cascade = await repo.directivesOfRoot(trx, d.root_id ?? d.id);
        const below = new Set([d.id]);
        for (const c of cascade) if (c.parent_id !== null && below.has(c.parent_id)) below.add(c.id);
        const laggards = (await repo.targetsUnder(trx, d.root_id ?? d.id, path, [...below])).filter(
          (t) => t.state !== 'reported',
        );
        if (laggards.length === 0) return { reminded: 0, users: 0, paths: [] as string[] };
        const responders = await repo.usersAtNodes(
          trx,
          laggards.map((t) => t.node_id),
          'directives.respond',
        );
        const users = [...new Set(responders.map((r) => r.userId))];
        for (let i = 0; i < users.length; i += 1000)
          await notify(trx, users.slice(i, i + 1000), {
            at,
            kind: 'directive.reminded',
            message: msg('notification.directive.reminded', { title: d.title }),
            entityType: 'directive',
            entityId: d.id,
          });
        await trx
          .updateTable('directive_targets')
          .set({ reminded_at: at })
          .where(
            'id',
            'in',
            laggards.map((t) => t.id),
          )
          .execute();
        await repo.addHistory(trx, {
          directive_id: d.id,
          target_id: null,
          root_id: d.root_id ?? d.id,
          node_path: path,
          action: 'remind',
          at,
          actor_user_id: actor.userId,
          actor_label: actor.displayName,
          text: `${laggards.length}`,
        });
        await recordAudit(trx, ctx, {
          action: 'directive.remind',
          entityType: 'directive',
          entityId: d.id,
          nodePath: path,
          detail: { targets: laggards.length, users: users.length },
        });
        await recordLive(trx, {
          kind: 'directive.reminded',
          paths: laggards.map((t) => t.node_path),
          commandId: d.command_id,
          payload: { id: d.id, rootId: d.root_id },
        });
        return { reminded: laggards.length, users: users.length, paths: laggards.map((t) => t.node_path) };
      });
      if (out.reminded > 0) poke();
      return { reminded: out.reminded, users: out.users };
    },

    /**
     * The sweep: a target past its sign-for or report-back deadline is flagged overdue and escalated
     * to the node above (notified, recorded), once per deadline. One transaction per directive.
     */
    /** The sweep run by a person: only from the district, since it touches every directive. */
    async sweepNow(ctx: RequestContext) {
      assertDistrictWide(actorOf(ctx), 'command.manage');
      return this.sweep(ctx);
    },

    async sweep(ctx: RequestContext, limit = 2000) {
      const at = now();
      await fileRepo.deleteUnclaimedBefore(db, new Date(Date.parse(at) - UNCLAIMED_FILE_MS).toISOString());
      const due = await repo.pastDueTargets(db, at, limit);
      const byDirective = new Map<number, number[]>();
      for (const id of due) {
        const t = await repo.findTarget(db, id);
        if (t)
          (byDirective.get(t.directive_id) ?? byDirective.set(t.directive_id, []).get(t.directive_id)!).push(
            id,
          );
      }
      let escalated = 0;
      for (const [directiveId, ids] of byDirective) {
        escalated += await db.transaction().execute(async (trx) => {
          const d = (await repo.findDirective(trx, directiveId))!;
          const changes: { nodePath: string; deltas: Record<string, number> }[] = [];
          const paths: string[] = [];
          const above = new Map<string, string[]>();
          for (const id of ids) {
            const t = (await repo.findTarget(trx, id))!;
            const signLate = t.state === 'pending' && t.sign_escalated_at === null && t.sign_due_at < at;
            const reportLate =
              t.state !== 'reported' && t.report_escalated_at === null && t.report_due_at < at;
            if (!signLate && !reportLate) continue;
            // A step taken at this very moment wins; the next sweep looks again.
            if (
              !(await repo.updateTarget(
                trx,
                t.id,
                {
                  overdue: 1,
                  updated_at: at,
                  ...(signLate ? { sign_escalated_at: at } : {}),
                  ...(reportLate ? { report_escalated_at: at } : {}),
                },
                t,
              ))
            )
              continue;
            changes.push({ nodePath: t.node_path, deltas: counterDelta(t, { ...t, overdue: 1 }) });
            const late = reportLate ? 'escalation.directive.report' : 'escalation.directive.sign';
            const up = parentPath(t.node_path);
            await repo.addHistory(trx, {
              directive_id: t.directive_id,
              target_id: t.id,
              root_id: t.root_id,
              node_path: t.node_path,
              action: 'escalate',
              at,
              actor_user_id: null,
              actor_label: 'system',
              text: late,
            });
            if (up) (above.get(up) ?? above.set(up, []).get(up)!).push(t.node_name);
            paths.push(t.node_path);
          }
          if (paths.length === 0) return 0;
          await bumpCountersMany(trx, changes, d.command_id);
          // The node above each late target hears of it: its commanders and cadres (who read commands there).
          const aboveNodes = await repo.namesOfPaths(trx, [...above.keys()]);
          for (const n of aboveNodes) {
            const users = [
              ...new Set((await repo.usersAtNodes(trx, [n.id], 'command.read')).map((r) => r.userId)),
            ];
            const late = above.get(n.path)!;
            await notify(trx, users, {
              at,
              kind: 'directive.escalated',
              message: msg('notification.directive.escalated', {
                places: late.slice(0, 3).join(', ') + (late.length > 3 ? ', …' : ''),
                count: late.length,
                node: n.name,
                title: d.title,
              }),
              entityType: 'directive',
              entityId: d.id,
            });
          }
          await recordAudit(trx, ctx, {
            action: 'directive.escalate',
            entityType: 'directive',
            entityId: d.id,
            nodePath: d.issuer_node_path,
            detail: { targets: paths.length },
          });
          await recordLive(trx, {
            kind: 'directive.escalated',
            paths,
            commandId: d.command_id,
            payload: { id: d.id, rootId: d.root_id },
          });
          return paths.length;
        });
      }
      if (escalated > 0) poke();
      return { escalated };
    },
  };
}

export type DirectivesService = ReturnType<typeof createDirectivesService>;
