// Daily situation reports: templates set up at a node, filled each day by every node of the target
// level in its subtree, rolled up by each field's aggregation for any node above, with history and export.
import { DEFAULT_LANG, msg } from '../../../common/messages/index.js';
import {
  isNumberField,
  MAX_REPORT_TEXT,
  REPORT_NUMBER_MAX,
  type CreateTemplateBody,
  type ExportBody,
  type ListTemplatesQuery,
  type ReportField,
  type ReportForm,
  type ReportTemplate,
  type ReportValue,
  type SubmitBody,
  type SummaryResponse,
  type HistoryResponse,
} from '../../../common/contracts/reports.js';
import { LEVELS, type Level } from '../../../common/tree.js';
import { ancestorPaths } from '../../../common/tree.js';
import { localDate } from '../../../common/worktime.js';
import type { DB, Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { isUniqueViolation } from '../../db/index.js';
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
import { badRequest, conflict, forbidden, notFound, type ProblemIssue } from '../../platform/errors.js';
import { recordLive, type LivePoke } from '../../platform/live.js';
import { findNode, listNode } from '../nodes/index.js';
import * as repo from './reports.repository.js';
import { REPORT_EXPORT_MAX_ROWS, reportWorkbook } from './reports.export.js';

const depthOf = (path: string) => path.split('/').filter(Boolean).length;
const levelDepth = (level: string) => LEVELS.indexOf(level as Level) + 1;
/** The instant a day's report falls due: the template's 'HH:MM' on that day in Asia/Shanghai (UTC+8, no daylight saving). */
export const dueAt = (day: string, dueTime: string) => new Date(`${day}T${dueTime}:00+08:00`).toISOString();
/** Days from..to inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
/** Decimal sums drift (0.1 + 0.2): six places are more than any reported figure carries. */
const round = (v: number) => Math.round(v * 1e6) / 1e6;

const fieldsOf = (t: repo.TemplateRow) => JSON.parse(t.fields) as ReportField[];
const valuesOf = (s: repo.SubmissionRow) => JSON.parse(s.values) as Record<string, ReportValue>;

/** Each field's roll-up over submissions: sum, max, or the value of the latest submission that gave one. */
export function aggregate(
  fields: readonly ReportField[],
  subs: readonly repo.SubmissionRow[],
): Record<string, ReportValue> {
  const parsed = subs.map((s) => ({ at: s.submitted_at, path: s.node_path, v: valuesOf(s) }));
  const out: Record<string, ReportValue> = {};
  for (const f of fields) {
    const given = parsed.filter((p) => p.v[f.code] !== undefined && p.v[f.code] !== null);
    if (given.length === 0) {
      out[f.code] = null;
      continue;
    }
    if (f.aggregation === 'sum') out[f.code] = round(given.reduce((s, p) => s + Number(p.v[f.code]), 0));
    else if (f.aggregation === 'max') out[f.code] = Math.max(...given.map((p) => Number(p.v[f.code])));
    else {
      let best = given[0]!;
      for (const p of given) if (p.at > best.at || (p.at === best.at && p.path > best.path)) best = p;
      out[f.code] = best.v[f.code]!;
    }
  }
  return out;
}

/** Every problem with the values, each at its field; and the values as stored (trimmed, empties dropped). */
export function checkValues(
  fields: readonly ReportField[],
  values: Record<string, ReportValue>,
): { issues: ProblemIssue[]; clean: Record<string, ReportValue> } {
  const issues: ProblemIssue[] = [];
  const clean: Record<string, ReportValue> = {};
  const known = new Map(fields.map((f) => [f.code, f]));
  for (const k of Object.keys(values))
    if (!known.has(k))
      issues.push({
        path: `body.values.${k}`,
        message: msg('issue.not_report_field'),
        code: 'unknown_field',
      });
  for (const f of fields) {
    const at = `body.values.${f.code}`;
    let v = Object.hasOwn(values, f.code) ? values[f.code] : undefined;
    if (typeof v === 'string') v = v.trim();
    if (v === undefined || v === null || v === '') {
      if (f.required)
        issues.push({
          path: at,
          message: msg('issue.field_required', { label: { 'zh-CN': f.labelZh, en: f.labelEn } }),
          code: 'required',
        });
      continue;
    }
    if (isNumberField(f.type)) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        issues.push({
          path: at,
          message: msg('issue.report_number', { label: { 'zh-CN': f.labelZh, en: f.labelEn } }),
          code: 'number',
        });
      else if (f.type === 'integer' && !Number.isInteger(v))
        issues.push({
          path: at,
          message: msg('issue.report_integer', { label: { 'zh-CN': f.labelZh, en: f.labelEn } }),
          code: 'integer',
        });
      else if (v < 0 || v > REPORT_NUMBER_MAX)
        issues.push({
          path: at,
          message: msg('issue.report_range', {
            label: { 'zh-CN': f.labelZh, en: f.labelEn },
            max: REPORT_NUMBER_MAX,
          }),
          code: 'range',
        });
      else clean[f.code] = v;
    } else if (typeof v !== 'string')
      issues.push({
        path: at,
        message: msg('issue.report_text', { label: { 'zh-CN': f.labelZh, en: f.labelEn } }),
        code: 'text',
      });
    else if (f.type === 'choice' && !(f.choices ?? []).includes(v))
      issues.push({
        path: at,
        message: msg('issue.report_choice', {
          label: { 'zh-CN': f.labelZh, en: f.labelEn },
          choices: (f.choices ?? []).join(', '),
        }),
        code: 'choice',
      });
    else if (v.length > MAX_REPORT_TEXT)
      issues.push({
        path: at,
        message: msg('issue.report_too_long', {
          label: { 'zh-CN': f.labelZh, en: f.labelEn },
          max: MAX_REPORT_TEXT,
        }),
        code: 'too_long',
      });
    else clean[f.code] = v;
  }
  return { issues, clean };
}

