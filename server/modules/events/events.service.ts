// Joint handling: intake from every channel into one event model, the workflow's actions with their
// clocks, the ladder, the lists scoped by jurisdiction or by department, and public tracking.
import { DEFAULT_LANG, msg, type Lang, type Message } from '../../../common/messages/index.js';
import crypto from 'node:crypto';
import type { z } from 'zod';
import type {
  KpiResponse,
  EventActionBody,
  EventDetail,
  EventSummary,
  ExtraField,
  listEventsQuery,
  PublicReportBody,
  ReportEventBody,
  TrackingView,
} from '../../../common/contracts/events.js';
import type { PolygonGeometry, PublicPlace } from '../../../common/contracts/nodes.js';
import { ancestorPaths } from '../../../common/tree.js';
import { isDisputeCategory, MEDIATION_CLOSE_REASON } from '../../../common/contracts/events-codes.js';
import {
  addWorkingHours,
  localDate,
  makeCalendar,
  workingHoursBetween,
  type WorkCalendar,
} from '../../../common/worktime.js';
import type { DB, Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { createBatchWriter } from '../../db/group-commit.js';
import {
  actorOf,
  assertDistrictWide,
  can,
  holdsAnywhere,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit, recordAuditMany } from '../../platform/audit.js';
import {
  bumpCounters,
  bumpCountersMany,
  recordLive,
  recordLiveMany,
  type LivePoke,
} from '../../platform/live.js';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  type ProblemIssue,
} from '../../platform/errors.js';
import { renderActorLabel, renderStoredText } from '../../platform/lang.js';
import { isUniqueViolation } from '../../db/index.js';
import type { PiiCipher } from '../../platform/pii.js';
import { maskPhone } from '../../../common/validators.js';
import { findNode, publicPlacesByIds } from '../nodes/index.js';
import { boundingBox, boxAround, distanceMeters, geometryContains } from './events.geo.js';
import { listFilter } from './events.filter.js';
import { kpiFigures, ZERO_COUNTS, type KpiCounts } from './events.kpi.js';
import { claimPhotos, holdUpload, photoRepo } from './event-photos.js';
import { notify, usersAssignedAt } from '../notifications/index.js';
import * as repo from './events.repository.js';
import {
  allowedActions,
  levelAbove,
  OPEN_STATES,
  OWNER_LEVELS,
  REASON_REQUIRED,
  transition,
  type EventAction,
  type EventState,
  type OwnerLevel,
} from './events.workflow.js';

/** Who may take each action: a permission at the owner's node, the lead department, the grid, or the reporter. */
const TRIAGE: ReadonlySet<EventAction> = new Set([
  'accept',
  'reject',
  'dispatch',
  'close',
  'approve_extension',
  'refuse_extension',
  'park',
  'resume',
  'escalate',
]);
const HANDLE: ReadonlySet<EventAction> = new Set(['sign', 'return', 'request_extension', 'feed_back']);
const VERIFY: ReadonlySet<EventAction> = new Set(['verify_pass', 'verify_fail']);
const EVALUATE: ReadonlySet<EventAction> = new Set(['evaluate_satisfied', 'evaluate_dissatisfied']);
/** History entries the reporter sees on the public tracking page. */
const PUBLIC_ACTIONS: ReadonlySet<string> = new Set([
  'report',
  'accept',
  'reject',
  'dispatch',
  'sign',
  'feed_back',
  'verify_pass',
  'close',
  'evaluate_satisfied',
  'evaluate_dissatisfied',
  'escalate',
  'mediation_return',
]);
/** States from which a dispute may be handed to people's mediation: those an event is closed from before handling. */
const HANDABLE: ReadonlySet<string> = new Set(['reported', 'accepted', 'returned']);
/** A dispute's link to the mediation case made from it, as the mediation module gives it. */
export interface MediationLink {
  caseId: number;
  dossierNo: string;
}
/** One step of the workflow: a person's action, or the mediation case's hand-over and return. */
type Step = EventActionBody & { mediation?: MediationLink & { outcome?: 'referred' | 'failed' } };
/** The mediation case an event was handed to, from its history (the latest hand-over or return). */
function mediationOf(history: readonly { detail: string | null }[]): MediationLink | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const d = history[i]!.detail ? (JSON.parse(history[i]!.detail!) as Record<string, unknown>) : null;
    if (d && typeof d.mediationCase === 'number')
      return { caseId: d.mediationCase, dossierNo: typeof d.dossierNo === 'string' ? d.dossierNo : '' };
  }
  return null;
}
/** Depth of each owner level in a path (/district/town/village/grid/). */
const LEVEL_DEPTH: Record<OwnerLevel, number> = { district: 1, town: 2, village: 3, grid: 4 };
const DUPLICATE_RADIUS_M = 50;
const DUPLICATE_WINDOW_DAYS = 7;
const CACHE_MS = 60_000;

/** A report checked and placed, waiting for its turn to be written (group commit). */
interface IntakePlan {
  ctx: RequestContext;
  v: {
    category: Category & { handling_level: string };
    node: { id: number; path: string; name: string };
    channel: string;
    title: string;
    description: string;
    address?: string | undefined;
    lat?: number | undefined;
    lng?: number | undefined;
    attributes: Record<string, string | number>;
    reporterName?: string | undefined;
    reporterPhone?: string | undefined;
    apiKeyId?: number | null;
    photos?: readonly string[] | undefined;
    photoUploader: number | null;
  };
}
/** An upload not used by a report or a step within a day was abandoned. */
const UNCLAIMED_PHOTO_MS = 86_400_000;

type Category = Awaited<ReturnType<typeof repo.listCategories>>[number];

/** The ancestor-or-self of a path at a depth (1 = the district); the path itself when it is shallower. */
const pathAtDepth = (path: string, depth: number) => {
  const chain = ancestorPaths(path);
  return chain[Math.min(depth, chain.length) - 1]!;
};
const depthOf = (path: string) => ancestorPaths(path).length;

/** The level that owns a new event: the category's level, but never below the place it was reported at. */
export function ownerFor(nodePath: string, categoryLevel: OwnerLevel): { level: OwnerLevel; path: string } {
  const depth = Math.min(LEVEL_DEPTH[categoryLevel], depthOf(nodePath));
  const level = OWNER_LEVELS.find((l) => LEVEL_DEPTH[l] === depth) ?? 'district';
  return { level, path: pathAtDepth(nodePath, depth) };
}

