// Home observation (居家观察): an order for a person at risk, observed at home for a number of
// Asia/Shanghai calendar days, with one follow-up row a day generated with the order; carers (a party
// member, the grid worker, a doctor) record each day's follow-up on their phones. "Seen unwell" alerts
// the village and the doctor at once; a day left without a follow-up is flagged by the morning sweep
// and escalated to the village; the order ends by release on its end date, extension or transfer.
// The reason and the findings are health data: encrypted at rest, read only through here, never put
// in the audit log. The cockpit's figures are counters kept in the same transaction as each change.
import {
  OBSERVATION_MAX_DAYS,
  OBSERVATION_START_WINDOW_DAYS,
  type CreateObservationBody,
  type FollowUpBody,
  type FollowUpView,
  type Need,
  type ObservationFigures,
  type ObservationStepBody,
  type ObservationSummary,
  type ObservationView,
  type Symptom,
} from '../../../common/contracts/observations.js';
import { showCount } from '../../../common/contracts/shared.js';
import { msg, textsOf, type MessageCode } from '../../../common/messages/index.js';
import { ancestorPaths, parentPath } from '../../../common/tree.js';
import { addDays, daysBetween, localDate } from '../../../common/worktime.js';
import type { DB, Executor } from '../../db/index.js';
import { isUniqueViolation, nowIso } from '../../db/index.js';
import {
  actorOf,
  can,
  commonAncestor,
  isWithin,
  holdsAnywhere,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import {
  badRequest,
  conflict,
  forbidden,
  notFound,
  validationFailed,
  type ProblemIssue,
} from '../../platform/errors.js';
import { bumpCountersMany, recordLive, type LivePoke } from '../../platform/live.js';
import type { PiiCipher } from '../../platform/pii.js';
import { listNode } from '../nodes/index.js';
import { notify, usersAssignedAt } from '../notifications/index.js';
import * as repo from './observation.repository.js';

/** The cockpit's counters (live_counters metrics), per the order's node path. */
export const OBSERVATION_METRICS = {
  /** Orders in observation at or below the node. */
  active: 'observation.active',
  /** Follow-ups flagged missed by the morning sweep (all time). */
  missed: 'observation.missed',
  /** Follow-ups that found the person unwell (all time). */
  unwell: 'observation.unwell',
  /** Orders released at the end of their days (all time). */
  released: 'observation.released',
  /** Follow-ups falling due on a day, and those recorded for it: today's remaining is the difference. */
  due: (day: string) => `observation.due.${day}`,
  done: (day: string) => `observation.done.${day}`,
} as const;

/**
 * Health data is kept for its purpose: the orders made under a command (and their days) are deleted
 * this many days after the command closed, one audit row per command. Orders under no command stay.
 */
export const OBSERVATION_RETENTION_DAYS = 28;
/** An order (with its extensions) lasts at most this many days in all. */
export const OBSERVATION_MAX_TOTAL_DAYS = 2 * OBSERVATION_MAX_DAYS;
const TASKS_LIMIT = 200;
/** Orders per transaction when many are made at once (each with its days: 28,000 rows at 14 days). */
const BULK_ORDERS = 2_000;
const CANDIDATES_LIMIT = 100;
const MS_PER_HOUR = 3_600_000;
/** A day's follow-up counts as missed from 08:00 the next morning (Asia/Shanghai). */
const MISSED_AFTER_HOURS = 8;

interface Detail {
  temperature: number | null;
  symptoms: Symptom[];
  needs: Need[];
  note: string | null;
}

/** Raises a need found at a follow-up as a service request, in the follow-up's transaction (joint services). */
export type RaiseNeed = (
  trx: Executor,
  ctx: RequestContext,
  b: { personId: number; kind: 'meals' | 'medicine'; followUpId: number; at: string },
) => Promise<unknown>;

export function createObservationService(deps: {
  db: DB;
  pii: PiiCipher;
  live?: LivePoke;
  now?: () => string;
  /** Where "needs food" and "needs medicine" go: the joint services' requests. */
  raiseNeed?: RaiseNeed;
}) {
  const { db, pii } = deps;
  const now = deps.now ?? nowIso;
  const poke = () => deps.live?.poke();

  /**
   * Follows up on every order of a place: holds follow_up there and reads the place. A volunteer holds
   * follow_up without read: they follow up only on the orders naming them carer.
   */
  const followsUpAt = (actor: Actor, path: string) =>
    can(actor, 'observations.follow_up', path) && can(actor, 'observations.read', path);

  /** May read the order: the place's observations.read, or named carer holding follow_up somewhere. */
  async function access(x: Executor, actor: Actor, o: repo.OrderRow) {
    const reads = can(actor, 'observations.read', o.node_path);
    const carer =
      holdsAnywhere(actor, 'observations.follow_up') && (await repo.isCarer(x, o.id, actor.userId));
    return { reads, carer };
  }

  function abilitiesOf(actor: Actor, o: repo.OrderRow, carer: boolean, today: string, doctor: boolean) {
    const active = o.status === 'active';
    const manages = can(actor, 'observations.manage', o.node_path);
    return {
      followUp: active && (carer || followsUpAt(actor, o.node_path)),
      release: active && today >= o.end_date && (carer || manages),
      extend: active && manages,
      transfer: active && manages,
      handleAlert: manages || doctor,
    };
  }

  async function loadForStep(x: Executor, actor: Actor, id: number) {
    const o = await repo.findOrder(x, id);
    if (!o) throw notFound('observation');
    const { reads, carer } = await access(x, actor, o);
    if (!reads && !carer) throw forbidden();
    return { o, carer };
  }

  const decryptDetail = (enc: string | null): Detail =>
    enc
      ? (JSON.parse(pii.decrypt(enc)) as Detail)
      : { temperature: null, symptoms: [], needs: [], note: null };

  async function view(actor: Actor, o: repo.OrderRow, carer: boolean): Promise<ObservationView> {
    const today = localDate(now());
    const [carers, members, followUps] = await Promise.all([
      repo.carersOf(db, [o.id]),
      repo.membersOf(db, o.id),
      repo.followUpsOf(db, o.id),
    ]);
    return {
      ...summaryBase(actor, o, carer, today, carers),
      members: members.map((m) => ({ id: m.id, name: m.name })),
      followUps: followUps.map((f): FollowUpView => {
        const d = decryptDetail(f.detail_enc);
        return {
          date: f.date,
          status: f.status,
          temperature: d.temperature,
          symptoms: d.symptoms,
          needs: d.needs,
          note: d.note,
          recordedBy:
            f.recorded_by_user_id !== null
              ? { id: f.recorded_by_user_id, name: f.recorded_by_name ?? '' }
              : null,
          recordedAt: f.recorded_at,
          handledAt: f.handled_at,
        };
      }),
    };
  }

  function summaryBase(
    actor: Actor,
    o: repo.OrderRow,
    carer: boolean,
    today: string,
    carers: Awaited<ReturnType<typeof repo.carersOf>>,
  ) {
    const doctor = carers.some(
      (c) => c.order_id === o.id && c.user_id === actor.userId && c.kind === 'doctor',
    );
    return {
      id: o.id,
      person: {
        id: o.person_id,
        name: o.person_name,
        idNumberMasked: o.id_number_masked,
        phoneMasked: o.phone_masked,
      },
      node: { id: o.node_id, name: o.node_name },
      reason: pii.decrypt(o.reason_enc),
      place: o.place,
      startDate: o.start_date,
      endDate: o.end_date,
      days: o.days,
      status: o.status,
      transferTo: o.transfer_to,
      carers: carers
        .filter((c) => c.order_id === o.id)
        .map((c) => ({ userId: c.user_id, name: c.display_name, kind: c.kind })),
      commandId: o.command_id,
      today,
      createdAt: o.created_at,
      closedAt: o.closed_at,
      abilities: abilitiesOf(actor, o, carer, today, doctor),
    };
  }

  /** Who hears at once that someone was seen unwell, or that a day was missed: the place's and the village's managers, the doctors. */
  async function alertees(x: Executor, o: { id: number; node_path: string }) {
    const up = parentPath(o.node_path);
    // The village (third level) hears too when the person is at a micro-grid, two below it.
    const village = ancestorPaths(o.node_path)[2];
    const paths = [...new Set([o.node_path, ...(up ? [up] : []), ...(village ? [village] : [])])];
    return [
      ...new Set([
        ...(await usersAssignedAt(x, paths, 'observations.manage')),
        ...(await repo.doctorsOf(x, o.id)),
      ]),
    ];
  }

  /**
   * A change to one order, in its transaction: the live update its place's pages refresh on (`live`,
   * the audit action unless named) and its audit row.
   */
  async function recordChange(
    trx: Executor,
    ctx: RequestContext,
    o: { id: number; node_path: string },
    audit: { action: string; before?: unknown; after?: unknown; detail?: Record<string, unknown> },
    live: string = audit.action,
  ) {
    await recordLive(trx, { kind: live, paths: [o.node_path], payload: { id: o.id } });
    await recordAudit(trx, ctx, {
      action: audit.action,
      entityType: 'observation',
      entityId: o.id,
      nodePath: o.node_path,
      ...(audit.before !== undefined ? { before: audit.before } : {}),
      ...(audit.after !== undefined ? { after: audit.after } : {}),
      ...(audit.detail !== undefined ? { detail: audit.detail } : {}),
    });
  }

  /**
   * Where carers may come from: the person's town or street (a street's volunteers help any of its
   * communities, the person's village first) and the places above the person.
   */
  function nearby(path: string) {
    const ancestors = ancestorPaths(path);
    return {
      ancestors,
      town: ancestors[Math.min(1, ancestors.length - 1)]!,
      village: ancestors[Math.min(2, ancestors.length - 1)]!,
    };
  }

  /** An order may serve an open incident command opened at the people's places or above them. */
  async function commandServes(commandId: number, paths: readonly string[]) {
    const c = await repo.findCommandBrief(db, commandId);
    return !!c && c.closed_at === null && paths.every((p) => isWithin(p, c.node_path));
  }

  /** A start from yesterday (written up the next morning) to a week ahead. */
  function checkStart(today: string, startDate: string) {
    const ahead = daysBetween(today, startDate);
    if (ahead < -1 || ahead > OBSERVATION_START_WINDOW_DAYS)
      throw badRequest('observation.start_window', { days: OBSERVATION_START_WINDOW_DAYS });
  }

  const statusText = (s: string) => textsOf(`observation.status.${s}` as MessageCode);

  return {
    async create(ctx: RequestContext, body: CreateObservationBody) {
      const actor = actorOf(ctx);
      const at = now();
      const today = localDate(at);
      const [person] = await repo.findPeople(db, [body.personId]);
      if (!person) throw notFound('person');
      if (!can(actor, 'observations.manage', person.node_path)) throw forbidden();
      if (person.merged_into_id !== null) throw notFound('person');
      checkStart(today, body.startDate);

      const issues: ProblemIssue[] = [];
      const carerIds = [...new Set(body.carers.map((c) => c.userId))];
      // A carer follows up somewhere in the person's town or street, or above the person (as offered).
      const near = nearby(person.node_path);
      const allowed = new Set(
        (
          await repo.usersNear(
            db,
            near.ancestors,
            near.town,
            near.village,
            'observations.follow_up',
            carerIds.length,
            carerIds,
          )
        ).map((u) => u.id),
      );
      body.carers.forEach((c, i) => {
        if (!allowed.has(c.userId))
          issues.push({
            path: `body.carers.${i}.userId`,
            message: msg('observation.not_carer'),
            code: 'observation.not_carer',
          });
      });
      const memberIds = [...new Set(body.members.filter((m) => m !== body.personId))];
      const members = new Map((await repo.findPeople(db, memberIds)).map((m) => [m.id, m]));
      body.members.forEach((m, i) => {
        const p = members.get(m);
        if (m !== body.personId && (!p || p.merged_into_id !== null || p.node_path !== person.node_path))
          issues.push({
            path: `body.members.${i}`,
            message: msg('observation.member_elsewhere'),
            code: 'observation.member_elsewhere',
          });
      });
      if (body.commandId != null && !(await commandServes(body.commandId, [person.node_path])))
        issues.push({
          path: 'body.commandId',
          message: msg('observation.command_elsewhere'),
          code: 'observation.command_elsewhere',
        });
      if (issues.length > 0) throw validationFailed(issues);

      const endDate = addDays(body.startDate, body.days - 1);
      const dates = Array.from({ length: body.days }, (_, i) => addDays(body.startDate, i));
      let id: number;
      try {
        id = await db.transaction().execute(async (trx) => {
          const open = await repo.activeOrderOf(trx, person.id);
          if (open)
            throw conflict('observation.already_active', { name: person.name, endDate: open.end_date });
          const orderId = await repo.insertOrder(trx, {
            person_id: person.id,
            node_id: person.node_id,
            node_path: person.node_path,
            command_id: body.commandId ?? null,
            reason_enc: pii.encrypt(body.reason),
            place: body.place ?? null,
            start_date: body.startDate,
            end_date: endDate,
            days: body.days,
            status: 'active',
            transfer_to: null,
            created_by_user_id: actor.userId,
            created_at: at,
            created_on: today,
            updated_at: at,
            closed_at: null,
          });
          const carers = carerIds.map((u) => ({
            order_id: orderId,
            user_id: u,
            kind: body.carers.find((c) => c.userId === u)!.kind,
          }));
          await repo.insertCarers(trx, carers);
          await repo.insertMembers(
            trx,
            memberIds.map((m) => ({ order_id: orderId, person_id: m })),
          );
          await repo.insertFollowUps(
            trx,
            dates.map((date) => ({ order_id: orderId, node_path: person.node_path, date })),
          );
          await bumpCountersMany(
            trx,
            [
              {
                nodePath: person.node_path,
                deltas: {
                  [OBSERVATION_METRICS.active]: 1,
                  ...Object.fromEntries(dates.map((d) => [OBSERVATION_METRICS.due(d), 1])),
                },
              },
            ],
            body.commandId ?? null,
          );
          await notify(trx, carerIds, {
            at,
            kind: 'observation.carer',
            message: msg('notification.observation.carer', {
              name: person.name,
              node: person.node_name,
              start: body.startDate,
              end: endDate,
            }),
            entityType: 'observation',
            entityId: orderId,
          });
          await recordChange(
            trx,
            ctx,
            { id: orderId, node_path: person.node_path },
            {
              action: 'observation.create',
              after: {
                personId: person.id,
                startDate: body.startDate,
                endDate,
                days: body.days,
                carers: carers.map((c) => ({ userId: c.user_id, kind: c.kind })),
                members: memberIds,
              },
            },
            'observation.created',
          );
          return orderId;
        });
      } catch (e) {
        // Two orders for one person at the same moment: the partial unique index keeps one.
        if (isUniqueViolation(e)) {
          const open = await repo.activeOrderOf(db, person.id);
          throw conflict('observation.already_active', {
            name: person.name,
            endDate: open?.end_date ?? endDate,
          });
        }
        throw e;
      }
      poke();
      return this.get(ctx, id);
    },

    /**
     * Who may care for a person: accounts that follow up (volunteers among them) with a role in the
     * person's town or street or above the person, those of the person's village first. For whoever
     * may order for them.
     */
    async carerCandidates(ctx: RequestContext, personId: number) {
      const actor = actorOf(ctx);
      const [person] = await repo.findPeople(db, [personId]);
      if (!person || person.merged_into_id !== null) throw notFound('person');
      if (!can(actor, 'observations.manage', person.node_path)) throw forbidden();
      const near = nearby(person.node_path);
      const rows = await repo.usersNear(
        db,
        near.ancestors,
        near.town,
        near.village,
        'observations.follow_up',
        CANDIDATES_LIMIT,
      );
      const seen = new Set<number>();
      const items = rows
        .filter((r) => !seen.has(r.id) && seen.add(r.id))
        .slice(0, CANDIDATES_LIMIT)
        .map((r) => ({
          userId: r.id,
          name: r.display_name,
          node: { id: r.node_id, name: r.node_name },
          kind: r.role === 'grid_worker' ? ('grid_worker' as const) : ('party_member' as const),
        }));
      return { items };
    },

    /**
     * Orders home observation for many people at once, on the same dates and for the same reason (the
     * people a sweep found at risk, a list): everyone must be in the caller's scope (else nothing is
     * written); people already in observation are skipped. Written BULK_ORDERS orders a transaction,
     * each batch with its days, its counters summed, and one audit row naming its orders.
     */
    async orderMany(
      ctx: RequestContext,
      b: {
        personIds: readonly number[];
        startDate: string;
        days: number;
        reason: string;
        commandId?: number | null;
      },
    ) {
      const actor = actorOf(ctx);
      const at = now();
      checkStart(localDate(at), b.startDate);
      if (b.days < 1 || b.days > OBSERVATION_MAX_DAYS)
        throw badRequest('observation.max_days', { max: OBSERVATION_MAX_DAYS });
      const ids = [...new Set(b.personIds)];
      const people: Awaited<ReturnType<typeof repo.findPeople>> = [];
      for (let i = 0; i < ids.length; i += 1000)
        people.push(...(await repo.findPeople(db, ids.slice(i, i + 1000))));
      const found = new Map(people.filter((p) => p.merged_into_id === null).map((p) => [p.id, p]));
      const issues: ProblemIssue[] = ids.flatMap((id, i) =>
        found.has(id)
          ? []
          : [{ path: `body.personIds.${i}`, message: msg('not_found.person'), code: 'not_found.person' }],
      );
      if (issues.length > 0) throw validationFailed(issues.slice(0, 100));
      if (people.some((p) => !can(actor, 'observations.manage', p.node_path))) throw forbidden();
      if (
        b.commandId != null &&
        !(await commandServes(
          b.commandId,
          people.map((p) => p.node_path),
        ))
      )
        throw validationFailed([
          {
            path: 'body.commandId',
            message: msg('observation.command_elsewhere'),
            code: 'observation.command_elsewhere',
          },
        ]);
      const endDate = addDays(b.startDate, b.days - 1);
      const dates = Array.from({ length: b.days }, (_, i) => addDays(b.startDate, i));
      let created = 0;
      let skipped = 0;
      for (let i = 0; i < ids.length; i += BULK_ORDERS) {
        const chunk = ids.slice(i, i + BULK_ORDERS).map((id) => found.get(id)!);
        const made = await db.transaction().execute(async (trx) => {
          const already = await repo.activeAmong(
            trx,
            chunk.map((p) => p.id),
          );
          const todo = chunk.filter((p) => !already.has(p.id));
          if (todo.length === 0) return { n: 0, skipped: chunk.length };
          const orderIds = await repo.insertOrders(
            trx,
            todo.map((p) => ({
              person_id: p.id,
              node_id: p.node_id,
              node_path: p.node_path,
              command_id: b.commandId ?? null,
              reason_enc: pii.encrypt(b.reason),
              place: null,
              start_date: b.startDate,
              end_date: endDate,
              days: b.days,
              status: 'active' as const,
              transfer_to: null,
              created_by_user_id: actor.userId,
              created_at: at,
              created_on: localDate(at),
              updated_at: at,
              closed_at: null,
            })),
          );
          await repo.insertFollowUps(
            trx,
            todo.flatMap((p, k) =>
              dates.map((date) => ({ order_id: orderIds[k]!, node_path: p.node_path, date })),
            ),
          );
          const perDay = Object.fromEntries(dates.map((d) => [OBSERVATION_METRICS.due(d), 1]));
          await bumpCountersMany(
            trx,
            todo.map((p) => ({
              nodePath: p.node_path,
              deltas: { [OBSERVATION_METRICS.active]: 1, ...perDay },
            })),
            b.commandId ?? null,
          );
          await recordLive(trx, {
            kind: 'observation.created',
            paths: [...new Set(todo.map((p) => p.node_path))].slice(0, 100),
            payload: { count: todo.length },
          });
          await recordAudit(trx, ctx, {
            action: 'observation.create_many',
            entityType: 'observation',
            entityId: orderIds[0]!,
            nodePath: commonAncestor(todo.map((p) => p.node_path)) ?? todo[0]!.node_path,
            after: {
              orders: orderIds.length,
              fromId: orderIds[0],
              toId: orderIds.at(-1),
              startDate: b.startDate,
              endDate,
            },
          });
          return { n: todo.length, skipped: chunk.length - todo.length };
        });
        created += made.n;
        skipped += made.skipped;
      }
      if (created > 0) poke();
      return { created, skipped, endDate };
    },

    async get(ctx: RequestContext, id: number): Promise<ObservationView> {
      const actor = actorOf(ctx);
      const { o, carer } = await loadForStep(db, actor, id);
      return view(actor, o, carer);
    },

    async list(
      ctx: RequestContext,
      q: { node?: number; status?: 'active' | 'released' | 'transferred'; page: number; pageSize: number },
    ) {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'observations.read');
      const under = q.node === undefined ? undefined : (await listNode(db, scopes, q.node)).path;
      // Orders naming the caller carer, only while they may follow up at all (as `get` checks).
      const { total, rows } = await repo.listOrders(
        db,
        scopes,
        holdsAnywhere(actor, 'observations.follow_up') ? actor.userId : null,
        {
          ...(under !== undefined ? { under } : {}),
          ...(q.status !== undefined ? { status: q.status } : {}),
        },
        q.pageSize,
        (q.page - 1) * q.pageSize,
      );
      const today = localDate(now());
      const ids = rows.map((r) => r.id);
      const [carers, facts] = await Promise.all([repo.carersOf(db, ids), repo.dayFacts(db, ids, today)]);
      const items: ObservationSummary[] = rows.map((o) => {
        const carer = carers.some((c) => c.order_id === o.id && c.user_id === actor.userId);
        const f = facts.get(o.id);
        return {
          ...summaryBase(actor, o, carer, today, carers),
          todayStatus: f?.today ?? null,
          missed: f?.missed ?? 0,
        };
      });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    /** Follow-ups waiting for the caller (today's, and yesterday's until the sweep flags them), one per order. */
    async tasks(ctx: RequestContext) {
      const actor = actorOf(ctx);
      const today = localDate(now());
      // Places where the caller both reads and follows up, found from either side (a town's reader who
      // is also a village's cadre follows up in the village).
      const scopes = [
        ...new Set(
          [...scopesFor(actor, 'observations.read'), ...scopesFor(actor, 'observations.follow_up')].filter(
            (p) => followsUpAt(actor, p),
          ),
        ),
      ];
      const [alerts, rows] = await Promise.all([
        repo.openAlerts(db, scopesFor(actor, 'observations.manage'), actor.userId, TASKS_LIMIT),
        repo.dueFollowUps(db, scopes, actor.userId, today, TASKS_LIMIT),
      ]);
      const seen = new Set<number>();
      const task = (kind: 'follow_up' | 'unwell') => (r: (typeof rows)[number]) => ({
        kind,
        observationId: r.order_id,
        person: { id: r.person_id, name: r.person_name },
        node: { id: r.node_id, name: r.node_name },
        date: r.date,
        status: r.status,
        endDate: r.end_date,
        overdue: kind === 'follow_up' && r.date < today,
        upcoming: r.date > today,
        carer: r.carer !== null,
      });
      // Alerts first (a person seen unwell waits for no one), then one follow-up per order, oldest first.
      const items = [
        ...alerts.map(task('unwell')),
        ...rows.filter((r) => !seen.has(r.order_id) && seen.add(r.order_id)).map(task('follow_up')),
      ];
      return { items };
    },

    /** The place's manager or the order's doctor has acted on a day that found the person unwell. */
    async handleAlert(ctx: RequestContext, id: number, date: string) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const { o } = await loadForStep(trx, actor, id);
        if (
          !can(actor, 'observations.manage', o.node_path) &&
          !(await repo.isDoctor(trx, o.id, actor.userId))
        )
          throw forbidden();
        const f = await repo.findFollowUp(trx, id, date);
        if (!f) throw notFound('follow_up');
        const notOpen = () => conflict('observation.alert_not_open');
        if (f.status !== 'unwell' || f.handled_at !== null) throw notOpen();
        if (!(await repo.setHandled(trx, f.id, actor.userId, at))) throw notOpen();
        await recordChange(trx, ctx, o, { action: 'observation.alert_handled', detail: { date } });
      });
      poke();
      return this.get(ctx, id);
    },

    async recordFollowUp(ctx: RequestContext, id: number, date: string, b: FollowUpBody) {
      const actor = actorOf(ctx);
      const at = now();
      const today = localDate(at);
      await db.transaction().execute(async (trx) => {
        const { o, carer } = await loadForStep(trx, actor, id);
        if (!carer && !followsUpAt(actor, o.node_path)) throw forbidden();
        if (o.status !== 'active') throw conflict('observation.transition', { status: statusText(o.status) });
        if (date > today) throw badRequest('observation.follow_up_future', { today });
        const f = await repo.findFollowUp(trx, id, date);
        if (!f) throw notFound('follow_up');
        const closed = () =>
          conflict('observation.follow_up_closed', {
            status: textsOf(`observation.follow_up.${f.status}` as MessageCode),
          });
        if (f.status !== 'due') throw closed();
        const detail: Detail = {
          // As a thermometer reads it: one decimal.
          temperature: b.temperature == null ? null : Math.round(b.temperature * 10) / 10,
          symptoms: [...new Set(b.symptoms ?? [])],
          needs: [...new Set(b.needs ?? [])],
          note: b.note ?? null,
        };
        const ok = await repo.setFollowUp(trx, f.id, 'due', {
          status: b.outcome,
          detail_enc: pii.encrypt(JSON.stringify(detail)),
          recorded_by_user_id: actor.userId,
          recorded_at: at,
        });
        if (!ok) throw closed();
        const unwell = b.outcome === 'unwell';
        await bumpCountersMany(
          trx,
          [
            {
              nodePath: o.node_path,
              deltas: { [OBSERVATION_METRICS.done(date)]: 1, [OBSERVATION_METRICS.unwell]: unwell ? 1 : 0 },
            },
          ],
          o.command_id,
        );
        // Food or medicine needed: a service request for the person, matched to a volunteer nearby.
        for (const need of detail.needs)
          if (need !== 'other' && deps.raiseNeed)
            await deps.raiseNeed(trx, ctx, {
              personId: o.person_id,
              kind: need === 'food' ? 'meals' : 'medicine',
              followUpId: f.id,
              at,
            });
        if (unwell) {
          await notify(trx, await alertees(trx, o), {
            at,
            kind: 'observation.unwell',
            message: msg('notification.observation.unwell', { name: o.person_name, node: o.node_name, date }),
            entityType: 'observation',
            entityId: o.id,
          });
        }
        // The findings are health data: the audit row says who recorded which day, not what they found.
        await recordChange(
          trx,
          ctx,
          o,
          { action: 'observation.follow_up', detail: { date, outcome: b.outcome } },
          // Whatever the outcome: the stream reaches every role at the place, the findings only those who read.
          'observation.followed_up',
        );
      });
      poke();
      return this.get(ctx, id);
    },

    async step(ctx: RequestContext, id: number, b: ObservationStepBody) {
      const actor = actorOf(ctx);
      const at = now();
      const today = localDate(at);
      await db.transaction().execute(async (trx) => {
        const { o, carer } = await loadForStep(trx, actor, id);
        const manages = can(actor, 'observations.manage', o.node_path);
        if (!manages && !(b.action === 'release' && carer)) throw forbidden();
        if (o.status !== 'active') throw conflict('observation.transition', { status: statusText(o.status) });
        const deltas: Record<string, number> = {};
        const extension =
          b.action === 'extend' ? Array.from({ length: b.days }, (_, k) => addDays(o.end_date, k + 1)) : [];
        let patch: Parameters<typeof repo.setOrder>[4];
        if (b.action === 'extend') {
          const total = daysBetween(o.start_date, o.end_date) + 1 + b.days;
          if (total > OBSERVATION_MAX_TOTAL_DAYS)
            throw badRequest('observation.max_days', { max: OBSERVATION_MAX_TOTAL_DAYS });
          patch = { end_date: extension.at(-1)!, days: total, updated_at: at };
        } else {
          if (b.action === 'release' && today < o.end_date)
            throw badRequest('observation.release_early', { endDate: o.end_date });
          patch =
            b.action === 'release'
              ? { status: 'released', updated_at: at, closed_at: at }
              : { status: 'transferred', transfer_to: b.to, updated_at: at, closed_at: at };
        }
        // The order moves first, guarded by its status and end date as read: a step that raced with
        // this one (an extension and a release at once) then finds it changed and writes nothing.
        if (!(await repo.setOrder(trx, o.id, 'active', o.end_date, patch))) {
          const moved = await repo.findOrder(trx, o.id);
          throw conflict('observation.transition', { status: statusText(moved?.status ?? o.status) });
        }
        if (b.action === 'extend') {
          await repo.insertFollowUps(
            trx,
            extension.map((date) => ({ order_id: o.id, node_path: o.node_path, date })),
          );
          for (const d of extension) deltas[OBSERVATION_METRICS.due(d)] = 1;
        } else {
          // The days left are not followed up any more: today's too (release and transfer are the day's contact).
          for (const d of await repo.deleteDueFrom(trx, o.id, today)) deltas[OBSERVATION_METRICS.due(d)] = -1;
          deltas[OBSERVATION_METRICS.active] = -1;
          if (b.action === 'release') deltas[OBSERVATION_METRICS.released] = 1;
        }
        await bumpCountersMany(trx, [{ nodePath: o.node_path, deltas }], o.command_id);
        await recordChange(trx, ctx, o, {
          action: `observation.${b.action}`,
          before: { status: o.status, endDate: o.end_date },
          after: { status: patch.status ?? o.status, endDate: patch.end_date ?? o.end_date },
          detail: b.action === 'extend' ? { days: b.days } : b.action === 'transfer' ? { to: b.to } : {},
        });
      });
      poke();
      return this.get(ctx, id);
    },

    /**
     * The place's figures and its children's, from counters: in observation, due and done today,
     * missed, seen unwell, released. Below town level a count of 1–4 is shown as "<5".
     */
    async stats(ctx: RequestContext, q: { node?: number }) {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'observations.read');
      if (scopes.length === 0) throw forbidden();
      // Without ?node=, the caller's widest place.
      const full =
        q.node !== undefined
          ? await listNode(db, scopes, q.node)
          : await repo.nodeAtPath(db, [...scopes].sort((a, b) => a.length - b.length)[0]!);
      const children = await repo.liveChildren(db, full.id);
      const today = localDate(now());
      const metrics = [
        OBSERVATION_METRICS.active,
        OBSERVATION_METRICS.missed,
        OBSERVATION_METRICS.unwell,
        OBSERVATION_METRICS.released,
        OBSERVATION_METRICS.due(today),
        OBSERVATION_METRICS.done(today),
      ];
      const rows = await repo.countersAt(db, [full.path, ...children.map((c) => c.path)], metrics);
      const figuresAt = (path: string, level: string): ObservationFigures => {
        const v = (m: string) => Number(rows.find((r) => r.node_path === path && r.metric === m)?.value ?? 0);
        const shown = (n: number) => showCount(level, n);
        const due = v(OBSERVATION_METRICS.due(today));
        const done = v(OBSERVATION_METRICS.done(today));
        return {
          active: shown(v(OBSERVATION_METRICS.active)),
          dueToday: shown(Math.max(0, due - done)),
          doneToday: shown(done),
          missed: shown(v(OBSERVATION_METRICS.missed)),
          unwell: shown(v(OBSERVATION_METRICS.unwell)),
          released: shown(v(OBSERVATION_METRICS.released)),
        };
      };
      return {
        node: { id: full.id, name: full.name },
        today,
        figures: figuresAt(full.path, full.level),
        children: children.map((c) => ({ id: c.id, name: c.name, figures: figuresAt(c.path, c.level) })),
      };
    },

    /** Retention: deletes the orders of commands closed over OBSERVATION_RETENTION_DAYS ago (audited). */
    async purgeExpired(ctx: RequestContext) {
      const at = now();
      const before = new Date(Date.parse(at) - OBSERVATION_RETENTION_DAYS * 86_400_000).toISOString();
      let deleted = 0;
      for (const c of await repo.commandsPastRetention(db, before)) {
        deleted += await db.transaction().execute(async (trx) => {
          // Orders still in observation leave the figures with their days to come.
          const { orders, due } = await repo.ordersOfCommand(trx, c.id);
          const changes = [
            ...orders
              .filter((o) => o.status === 'active')
              .map((o) => ({ nodePath: o.node_path, deltas: { [OBSERVATION_METRICS.active]: -1 } })),
            ...due.map((d) => ({ nodePath: d.node_path, deltas: { [OBSERVATION_METRICS.due(d.date)]: -1 } })),
          ];
          await bumpCountersMany(trx, changes, c.id);
          const n = await repo.deleteOrdersOfCommand(trx, c.id);
          await recordAudit(trx, ctx, {
            action: 'observation.purge',
            entityType: 'incident_command',
            entityId: c.id,
            nodePath: c.node_path,
            detail: { orders: n, closedAt: c.closed_at, retentionDays: OBSERVATION_RETENTION_DAYS },
          });
          return n;
        });
      }
      return { deleted };
    },

    /**
     * The morning sweep: a day's follow-up still due at 08:00 the next morning (Asia/Shanghai) is
     * flagged missed once, counted, and escalated to the place's and the village's managers and the
     * carers, with an audit row.
     */
    async sweep(ctx: RequestContext, limit = 2000) {
      const at = now();
      const before = localDate(new Date(Date.parse(at) - MISSED_AFTER_HOURS * MS_PER_HOUR).toISOString());
      let flagged = 0;
      for (const f of await repo.pastDue(db, before, limit)) {
        const done = await db.transaction().execute(async (trx) => {
          // A follow-up recorded at this very moment wins; nothing to flag then.
          if (
            !(await repo.setFollowUp(trx, f.id, 'due', {
              status: 'missed',
              detail_enc: null,
              recorded_by_user_id: null,
              recorded_at: at,
            }))
          )
            return false;
          await bumpCountersMany(
            trx,
            [{ nodePath: f.node_path, deltas: { [OBSERVATION_METRICS.missed]: 1 } }],
            f.command_id,
          );
          const carers = (await repo.carersOf(trx, [f.order_id])).map((c) => c.user_id);
          await notify(
            trx,
            [...new Set([...(await alertees(trx, { id: f.order_id, node_path: f.node_path })), ...carers])],
            {
              at,
              kind: 'observation.missed',
              message: msg('notification.observation.missed', {
                name: f.name,
                node: f.node_name,
                date: f.date,
              }),
              entityType: 'observation',
              entityId: f.order_id,
            },
          );
          await recordChange(
            trx,
            ctx,
            { id: f.order_id, node_path: f.node_path },
            { action: 'observation.missed', detail: { date: f.date } },
          );
          return true;
        });
        if (done) flagged++;
      }
      if (flagged > 0) poke();
      return { flagged };
    },
  };
}

export type ObservationService = ReturnType<typeof createObservationService>;