export function createReportsService(deps: { db: DB; now?: () => string; live?: LivePoke }) {
  const { db } = deps;
  const now = deps.now ?? nowIso;
  const today = () => localDate(now());

  /** Who may do what with a template: manage it, fill it at one of their nodes, or read its roll-ups. */
  function abilitiesFor(actor: Actor, t: repo.TemplateRow) {
    const targetDepth = levelDepth(t.target_level);
    // Read where the template's subtree and the caller's overlap, down to the reporting level.
    const view = scopesFor(actor, 'command.read').some(
      (s) => isWithin(t.node_path, s) || (isWithin(s, t.node_path) && depthOf(s) <= targetDepth),
    );
    const fill = fillNodes(actor, t).length > 0;
    return { manage: can(actor, 'reports.manage', t.node_path), fill, view };
  }
  /** The caller's own nodes (assignments with reports.submit) that report for the template. */
  function fillNodes(actor: Actor, t: repo.TemplateRow) {
    const ids = new Set<number>();
    for (const a of actor.assignments)
      if (
        a.permissions.has('reports.submit') &&
        a.nodeLevel === t.target_level &&
        isWithin(a.nodePath, t.node_path) &&
        a.nodePath !== t.node_path
      )
        ids.add(a.nodeId);
    return [...ids];
  }
  function toTemplate(actor: Actor, t: repo.TemplateRow): ReportTemplate {
    return {
      id: t.id,
      commandId: t.command_id,
      node: { id: t.node_id, name: t.node_name, level: t.node_level },
      targetLevel: t.target_level as ReportTemplate['targetLevel'],
      title: t.title,
      fields: fieldsOf(t).map((f) => ({ ...f, required: Boolean(f.required) })),
      dueTime: t.due_time,
      startDay: t.start_day,
      endDay: t.end_day,
      createdAt: t.created_at,
      retiredAt: t.retired_at,
      abilities: abilitiesFor(actor, t),
    };
  }
  async function visibleTemplate(actor: Actor, id: number, x: Executor = db) {
    const t = await repo.findTemplate(x, id);
    if (!t) throw notFound('report_template');
    const a = abilitiesFor(actor, t);
    if (!a.view && !a.fill && !a.manage) throw forbidden();
    return t;
  }

  /**
   * The node a roll-up is for: the one asked (in the caller's reading scope, overlapping the
   * template's subtree), or the caller's top node inside the template's subtree. Returns the node
   * and the path whose subtree is counted (the deeper of the node and the template's node).
   */
  async function rollupNode(actor: Actor, t: repo.TemplateRow, nodeId: number | undefined) {
    let nodeRow;
    if (nodeId !== undefined) {
      nodeRow = await findNode(db, nodeId);
      if (!nodeRow) throw notFound('node');
      if (!can(actor, 'command.read', nodeRow.path)) throw forbidden();
      if (!isWithin(nodeRow.path, t.node_path) && !isWithin(t.node_path, nodeRow.path))
        throw badRequest('report.node_outside', {}, [
          { path: 'node', message: msg('issue.outside_report'), code: 'outside' },
        ]);
      if (isWithin(t.node_path, nodeRow.path) && t.node_path !== nodeRow.path)
        nodeRow = await findNode(db, t.node_id);
    } else {
      const scopes = scopesFor(actor, 'command.read').sort((a, b) => depthOf(a) - depthOf(b));
      const top = scopes.find((s) => isWithin(t.node_path, s))
        ? t.node_path
        : scopes.find((s) => isWithin(s, t.node_path));
      if (!top) throw forbidden();
      nodeRow = await findNode(
        db,
        top === t.node_path ? t.node_id : Number(top.split('/').filter(Boolean).at(-1)),
      );
    }
    if (!nodeRow) throw notFound('node');
    return nodeRow;
  }

  async function forms(
    actor: Actor,
    t: repo.TemplateRow,
    day: string,
    x: Executor = db,
  ): Promise<ReportForm[]> {
    const nodes = (await repo.nodesByIds(x, fillNodes(actor, t)))
      .filter((n) => n.retired_at === null)
      .sort((a, b) => a.path.localeCompare(b.path));
    const parents = new Map(
      (
        await repo.nodesByIds(
          x,
          nodes.map((n) => n.parent_id).filter((p): p is number => p !== null),
        )
      ).map((p) => [p.id, p.name]),
    );
    const out: ReportForm[] = [];
    for (const n of nodes) {
      const s = await repo.findSubmission(x, t.id, day, n.id);
      out.push({
        node: {
          id: n.id,
          name: n.name,
          level: n.level,
          parentName: n.parent_id === null ? null : (parents.get(n.parent_id) ?? null),
        },
        day,
        values: s ? valuesOf(s) : null,
        submittedAt: s?.submitted_at ?? null,
        updatedAt: s?.updated_at ?? null,
        late: s ? s.late === 1 : false,
        dueAt: dueAt(day, t.due_time),
      });
    }
    return out;
  }

  /** Figures per day over a period for a subtree: what history and the export's totals sheet show. */
  async function dailyFigures(t: repo.TemplateRow, path: string, from: string, to: string) {
    const reporters = await repo.reportersUnder(db, path, t.target_level);
    const live = new Set(reporters.map((r) => r.id));
    const subs = (await repo.submissionsBetween(db, t.id, from, to, path)).filter((s) => live.has(s.node_id));
    const byDay = new Map<string, repo.SubmissionRow[]>();
    for (const s of subs) byDay.set(s.day, [...(byDay.get(s.day) ?? []), s]);
    const fields = fieldsOf(t);
    const days = daysBetween(from, to).map((day) => {
      const ofDay = byDay.get(day) ?? [];
      const running = day >= t.start_day && (t.end_day === null || day <= t.end_day);
      return {
        day,
        values: aggregate(fields, ofDay),
        expected: running ? reporters.length : 0,
        submitted: ofDay.length,
        late: ofDay.filter((s) => s.late === 1).length,
      };
    });
    return { reporters, subs, days };
  }

  return {
    async create(ctx: RequestContext, b: CreateTemplateBody): Promise<ReportTemplate> {
      const actor = actorOf(ctx);
      const node = await findNode(db, b.nodeId);
      if (!node) throw notFound('node');
      assertCan(actor, 'reports.manage', node.path);
      const issues: ProblemIssue[] = [];
      if (node.retired_at)
        issues.push({ path: 'body.nodeId', message: msg('issue.node_retired'), code: 'retired' });
      if (levelDepth(b.targetLevel) <= levelDepth(node.level))
        issues.push({
          path: 'body.targetLevel',
          message: msg('issue.level_below_node', { level: `level.${node.level}` }),
          code: 'level',
        });
      if (b.commandId !== undefined) {
        const cmd = await repo.findOpenCommand(db, b.commandId);
        if (!cmd || !isWithin(node.path, cmd.node_path))
          issues.push({
            path: 'body.commandId',
            message: msg('issue.open_command_covering'),
            code: 'command',
          });
      }
      if (issues.length) throw badRequest('report.invalid_template', {}, issues);
      const at = now();
      const fields = b.fields.map((f) => ({
        code: f.code,
        labelZh: f.labelZh,
        labelEn: f.labelEn,
        type: f.type,
        aggregation: f.aggregation,
        required: f.required,
        ...(f.choices ? { choices: f.choices } : {}),
      }));
      const id = await db.transaction().execute(async (trx) => {
        const id = await repo.insertTemplate(trx, {
          command_id: b.commandId ?? null,
          node_id: node.id,
          node_path: node.path,
          target_level: b.targetLevel,
          title: b.title,
          fields: JSON.stringify(fields),
          due_time: b.dueTime,
          start_day: b.startDay,
          end_day: b.endDay ?? null,
          created_by_user_id: actor.userId,
          created_at: at,
          retired_at: null,
        });
        await recordAudit(trx, ctx, {
          action: 'report_template.create',
          entityType: 'report_template',
          entityId: id,
          nodePath: node.path,
          after: { ...b, fields },
        });
        await recordLive(trx, {
          kind: 'report.template_created',
          paths: [node.path],
          commandId: b.commandId ?? null,
          payload: { templateId: id },
        });
        return id;
      });
      deps.live?.poke();
      return toTemplate(actor, (await repo.findTemplate(db, id))!);
    },

    async list(ctx: RequestContext, q: ListTemplatesQuery): Promise<{ items: ReportTemplate[] }> {
      const actor = actorOf(ctx);
      let overlapping: string | undefined;
      if (q.node !== undefined) {
        const scopes = [...scopesFor(actor, 'command.read'), ...scopesFor(actor, 'reports.submit')];
        overlapping = (await listNode(db, scopes, q.node)).path;
      }
      const read = scopesFor(actor, 'command.read');
      const within = [...read, ...scopesFor(actor, 'reports.manage')];
      const at: { path: string; levels: string[] }[] = [];
      // Templates issued above a reading scope: seen down to their reporting level.
      for (const s of read) {
        const levels = ['town', 'village', 'grid'].filter((l) => levelDepth(l) >= depthOf(s));
        for (const p of ancestorPaths(s).slice(0, -1)) at.push({ path: p, levels });
      }
      // Templates a caller fills at one of their own nodes.
      for (const a of actor.assignments)
        if (a.permissions.has('reports.submit'))
          for (const p of ancestorPaths(a.nodePath).slice(0, -1)) at.push({ path: p, levels: [a.nodeLevel] });
      const rows = await repo.listTemplates(db, { within, at, commandId: q.command, overlapping });
      return {
        items: rows
          .map((t) => toTemplate(actor, t))
          .filter((t) => t.abilities.view || t.abilities.fill || t.abilities.manage),
      };
    },

    async get(ctx: RequestContext, id: number): Promise<ReportTemplate> {
      const actor = actorOf(ctx);
      return toTemplate(actor, await visibleTemplate(actor, id));
    },

    async retire(ctx: RequestContext, id: number): Promise<ReportTemplate> {
      const actor = actorOf(ctx);
      const t = await repo.findTemplate(db, id);
      if (!t) throw notFound('report_template');
      assertCan(actor, 'reports.manage', t.node_path);
      if (t.retired_at) throw conflict('report.template_retired');
      const at = now();
      await db.transaction().execute(async (trx) => {
        await repo.retireTemplate(trx, id, at);
        await recordAudit(trx, ctx, {
          action: 'report_template.retire',
          entityType: 'report_template',
          entityId: id,
          nodePath: t.node_path,
          before: { retiredAt: null },
          after: { retiredAt: at },
        });
        await recordLive(trx, {
          kind: 'report.template_retired',
          paths: [t.node_path],
          commandId: t.command_id,
          payload: { templateId: id },
        });
      });
      deps.live?.poke();
      return toTemplate(actor, (await repo.findTemplate(db, id))!);
    },

    async forms(ctx: RequestContext, id: number, day: string | undefined) {
      const actor = actorOf(ctx);
      const t = await visibleTemplate(actor, id);
      const d = day ?? today();
      return { template: toTemplate(actor, t), day: d, items: await forms(actor, t, d) };
    },

    async submit(ctx: RequestContext, id: number, b: SubmitBody): Promise<ReportForm> {
      const actor = actorOf(ctx);
      const t = await repo.findTemplate(db, id);
      if (!t) throw notFound('report_template');
      const node = await findNode(db, b.nodeId);
      if (!node) throw notFound('node');
      // A village cadre fills for their village; someone above may fill in for a node of theirs.
      assertCan(actor, 'reports.submit', node.path);
      const issues: ProblemIssue[] = [];
      if (
        node.retired_at ||
        node.level !== t.target_level ||
        !isWithin(node.path, t.node_path) ||
        node.path === t.node_path
      )
        issues.push({
          path: 'body.nodeId',
          message: msg('issue.not_reporter', { level: `level.${t.target_level}`, node: t.node_name }),
          code: 'not_reporter',
        });
      const d = today();
      if (b.day > d)
        issues.push({
          path: 'body.day',
          message: msg('issue.day_not_future', { today: d }),
          code: 'future',
        });
      if (b.day < t.start_day)
        issues.push({
          path: 'body.day',
          message: msg('issue.day_after_start', { day: t.start_day }),
          code: 'before_start',
        });
      if (t.end_day !== null && b.day > t.end_day)
        issues.push({
          path: 'body.day',
          message: msg('issue.day_before_end', { day: t.end_day }),
          code: 'after_end',
        });
      const { issues: valueIssues, clean } = checkValues(fieldsOf(t), b.values);
      issues.push(...valueIssues);
      if (issues.length) throw badRequest('report.invalid_submission', {}, issues);
      if (t.retired_at) throw conflict('report.template_retired');
      const at = now();
      const late = at > dueAt(b.day, t.due_time) ? 1 : 0;
      try {
        await db.transaction().execute(async (trx) => {
          const before = await repo.findSubmission(trx, t.id, b.day, node.id);
          if (before) {
            // A correction: the values change; the time it first came in (and so whether it was late) stays.
            await repo.updateSubmission(trx, before.id, {
              values: JSON.stringify(clean),
              updated_at: at,
              submitted_by_user_id: actor.userId,
            });
            await recordAudit(trx, ctx, {
              action: 'report.resubmit',
              entityType: 'report_submission',
              entityId: before.id,
              nodePath: node.path,
              before: valuesOf(before),
              after: clean,
              detail: { templateId: t.id, day: b.day },
            });
          } else {
            await repo.insertSubmission(trx, {
              template_id: t.id,
              node_id: node.id,
              node_path: node.path,
              day: b.day,
              values: JSON.stringify(clean),
              late,
              submitted_at: at,
              submitted_by_user_id: actor.userId,
              updated_at: at,
            });
            await recordAudit(trx, ctx, {
              action: 'report.submit',
              entityType: 'report_submission',
              entityId: `${t.id}/${b.day}/${node.id}`,
              nodePath: node.path,
              after: clean,
              detail: { templateId: t.id, day: b.day, late: late === 1 },
            });
          }
          await recordLive(trx, {
            kind: 'report.submitted',
            paths: [node.path],
            commandId: t.command_id,
            payload: { templateId: t.id, nodeId: node.id, day: b.day },
          });
        });
      } catch (e) {
        // Two first submissions for one node and day at once: the other one won.
        if (isUniqueViolation(e)) throw conflict('report.concurrent_submission', {});
        throw e;
      }
      deps.live?.poke();
      const s = (await repo.findSubmission(db, t.id, b.day, node.id))!;
      const parent = node.parent_id === null ? [] : await repo.nodesByIds(db, [node.parent_id]);
      return {
        node: { id: node.id, name: node.name, level: node.level, parentName: parent[0]?.name ?? null },
        day: b.day,
        values: valuesOf(s),
        submittedAt: s.submitted_at,
        updatedAt: s.updated_at,
        late: s.late === 1,
        dueAt: dueAt(b.day, t.due_time),
      };
    },

    async summary(
      ctx: RequestContext,
      id: number,
      q: { node?: number | undefined; day?: string | undefined },
    ): Promise<SummaryResponse> {
      const actor = actorOf(ctx);
      const t = await visibleTemplate(actor, id);
      const node = await rollupNode(actor, t, q.node);
      const day = q.day ?? today();
      const fields = fieldsOf(t);
      const reporters = await repo.reportersUnder(db, node.path, t.target_level);
      const live = new Set(reporters.map((r) => r.id));
      const subs = (await repo.submissionsOn(db, t.id, day, node.path)).filter((s) => live.has(s.node_id));
      const byNode = new Map(subs.map((s) => [s.node_id, s]));
      const children = node.level === t.target_level ? [] : await repo.childrenOf(db, node.id);
      return {
        template: toTemplate(actor, t),
        node: { id: node.id, name: node.name, level: node.level, parentId: node.parent_id },
        day,
        values: aggregate(fields, subs),
        expected: reporters.length,
        submitted: subs.length,
        late: subs.filter((s) => s.late === 1).length,
        missing: reporters
          .filter((r) => !byNode.has(r.id))
          .map((r) => ({ id: r.id, name: r.name, parentName: r.parent_name })),
        children: children.flatMap((c) => {
          const mine = reporters.filter((r) => isWithin(r.path, c.path));
          if (mine.length === 0) return [];
          const theirs = subs.filter((s) => isWithin(s.node_path, c.path));
          const own = c.level === t.target_level ? byNode.get(c.id) : undefined;
          return [
            {
              node: { id: c.id, name: c.name, level: c.level },
              values: aggregate(fields, theirs),
              expected: mine.length,
              submitted: theirs.length,
              late: theirs.filter((s) => s.late === 1).length,
              missing: mine.length - theirs.length,
              status:
                c.level !== t.target_level
                  ? null
                  : !own
                    ? ('missing' as const)
                    : own.late === 1
                      ? ('late' as const)
                      : ('on_time' as const),
            },
          ];
        }),
      };
    },

    async history(
      ctx: RequestContext,
      id: number,
      q: { node?: number | undefined; from: string; to: string },
    ): Promise<HistoryResponse> {
      const actor = actorOf(ctx);
      const t = await visibleTemplate(actor, id);
      const node = await rollupNode(actor, t, q.node);
      const { days } = await dailyFigures(t, node.path, q.from, q.to);
      return {
        template: toTemplate(actor, t),
        node: { id: node.id, name: node.name, level: node.level },
        days,
      };
    },

    async exportWorkbook(ctx: RequestContext, id: number, b: ExportBody): Promise<Buffer> {
      const actor = actorOf(ctx);
      const t = await visibleTemplate(actor, id);
      const node = await rollupNode(actor, t, b.node);
      const { reporters, subs, days } = await dailyFigures(t, node.path, b.from, b.to);
      if (reporters.length * days.length > REPORT_EXPORT_MAX_ROWS)
        throw badRequest('report.export_too_large', { max: REPORT_EXPORT_MAX_ROWS }, [
          {
            path: 'body',
            message: msg('issue.export_cells', { reporters: reporters.length, days: days.length }),
            code: 'too_many',
          },
        ]);
      const lastDay = today();
      const buf = await reportWorkbook({
        title: t.title,
        fields: fieldsOf(t),
        reporters,
        subs,
        days,
        dueTime: t.due_time,
        isDue: (day) => day <= lastDay && day >= t.start_day && (t.end_day === null || day <= t.end_day),
        lang: ctx.lang ?? DEFAULT_LANG,
      });
      await db.transaction().execute((trx) =>
        recordAudit(trx, ctx, {
          action: 'report.export',
          entityType: 'report_template',
          entityId: t.id,
          nodePath: node.path,
          detail: { from: b.from, to: b.to, node: node.id, rows: subs.length },
        }),
      );
      return buf;
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;

/**
 * Today's (or a day's) completion of every running report overlapping a node, for the cockpit:
 * expected reporters (live nodes of the target level inside both the template's subtree and the
 * node's) and submissions, in total and per child. Two indexed counts per template.
 */
export async function reportCompletion(
  x: Executor,
  q: { nodePath: string; childPaths: string[]; day: string; commandId: number | null },
): Promise<{
  total: { expected: number; submitted: number };
  children: Record<string, { expected: number; submitted: number }>;
}> {
  const total = { expected: 0, submitted: 0 };
  const children: Record<string, { expected: number; submitted: number }> = Object.fromEntries(
    q.childPaths.map((p) => [p, { expected: 0, submitted: 0 }]),
  );
  for (const t of await repo.activeTemplatesOverlapping(x, q.nodePath, q.day, q.commandId)) {
    const path = isWithin(t.node_path, q.nodePath) ? t.node_path : q.nodePath;
    const e = await repo.countReporters(x, path, t.target_level, q.childPaths);
    const s = await repo.countSubmissions(x, t.id, q.day, path, q.childPaths);
    total.expected += e.total;
    total.submitted += s.total;
    for (const [p, n] of e.by) children[p]!.expected += n;
    for (const [p, n] of s.by) children[p]!.submitted += n;
  }
  return { total, children };
}