function checkAttributes(fields: ExtraField[], given: Record<string, string | number>) {
  const issues: ProblemIssue[] = [];
  const known = new Map(fields.map((f) => [f.code, f]));
  for (const k of Object.keys(given))
    if (!known.has(k))
      issues.push({
        path: `body.attributes.${k}`,
        message: msg('issue.not_category_field'),
        code: 'unknown_field',
      });
  for (const f of fields) {
    const v = given[f.code];
    const at = `body.attributes.${f.code}`;
    if (v === undefined || v === '') {
      if (f.required)
        issues.push({
          path: at,
          message: msg('issue.field_required', { label: { 'zh-CN': f.labelZh, en: f.labelEn } }),
          code: 'required',
        });
      continue;
    }
    if (f.type === 'integer' && !Number.isInteger(Number(v)))
      issues.push({ path: at, message: msg('issue.whole_number'), code: 'integer' });
    if (f.type === 'decimal' && !Number.isFinite(Number(v)))
      issues.push({ path: at, message: msg('issue.number'), code: 'decimal' });
    if (f.type === 'choice' && !(f.choices ?? []).includes(String(v)))
      issues.push({
        path: at,
        message: msg('issue.one_of', { choices: (f.choices ?? []).join(', ') }),
        code: 'choice',
      });
  }
  if (issues.length > 0) throw badRequest('event.attributes', {}, issues);
}

export function createEventsService(deps: {
  db: DB;
  reader?: DB;
  pii: PiiCipher;
  now?: () => string;
  live?: LivePoke;
}) {
  const { db, pii } = deps;
  // Reads after a commit that must not queue behind the next batch's transaction (see DatabaseHandle.reader).
  const reader = deps.reader ?? db;
  /** After a commit: this process's live bus reads the outbox now (other processes hear PostgreSQL's NOTIFY). */
  const poke = () => deps.live?.poke();
  const now = deps.now ?? nowIso;
  // Reports arrive in bursts (a hotline shift, a storm, Open311 batches): they share commits (ADR 0003).
  const intake = createBatchWriter<IntakePlan, Awaited<ReturnType<typeof insertReportedMany>>[number]>(db, {
    writeOne: (trx, plan) => insertReportedMany(trx, [plan]).then(([made]) => made!),
    writeMany: insertReportedMany,
  });

  // Grid polygons and the calendar change rarely: kept for a minute, and dropped on our own edits.
  let grids: {
    at: number;
    items: {
      id: number;
      path: string;
      name: string;
      geometry: PolygonGeometry;
      box: [number, number, number, number];
    }[];
  } | null = null;
  let calendar: { at: number; cal: WorkCalendar } | null = null;
  // Categories (time limits, levels, fields) are read by every report and step; an edit here drops them.
  let categories: { at: number; byId: Map<number, Category> } | null = null;
  // Inside a transaction, pass it: on SQLite the transaction holds the one connection, and a read
  // through `db` would wait for it forever.
  async function categoryById(id: number, x: Executor = db) {
    if (!categories || Date.now() - categories.at >= CACHE_MS)
      categories = { at: Date.now(), byId: new Map((await repo.listCategories(x)).map((c) => [c.id, c])) };
    return categories.byId.get(id);
  }
  async function loadGrids() {
    if (grids && Date.now() - grids.at < CACHE_MS) return grids.items;
    const rows = await repo.gridPolygons(db);
    const items = rows.map((r) => {
      const geometry = JSON.parse(r.polygon!) as PolygonGeometry;
      return { id: r.id, path: r.path, name: r.name, geometry, box: boundingBox(geometry) };
    });
    grids = { at: Date.now(), items };
    return items;
  }
  async function workCalendar(x: Executor = db) {
    if (calendar && Date.now() - calendar.at < CACHE_MS) return calendar.cal;
    const days = await repo.calendarDays(x);
    const cal = makeCalendar({
      holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
      makeupWorkdays: days.filter((d) => d.kind === 'workday').map((d) => d.day),
    });
    calendar = { at: Date.now(), cal };
    return cal;
  }
  const deadline = (cal: WorkCalendar, from: string, hours: number | null) =>
    hours ? addWorkingHours(cal, from, hours) : null;

  async function categoryForIntake(
    id: number,
    publicOnly: boolean,
  ): Promise<Category & { handling_level: string }> {
    const c = await categoryById(id);
    const bad = () =>
      badRequest('event.category', {}, [
        { path: 'body.categoryId', message: msg('issue.inactive_category'), code: 'category' },
      ]);
    if (!c || c.retired_at || c.parent_id === null || !c.handling_level) throw bad();
    if (publicOnly && !c.is_public) throw bad();
    return c as Category & { handling_level: string };
  }

  /** The place of a report: the grid holding the point, or the node the reporter chose. */
  /** The grid whose polygon holds a point, if any. */
  async function gridAt(lat: number, lng: number) {
    return (await loadGrids()).find(
      (g) =>
        lng >= g.box[0] &&
        lng <= g.box[2] &&
        lat >= g.box[1] &&
        lat <= g.box[3] &&
        geometryContains(g.geometry, lng, lat),
    );
  }

  async function locate(
    x: Executor,
    b: { nodeId?: number | undefined; lat?: number | undefined; lng?: number | undefined },
  ) {
    if (b.lat !== undefined && b.lng !== undefined) {
      const hit = await gridAt(b.lat, b.lng);
      if (hit) return { id: hit.id, path: hit.path, name: hit.name };
      if (b.nodeId === undefined)
        throw badRequest('event.outside', {}, [
          { path: 'body.lat', message: msg('issue.outside_grids'), code: 'outside' },
        ]);
    }
    const node = await findNode(x, b.nodeId!);
    if (!node || node.retired_at)
      throw badRequest('event.node', {}, [
        { path: 'body.nodeId', message: msg('issue.unknown_node'), code: 'unknown' },
      ]);
    return { id: node.id, path: node.path, name: node.name };
  }

  /** 50 random bits: a clash is left to the unique index, and the report is tried again (see report). */
  function newTrackingCode() {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    return `LA${[...crypto.randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('')}`;
  }
  /** Runs an intake transaction again in the one-in-a-quadrillion case that its tracking code was taken. */
  async function withFreshTrackingCode<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        if (attempt >= 3 || !isUniqueViolation(e, 'tracking_code')) throw e;
      }
    }
  }

  async function possibleDuplicates(
    x: Executor,
    categoryId: number,
    lat: number | undefined,
    lng: number | undefined,
    exceptId: number,
    actor: Actor | null,
  ) {
    if (lat === undefined || lng === undefined) return [];
    const since = new Date(Date.parse(now()) - DUPLICATE_WINDOW_DAYS * 86_400_000).toISOString();
    const box = boxAround(lat, lng, DUPLICATE_RADIUS_M);
    const rows = await repo.openEventsNear(x, { categoryId, since, ...box });
    return rows
      .filter((r) => r.id !== exceptId && (!actor || can(actor, 'events.read', r.node_path)))
      .map((r) => ({
        id: r.id,
        trackingCode: r.tracking_code,
        title: r.title,
        state: r.state,
        distanceM: Math.round(distanceMeters(lat, lng, r.lat!, r.lng!)),
        createdAt: r.created_at,
      }))
      .filter((r) => r.distanceM <= DUPLICATE_RADIUS_M)
      .sort((a, b) => a.distanceM - b.distanceM);
  }

  /** The rows of a new report: built inside the write, so that a retry after a clash gets a fresh tracking code. */
  function reportedRows({ ctx, v }: IntakePlan) {
    const at = now();
    const owner = ownerFor(v.node.path, v.category.handling_level as OwnerLevel);
    const trackingCode = newTrackingCode();
    const row = {
      tracking_code: trackingCode,
      category_id: v.category.id,
      node_id: v.node.id,
      node_path: v.node.path,
      owner_level: owner.level,
      owner_path: owner.path,
      state: 'reported',
      channel: v.channel,
      title: v.title,
      description: v.description,
      address: v.address ?? null,
      lat: v.lat ?? null,
      lng: v.lng ?? null,
      attributes: JSON.stringify(v.attributes),
      reporter_user_id: ctx.actor?.via === 'session' && v.channel !== 'hotline' ? ctx.actor.userId : null,
      reporter_name: v.reporterName ?? null,
      reporter_phone_enc: v.reporterPhone ? pii.encrypt(v.reporterPhone) : null,
      reporter_phone_masked: v.reporterPhone ? maskPhone(v.reporterPhone) : null,
      api_key_id: v.apiKeyId ?? null,
      lead_department_id: null,
      due_at: null,
      sign_due_at: null,
      signed_at: null,
      handle_due_at: null,
      handled_at: null,
      verify_due_at: null,
      parked_until: null,
      closed_at: null,
      close_reason: null,
      closed_on_time: null,
      duplicate_of_id: null,
      evaluation: null,
      rework_count: 0,
      reopen_count: 0,
      escalation_count: 0,
      created_at: at,
      updated_at: at,
    };
    const history: Omit<repo.NewHistory, 'event_id'> = {
      at,
      action: 'report',
      from_state: null,
      to_state: 'reported',
      owner_level: owner.level,
      node_path: v.node.path,
      actor_user_id: ctx.actor?.userId ?? null,
      actor_label:
        ctx.actor?.username ??
        (v.channel === 'public' ? 'actor.resident' : v.channel === 'open311' ? 'open311' : 'system'),
      reason: null,
      detail: JSON.stringify({ channel: v.channel }),
      is_public: 1,
    };
    return { at, owner, trackingCode, row, history };
  }
  type ReportedRows = ReturnType<typeof reportedRows>;
  type Claimed = Awaited<ReturnType<typeof claimPhotos>>;

  /** The new event as a read would return it, so that the answer needs no read-back. */
  function reported({ v }: IntakePlan, r: ReportedRows, id: number, historyId: number, photos: Claimed) {
    const event: repo.EventWithJoins = {
      ...r.row,
      id,
      category_code: v.category.code,
      category_name_zh: v.category.name_zh,
      category_name_en: v.category.name_en,
      node_name: v.node.name,
      lead_department_name: null,
    };
    return {
      id,
      trackingCode: r.trackingCode,
      event,
      history: [{ ...r.history, event_id: id, id: historyId }],
      photos,
    };
  }

  /**
   * Reports sharing a commit, written a table at a time (ADR 0005): events, first history rows, the
   * rollup, counters, live updates and the audit chain. The group commit runs it for a whole batch, and
   * for one report in its own savepoint when something in the batch was refused (a photo token, a
   * tracking-code clash), so a batch leaves the same as its reports one by one.
   */
  async function insertReportedMany(trx: Executor, plans: readonly IntakePlan[]) {
    const rows = plans.map(reportedRows);
    const ids = await repo.insertEvents(
      trx,
      rows.map((r) => r.row),
    );
    const idOf = (r: ReportedRows) => {
      const id = ids.get(r.trackingCode);
      if (id === undefined) throw new Error(`the new event ${r.trackingCode} came back without an id`);
      return id;
    };
    const historyIds = await repo.addFirstHistories(
      trx,
      rows.map((r) => ({ ...r.history, event_id: idOf(r) })),
    );
    const made: ReturnType<typeof reported>[] = [];
    for (const [i, plan] of plans.entries()) {
      const r = rows[i]!;
      const id = idOf(r);
      const historyId = historyIds.get(id);
      if (historyId === undefined) throw new Error(`the history of event ${id} came back without an id`);
      const photos = await claimPhotos(trx, plan.v.photos, {
        uploaderUserId: plan.v.photoUploader,
        eventId: id,
        historyId,
        at: r.at,
      });
      made.push(reported(plan, r, id, historyId, photos));
    }
    await repo.bumpKpiMany(
      trx,
      plans.map((p, i) => ({ nodePath: p.v.node.path, day: localDate(rows[i]!.at), delta: { received: 1 } })),
    );
    await bumpCountersMany(
      trx,
      plans.map((p) => ({ nodePath: p.v.node.path, deltas: { 'events.open': 1 } })),
    );
    await recordLiveMany(
      trx,
      made.map(({ id }, i) => ({
        kind: 'event.reported',
        paths: [plans[i]!.v.node.path],
        payload: { id, state: 'reported' },
      })),
    );
    await recordAuditMany(
      trx,
      made.map(({ id, photos }, i) => {
        const { ctx, v } = plans[i]!;
        const detail = {
          channel: v.channel,
          category: v.category.code,
          owner: rows[i]!.owner.level,
          ...(photos.length > 0 ? { photos: photos.length } : {}),
        };
        return {
          ctx,
          input: { action: 'event.report', entityType: 'event', entityId: id, nodePath: v.node.path, detail },
        };
      }),
    );
    return made;
  }

  /** What the caller may do to this event now: the workflow's allowed actions that their roles permit. */
  function actionsFor(actor: Actor, e: repo.EventWithJoins, myDepartments: readonly number[]): EventAction[] {
    const out: EventAction[] = [];
    for (const a of allowedActions(e.state as EventState))
      if (mayAct(actor, e, a, myDepartments)) out.push(a);
    if (out.includes('escalate') && !levelAbove(e.owner_level as OwnerLevel))
      out.splice(out.indexOf('escalate'), 1);
    return out;
  }
  function mayAct(actor: Actor, e: repo.EventWithJoins, a: EventAction, myDepartments: readonly number[]) {
    if (TRIAGE.has(a)) return can(actor, 'events.triage', e.owner_path);
    if (HANDLE.has(a))
      return (
        e.lead_department_id !== null &&
        myDepartments.includes(e.lead_department_id) &&
        holdsAnywhere(actor, 'events.handle')
      );
    if (VERIFY.has(a)) return can(actor, 'events.verify', e.node_path);
    // A dispute with people's mediation is rated once it comes back, not while it is there.
    if (EVALUATE.has(a))
      return e.reporter_user_id === actor.userId && e.close_reason !== MEDIATION_CLOSE_REASON;
    return false;
  }
  /**
   * Who may call the reporter back: events.reveal where the event happened (whoever triages: see
   * common/roles.ts), or a handler of its lead department. The caller must also see the event.
   */
  function mayRevealPhone(actor: Actor, e: repo.EventWithJoins, myDepartments: readonly number[]) {
    if (can(actor, 'events.reveal', e.node_path)) return true;
    return (
      e.lead_department_id !== null &&
      myDepartments.includes(e.lead_department_id) &&
      holdsAnywhere(actor, 'events.handle')
    );
  }
  async function loadVisible(x: Executor, actor: Actor, id: number) {
    const e = await repo.findEvent(x, id);
    if (!e) throw notFound('event');
    const [myDepartments, departments] = await Promise.all([
      repo.departmentIdsOfUser(x, actor.userId),
      repo.eventDepartments(x, id),
    ]);
    const viaDepartment = departments.some((d) => myDepartments.includes(d.id));
    if (!can(actor, 'events.read', e.node_path) && !viaDepartment && e.reporter_user_id !== actor.userId)
      throw forbidden();
    return { e, myDepartments, departments };
  }

  function toSummary(r: repo.EventListRow | repo.EventWithJoins, at: string): EventSummary {
    return {
      id: r.id,
      trackingCode: r.tracking_code,
      title: r.title,
      category: {
        id: r.category_id,
        code: r.category_code,
        nameZh: r.category_name_zh,
        nameEn: r.category_name_en,
      },
      state: r.state as EventSummary['state'],
      channel: r.channel as EventSummary['channel'],
      node: { id: r.node_id, name: r.node_name },
      ownerLevel: r.owner_level as EventSummary['ownerLevel'],
      leadDepartment:
        r.lead_department_id !== null
          ? { id: r.lead_department_id, name: r.lead_department_name ?? '' }
          : null,
      dueAt: r.due_at,
      overdue: r.due_at !== null && r.due_at < at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  async function detail(x: Executor, actor: Actor, id: number, lang: Lang): Promise<EventDetail> {
    const { e, myDepartments, departments } = await loadVisible(x, actor, id);
    const [history, photos] = await Promise.all([repo.historyOf(x, id), photoRepo.photosOf(x, id)]);
    return detailOf(actor, { e, myDepartments, departments, history, photos }, lang);
  }

  function detailOf(
    actor: Actor,
    {
      e,
      myDepartments,
      departments,
      history,
      photos,
    }: {
      e: repo.EventWithJoins;
      myDepartments: readonly number[];
      departments: readonly { id: number; name: string; role: string }[];
      history: readonly repo.HistoryRow[];
      photos: readonly { id: number; history_id: number | null; mime: string; size_bytes: number }[];
    },
    lang: Lang,
  ): EventDetail {
    const actions = actionsFor(actor, e, myDepartments);
    return {
      ...toSummary(e, now()),
      description: e.description,
      address: e.address,
      lat: e.lat,
      lng: e.lng,
      attributes: JSON.parse(e.attributes) as Record<string, string | number>,
      reporter: { name: e.reporter_name, phone: e.reporter_phone_masked },
      departments: departments.map((d) => ({ id: d.id, name: d.name, role: d.role as 'lead' | 'assist' })),
      signDueAt: e.sign_due_at,
      handleDueAt: e.handle_due_at,
      verifyDueAt: e.verify_due_at,
      parkedUntil: e.parked_until,
      closeReason: e.close_reason,
      duplicateOfId: e.duplicate_of_id,
      evaluation: e.evaluation,
      reworkCount: e.rework_count,
      reopenCount: e.reopen_count,
      escalationCount: e.escalation_count,
      history: history.map((h) => ({
        at: h.at,
        action: h.action,
        fromState: h.from_state,
        toState: h.to_state,
        ownerLevel: h.owner_level,
        // System reasons and actors are stored as codes and read in the caller's language.
        actor: renderActorLabel(h.actor_label, lang),
        reason: h.reason === null ? null : renderStoredText(h.reason, lang),
        detail: h.detail ? (JSON.parse(h.detail) as unknown) : null,
        photos: photos
          .filter((p) => p.history_id === h.id)
          .map((p) => ({ id: p.id, mime: p.mime, sizeBytes: p.size_bytes })),
      })),
      actions,
      mediation: mediationOf(history),
      abilities: {
        act: actions.length > 0,
        revealPhone: e.reporter_phone_enc !== null && mayRevealPhone(actor, e, myDepartments),
        // Who receives disputes for mediation where the event happened may hand a dispute over in one step.
        mediate:
          isDisputeCategory(e.category_code) &&
          HANDABLE.has(e.state) &&
          can(actor, 'mediation.intake', e.node_path),
      },
    };
  }

  /**
   * One step of the workflow, with its clock and ladder effects, history, audit and notifications,
   * in one transaction. `actor` null is the sweep or the public reporter (checked by the caller).
   */
  async function apply(trx: Executor, ctx: RequestContext, e: repo.EventWithJoins, b: Step, label: string) {
    const step = transition(e.state as EventState, b.action);
    if (!step.ok)
      throw conflict(
        'event.transition',
        { action: `event_action.${b.action}`, state: `event_state.${e.state}` },
        {
          state: e.state,
          allowed: step.allowed,
        },
      );
    if (REASON_REQUIRED.has(b.action) && !b.reason)
      throw badRequest('event.reason', {}, [
        {
          path: 'body.reason',
          message: msg('issue.required_for_action', { action: `event_action.${b.action}` }),
          code: 'required',
        },
      ]);
    const at = now();
    const cal = await workCalendar(trx);
    const category = (await categoryById(e.category_id, trx))!;
    const set: Partial<repo.EventWithJoins> = { state: step.to, updated_at: at };
    const detailOut: Record<string, unknown> = {};
    const notes: { users: number[]; message: Message }[] = [];
    // KPI counters this step changes, by the day they count on (docs/kpis.md).
    const kpi: [string | null, repo.KpiDelta][] = [];
    const today = localDate(at);
    const dayOf = (iso: string | null | undefined) => (iso ? localDate(iso) : null);
    switch (b.action) {
      case 'dispatch': {
        const lead = await repo.findDepartment(trx, b.departmentId!);
        const assisting = b.assistingDepartmentIds ?? [];
        const all = [lead, ...(await Promise.all(assisting.map((id) => repo.findDepartment(trx, id))))];
        const serves = (d: typeof lead) => d && !d.retired_at && e.node_path.startsWith(d.node_path);
        const badOnes = all
          .map((d, i) =>
            serves(d) ? null : i === 0 ? 'body.departmentId' : `body.assistingDepartmentIds.${i - 1}`,
          )
          .filter((p): p is string => p !== null);
        if (badOnes.length > 0)
          throw badRequest(
            'event.department',
            {},
            badOnes.map((path) => ({
              path,
              message: msg('issue.not_serving_department'),
              code: 'department',
            })),
          );
        await repo.setEventDepartments(trx, e.id, lead!.id, assisting);
        set.lead_department_id = lead!.id;
        set.sign_due_at = deadline(cal, at, category.sign_hours);
        set.due_at = set.sign_due_at;
        kpi.push([dayOf(set.sign_due_at), { sign_due: 1 }]);
        detailOut.department = lead!.id;
        if (assisting.length > 0) detailOut.assisting = assisting;
        notes.push({
          users: await repo.usersOfDepartments(trx, [lead!.id, ...assisting]),
          message: msg('notification.event.dispatch', { title: e.title }),
        });
        break;
      }
      case 'sign':
        set.signed_at = at;
        set.handle_due_at = deadline(cal, at, category.handle_hours);
        set.due_at = set.handle_due_at;
        if (e.sign_due_at && at <= e.sign_due_at) kpi.push([dayOf(e.sign_due_at), { signed_on_time: 1 }]);
        kpi.push([dayOf(set.handle_due_at), { due: 1 }]);
        break;
      case 'return':
        set.due_at = null;
        notes.push({
          users: await usersAssignedAt(trx, [e.owner_path], 'events.triage'),
          message: msg('notification.event.return', { title: e.title }),
        });
        break;
      case 'request_extension':
        detailOut.hours = b.hours;
        notes.push({
          users: await usersAssignedAt(trx, [e.owner_path], 'events.triage'),
          message: msg('notification.event.request_extension', { title: e.title }),
        });
        break;
      case 'approve_extension': {
        const asked = await repo.lastHistoryOf(trx, e.id, 'request_extension');
        const hours = asked?.detail ? Number((JSON.parse(asked.detail) as { hours?: number }).hours ?? 0) : 0;
        set.handle_due_at = deadline(cal, e.handle_due_at ?? at, hours);
        set.due_at = set.handle_due_at;
        // The obligation moves to the new deadline's day.
        kpi.push([dayOf(e.handle_due_at), { due: -1 }], [dayOf(set.handle_due_at), { due: 1 }]);
        detailOut.hours = hours;
        break;
      }
      case 'park':
        set.parked_until = b.reviewOn!;
        set.due_at = null;
        detailOut.reviewOn = b.reviewOn;
        break;
      case 'resume':
        set.parked_until = null;
        set.due_at = deadline(cal, at, category.handle_hours);
        break;
      case 'feed_back':
        set.handled_at = at;
        set.verify_due_at = deadline(cal, at, category.verify_hours);
        set.due_at = set.verify_due_at;
        kpi.push([
          today,
          {
            handled: 1,
            handling_hours: e.signed_at
              ? Math.round(workingHoursBetween(cal, e.signed_at, at) * 1000) / 1000
              : 0,
          },
        ]);
        detailOut.note = b.note;
        notes.push({
          users: await usersAssignedAt(
            trx,
            [pathAtDepth(e.node_path, Math.min(4, depthOf(e.node_path)))],
            'events.verify',
          ),
          message: msg('notification.event.feed_back', { title: e.title }),
        });
        break;
      case 'verify_pass':
        set.closed_at = at;
        set.close_reason = 'resolved';
        set.closed_on_time = e.handle_due_at === null || (e.handled_at ?? at) <= e.handle_due_at ? 1 : 0;
        set.due_at = null;
        kpi.push(
          [today, { verified: 1 }],
          [dayOf(e.handle_due_at), { closed: 1, closed_on_time: set.closed_on_time }],
        );
        break;
      case 'verify_fail':
        set.rework_count = e.rework_count + 1;
        set.handled_at = null;
        kpi.push([today, { verified: 1, reworked: 1 }]);
        set.due_at = deadline(cal, at, category.handle_hours);
        notes.push({
          users: e.lead_department_id ? await repo.usersOfDepartments(trx, [e.lead_department_id]) : [],
          message: msg('notification.event.verify_fail', { title: e.title }),
        });
        break;
      case 'close': {
        if (b.closeReason === 'duplicate') {
          const original = await repo.findEvent(trx, b.duplicateOfId!);
          if (!original || original.id === e.id || !can(actorOf(ctx), 'events.read', original.node_path)) {
            throw badRequest('event.duplicate_of', {}, [
              { path: 'body.duplicateOfId', message: msg('issue.unknown_event'), code: 'unknown' },
            ]);
          }
          set.duplicate_of_id = original.id;
          detailOut.duplicateOf = original.id;
        }
        set.closed_at = at;
        set.close_reason = b.mediation ? MEDIATION_CLOSE_REASON : b.closeReason!;
        set.due_at = null;
        detailOut.closeReason = set.close_reason;
        if (b.mediation) {
          detailOut.mediationCase = b.mediation.caseId;
          detailOut.dossierNo = b.mediation.dossierNo;
        }
        break;
      }
      case 'mediation_return':
        // Only a dispute closed as handed to mediation comes back this way, with the case's note.
        if (e.close_reason !== MEDIATION_CLOSE_REASON || !b.mediation)
          throw conflict(
            'event.transition',
            { action: `event_action.${b.action}`, state: `event_state.${e.state}` },
            { state: e.state, allowed: [] },
          );
        set.closed_at = null;
        set.close_reason = null;
        set.closed_on_time = null;
        set.due_at = null;
        detailOut.mediationCase = b.mediation.caseId;
        detailOut.dossierNo = b.mediation.dossierNo;
        detailOut.outcome = b.mediation.outcome ?? 'referred';
        notes.push({
          users: await usersAssignedAt(trx, [e.owner_path], 'events.triage'),
          message: msg('notification.event.mediation_return', { title: e.title }),
        });
        break;
      case 'evaluate_satisfied':
        set.evaluation = 'satisfied';
        kpi.push([today, { evaluated: 1, satisfied: 1 }]);
        break;
      case 'evaluate_dissatisfied':
        set.evaluation = 'dissatisfied';
        set.reopen_count = e.reopen_count + 1;
        kpi.push([today, { evaluated: 1 }]);
        set.closed_at = null;
        set.close_reason = null;
        set.closed_on_time = null;
        notes.push({
          users: await usersAssignedAt(trx, [e.owner_path], 'events.triage'),
          message: msg('notification.event.evaluate_dissatisfied', { title: e.title }),
        });
        break;
      case 'escalate': {
        const up = levelAbove(e.owner_level as OwnerLevel);
        if (!up)
          throw conflict(
            'event.top',
            {},
            {
              state: e.state,
              allowed: [],
            },
          );
        set.owner_level = up;
        set.owner_path = pathAtDepth(e.owner_path, LEVEL_DEPTH[up]);
        set.escalation_count = e.escalation_count + 1;
        kpi.push([today, { [`escalated_${up}`]: 1 }]);
        detailOut.from = e.owner_level;
        detailOut.to = up;
        notes.push({
          users: await usersAssignedAt(trx, [set.owner_path, e.owner_path], 'events.read'),
          message: msg('notification.event.escalate', { level: `level.${up}`, title: e.title }),
        });
        break;
      }
      case 'accept':
        kpi.push([today, { accepted: 1 }]);
        break;
      case 'reject':
        kpi.push([today, { rejected: 1 }]);
        break;
      case 'refuse_extension':
        // The state change and the history say it all.
        break;
    }
    if (!(await repo.updateEventFrom(trx, e, set)))
      throw conflict(
        'event.concurrent',
        {},
        {
          state: e.state,
          allowed: [],
        },
      );
    for (const [day, delta] of kpi) if (day) await repo.bumpKpi(trx, e.node_path, day, delta);
    const historyId = await repo.addHistory(trx, {
      event_id: e.id,
      at,
      action: b.action,
      from_state: e.state,
      to_state: step.to,
      owner_level: set.owner_level ?? e.owner_level,
      node_path: e.node_path,
      actor_user_id: ctx.actor?.userId ?? null,
      actor_label: label,
      reason: b.reason ?? null,
      detail: Object.keys(detailOut).length > 0 ? JSON.stringify(detailOut) : null,
      is_public: PUBLIC_ACTIONS.has(b.action) ? 1 : 0,
    });
    const photos = await claimPhotos(trx, b.photos, {
      uploaderUserId: ctx.actor?.userId ?? null,
      eventId: e.id,
      historyId,
      at,
    });
    const openNow = (OPEN_STATES as readonly string[]).includes(step.to);
    if (openNow !== (OPEN_STATES as readonly string[]).includes(e.state))
      await bumpCounters(trx, e.node_path, { 'events.open': openNow ? 1 : -1 });
    await recordLive(trx, {
      kind: b.action === 'escalate' ? 'event.escalated' : `event.${b.action}`,
      paths: [e.node_path],
      payload: { id: e.id, state: step.to, ...(set.owner_level ? { ownerLevel: set.owner_level } : {}) },
    });
    await recordAudit(trx, ctx, {
      action: `event.${b.action}`,
      entityType: 'event',
      entityId: e.id,
      nodePath: e.node_path,
      detail: {
        from: e.state,
        to: step.to,
        ...(b.reason ? { reason: b.reason } : {}),
        ...detailOut,
        ...(photos.length > 0 ? { photos: photos.length } : {}),
      },
    });
    for (const n of notes)
      await notify(trx, n.users, {
        at,
        kind: `event.${b.action}`,
        message: n.message,
        entityType: 'event',
        entityId: e.id,
      });
    return step.to;
  }

  return {
    ownerFor,

    async listCategories() {
      return repo.listCategories(db);
    },

    async report(ctx: RequestContext, b: ReportEventBody) {
      const actor = actorOf(ctx);
      const category = await categoryForIntake(b.categoryId, false);
      checkAttributes(JSON.parse(category.extra_fields) as ExtraField[], b.attributes);
      const node = await locate(db, b);
      if (!can(actor, 'events.report', node.path)) throw forbidden();
      const made = await withFreshTrackingCode(() =>
        intake.write({
          ctx,
          v: {
            category,
            node,
            channel: b.channel,
            title: b.title,
            description: b.description,
            address: b.address,
            lat: b.lat,
            lng: b.lng,
            attributes: b.attributes,
            reporterName: b.reporterName,
            reporterPhone: b.reporterPhone,
            photos: b.photos,
            photoUploader: actor.userId,
          },
        }),
      );
      poke();
      // A reported event waits for triage: no department acts on it yet, so none of the caller's matter.
      const event = detailOf(
        actor,
        {
          e: made.event,
          myDepartments: [],
          departments: [],
          history: made.history,
          photos: made.photos,
        },
        ctx.lang ?? DEFAULT_LANG,
      );
      return {
        event,
        possibleDuplicates: await possibleDuplicates(reader, category.id, b.lat, b.lng, made.id, actor),
      };
    },

    /**
     * The resident's form, or another system through Open311 (`via.apiKeyId` attributes it to its key):
     * no login; only public categories; answers the new event's id and tracking code.
     */
    /**
     * Where a resident's report placed at a point goes, asked before it is sent: the grid whose
     * polygon holds the point, found as the intake finds it, or null outside every grid.
     */
    async placeAt(lat: number, lng: number): Promise<PublicPlace | null> {
      const hit = await gridAt(lat, lng);
      return hit ? ((await publicPlacesByIds(db, [hit.id]))[0] ?? null) : null;
    },

    async reportPublic(
      ctx: RequestContext,
      b: PublicReportBody,
      via: { channel: 'public' | 'open311'; apiKeyId?: number } = { channel: 'public' },
    ) {
      const category = await categoryForIntake(b.categoryId, true);
      checkAttributes(JSON.parse(category.extra_fields) as ExtraField[], b.attributes);
      const node = await locate(db, b);
      return withFreshTrackingCode(() =>
        intake.write({
          ctx,
          v: {
            category,
            node,
            channel: via.channel,
            apiKeyId: via.apiKeyId ?? null,
            title: b.title || category.name_zh,
            description: b.description,
            address: b.address,
            lat: b.lat,
            lng: b.lng,
            attributes: b.attributes,
            reporterName: b.name,
            reporterPhone: b.phone,
            photos: b.photos,
            photoUploader: null,
          },
        }),
      ).then(({ id, trackingCode }) => {
        poke();
        return { id, trackingCode };
      });
    },

    async list(ctx: RequestContext, q: z.infer<typeof listEventsQuery>) {
      const actor = actorOf(ctx);
      const at = now();
      const f = await listFilter(db, actor, q, at);
      const [total, rows] = await Promise.all([
        repo.countEvents(db, f),
        repo.listEvents(db, f, q.pageSize, (q.page - 1) * q.pageSize),
      ]);
      return { items: rows.map((r) => toSummary(r, at)), total, page: q.page, pageSize: q.pageSize };
    },

    /** What waits for the caller: triage where they own, handling for their departments, verification in their grids. Overdue first. */
    async tasks(ctx: RequestContext) {
      const actor = actorOf(ctx);
      const at = now();
      const departmentIds = await repo.departmentIdsOfUser(db, actor.userId);
      const lists = await Promise.all([
        repo.listEvents(
          db,
          {
            readScopes: scopesFor(actor, 'events.triage'),
            departmentIds: [],
            ownedWithin: scopesFor(actor, 'events.triage'),
            states: ['reported', 'accepted', 'returned', 'extension_requested', 'reopened'],
          },
          200,
          0,
        ),
        repo.listEvents(db, { readScopes: [], departmentIds, states: ['dispatched', 'in_progress'] }, 200, 0),
        repo.listEvents(
          db,
          { readScopes: scopesFor(actor, 'events.verify'), departmentIds: [], states: ['handled'] },
          200,
          0,
        ),
      ]);
      const seen = new Set<number>();
      const items: EventSummary[] = [];
      for (const r of lists.flat()) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        items.push(toSummary(r, at));
      }
      items.sort(
        (a, b) =>
          Number(b.overdue) - Number(a.overdue) ||
          (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9') ||
          b.id - a.id,
      );
      return { items };
    },

    async get(ctx: RequestContext, id: number) {
      return detail(db, actorOf(ctx), id, ctx.lang ?? DEFAULT_LANG);
    },

    /**
     * Holds a photo for a report or a step. Staff who report, handle or verify anywhere may upload;
     * `resident` is the public form's upload, claimable only by a report without login.
     */
    async uploadPhoto(ctx: RequestContext, data: Buffer, resident = false) {
      if (!resident) {
        const actor = actorOf(ctx);
        if (
          !(['events.report', 'events.handle', 'events.verify'] as const).some((p) => holdsAnywhere(actor, p))
        )
          throw forbidden();
      }
      return holdUpload(db, data, resident ? null : actorOf(ctx).userId, now());
    },

    /** One photo of an event the caller may see. */
    async photo(ctx: RequestContext, eventId: number, photoId: number) {
      await loadVisible(db, actorOf(ctx), eventId);
      const p = await photoRepo.photoOf(db, eventId, photoId);
      if (!p) throw notFound('photo');
      return p;
    },

    async act(ctx: RequestContext, id: number, b: EventActionBody) {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        const { e, myDepartments } = await loadVisible(trx, actor, id);
        const step = transition(e.state as EventState, b.action);
        if (step.ok && !mayAct(actor, e, b.action, myDepartments)) throw forbidden('event_action');
        await apply(trx, ctx, e, b, actor.username);
      });
      poke();
      return detail(db, actor, id, ctx.lang ?? DEFAULT_LANG);
    },

    /**
     * The reporter's phone in clear, once, to call them back. The decryption and the audit row with
     * the reason share one transaction, as the people registry's reveal. 403 before 409: who may not
     * reveal learns nothing of whether there is a phone.
     */
    async revealReporterPhone(ctx: RequestContext, id: number, reason: string) {
      const actor = actorOf(ctx);
      return db.transaction().execute(async (trx) => {
        const { e, myDepartments } = await loadVisible(trx, actor, id);
        if (!mayRevealPhone(actor, e, myDepartments)) throw forbidden('event_reveal');
        if (e.reporter_phone_enc === null) throw conflict('event.no_phone');
        await recordAudit(trx, ctx, {
          action: 'event.reveal_reporter_phone',
          entityType: 'event',
          entityId: e.id,
          nodePath: e.node_path,
          detail: { reason },
        });
        return { phone: pii.decrypt(e.reporter_phone_enc) };
      });
    },

    /** KPIs of a node's subtree over a period, with each child's for drill-down, from the daily rollup. */
    async kpis(
      ctx: RequestContext,
      q: { node?: number | undefined; from: string; to: string },
    ): Promise<KpiResponse> {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'events.read');
      if (scopes.length === 0) throw forbidden();
      const node = q.node ? await findNode(db, q.node) : await repo.nodeByPath(db, scopes[0]!);
      if (!node) throw notFound('node');
      if (!can(actor, 'events.read', node.path)) throw forbidden();
      const children = await repo.childNodes(db, node.id);
      const paths = [node.path, ...children.map((c) => c.path)];
      const [sums, overdue, days] = await Promise.all([
        repo.sumKpi(db, paths, q.from, q.to),
        repo.overdueUnder(db, paths, now()),
        repo.kpiDays(db, node.path, q.from, q.to),
      ]);
      const countsOf = (p: string) =>
        ({ ...ZERO_COUNTS(), ...(sums.find((r) => r.node_path === p) ?? {}) }) as KpiCounts;
      return {
        node: { id: node.id, name: node.name, level: node.level },
        from: q.from,
        to: q.to,
        figures: kpiFigures(countsOf(node.path), overdue.get(node.path) ?? 0),
        children: children.map((c) => ({
          node: { id: c.id, name: c.name, level: c.level },
          figures: kpiFigures(countsOf(c.path), overdue.get(c.path) ?? 0),
        })),
        days: days.map((d) => ({ day: d.day, received: d.received, closed: d.closed, due: d.due })),
      };
    },

    async track(code: string): Promise<TrackingView> {
      const e = await repo.findEventByTrackingCode(db, code);
      if (!e) throw notFound('event');
      const history = await repo.historyOf(db, e.id);
      return {
        trackingCode: e.tracking_code,
        category: { nameZh: e.category_name_zh, nameEn: e.category_name_en },
        state: e.state as TrackingView['state'],
        createdAt: e.created_at,
        updatedAt: e.updated_at,
        // Public updates only: the state reached and the department's feedback text; no names, no phones.
        updates: history
          .filter((h) => h.is_public === 1)
          .map((h) => ({
            at: h.at,
            state: h.to_state as TrackingView['state'],
            note:
              h.action === 'feed_back' && h.detail
                ? ((JSON.parse(h.detail) as { note?: string }).note ?? null)
                : null,
          })),
        abilities: {
          evaluate:
            e.state === 'closed' &&
            e.channel === 'public' &&
            e.evaluation === null &&
            e.close_reason !== MEDIATION_CLOSE_REASON,
        },
      };
    },

    /** The resident rates a closed event from the tracking page; dissatisfied reopens it. */
    async evaluatePublic(
      ctx: RequestContext,
      code: string,
      b: { satisfied: boolean; comment?: string | undefined },
    ) {
      await db.transaction().execute(async (trx) => {
        const e = await repo.findEventByTrackingCode(trx, code);
        if (!e) throw notFound('event');
        if (e.close_reason === MEDIATION_CLOSE_REASON)
          throw conflict('event.with_mediation', {}, { state: e.state, allowed: [] });
        if (e.channel !== 'public' || e.evaluation !== null)
          throw conflict(
            'event.evaluated',
            {},
            {
              state: e.state,
              allowed: [],
            },
          );
        const action = b.satisfied ? 'evaluate_satisfied' : 'evaluate_dissatisfied';
        await apply(
          trx,
          ctx,
          e,
          { action, reason: b.comment ?? (b.satisfied ? undefined : 'reason.not_satisfied') },
          'actor.resident',
        );
      });
      poke();
      return this.track(code);
    },

    /**
     * The ladder's sweep: every event whose clock ran out climbs one level and its clock restarts,
     * so an event nobody signs for keeps climbing until the district holds it. Idempotent per run.
     */
    async sweep(ctx: RequestContext, limit = 500) {
      // The scheduler runs it as the system; a person only from the district (it touches every event).
      if (ctx.actor) assertDistrictWide(ctx.actor, 'events.configure');
      const at = now();
      const cal = await workCalendar();
      // First, so that a failing escalation never keeps abandoned uploads.
      await photoRepo.deleteUnclaimedBefore(db, new Date(Date.parse(at) - UNCLAIMED_PHOTO_MS).toISOString());
      let escalated = 0;
      for (const due of await repo.pastDue(db, at, limit)) {
        // A step someone takes on the event at this very moment wins; the next sweep looks again.
        await db
          .transaction()
          .execute(async (trx) => {
            const e = await repo.findEvent(trx, due.id);
            if (!e || e.due_at === null || e.due_at >= at) return;
            const category = (await categoryById(e.category_id, trx))!;
            const clockHours =
              e.state === 'dispatched'
                ? category.sign_hours
                : e.state === 'handled'
                  ? category.verify_hours
                  : category.handle_hours;
            if (!levelAbove(e.owner_level as OwnerLevel)) return;
            const clock = e.state === 'dispatched' ? 'sign' : e.state === 'handled' ? 'verify' : 'handle';
            await apply(trx, ctx, e, { action: 'escalate', reason: `escalation.event.${clock}` }, 'system');
            await repo.updateEvent(trx, e.id, { due_at: deadline(cal, at, clockHours) });
            escalated++;
          })
          .catch((err: unknown) => {
            if (!(err instanceof AppError && err.code === 'event.concurrent')) throw err;
          });
      }
      if (escalated > 0) poke();
      return { escalated };
    },

    /**
     * Joint handling's side of a dispute handed to people's mediation, inside the mediation case's
     * own transaction (the mediation service checked mediation.intake where the event happened): the
     * event is closed as handed over (转人民调解), its history naming the case; audited with the step.
     */
    async handOverToMediation(trx: Executor, ctx: RequestContext, id: number, link: MediationLink) {
      const e = await repo.findEvent(trx, id);
      if (!e) throw notFound('event');
      if (!isDisputeCategory(e.category_code)) throw conflict('mediation.event_not_dispute');
      await apply(
        trx,
        ctx,
        e,
        { action: 'close', reason: 'reason.to_mediation', mediation: link },
        ctx.actor?.username ?? 'system',
      );
    },

    /**
     * A dispute comes back from mediation (the case referred back, or failed with the route back to
     * joint handling): reopened for triage to dispatch again, the mediator's note as the reason, in
     * the mediation case's transaction, audited and the triage told.
     */
    async returnFromMediation(
      trx: Executor,
      ctx: RequestContext,
      id: number,
      link: MediationLink & { outcome: 'referred' | 'failed'; note: string },
    ) {
      const e = await repo.findEvent(trx, id);
      if (!e) throw notFound('event');
      // An event linked to a case without having been handed over (before hand-overs closed events)
      // is not waiting for it: it stays as it is.
      if (e.state !== 'closed' || e.close_reason !== MEDIATION_CLOSE_REASON) return;
      await apply(
        trx,
        ctx,
        e,
        { action: 'mediation_return', reason: link.note, mediation: link },
        ctx.actor?.username ?? 'system',
      );
    },

    /**
     * Trusted server code only (the demo seed replaying a history): one step taken as `label`,
     * with the workflow's rules, clocks, rollup and audit, but without the role check.
     */
    async replay(ctx: RequestContext, id: number, b: EventActionBody, label: string) {
      await db.transaction().execute(async (trx) => {
        const e = await repo.findEvent(trx, id);
        if (!e) throw notFound('event');
        await apply(trx, ctx, e, b, label);
      });
      poke();
    },

    /** How much intake has batched: reports per commit. */
    intakeStats() {
      return intake.stats();
    },

    invalidateCaches() {
      grids = null;
      calendar = null;
      categories = null;
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
