// Passage registration at checkpoints (卡口登记), built for one hand at a roadside and a bad
// connection: one transaction of few statements per registration, answered once per Idempotency-Key;
// the people aboard protected as the registry's people are (ID number and phone encrypted, blind-
// indexed, masked) and linked to the registry's person by the blind index, never creating one; risk
// judged by risk.ts against the command's rules; a risky traveller bound for a place in the district
// handed to the grid there (due in the rules' hours, notified, escalated once by the sweep when
// overdue). Lists, statistics and the export are the checkpoint's chain of command's, by scope in SQL.
import crypto from 'node:crypto';
import type {
  CreatePassageBody,
  HandoffView,
  PassagePersonView,
  PassageView,
  RegionView,
  RiskReason,
  RiskRules,
} from '../../../common/contracts/passages.js';
import {
  DEFAULT_LANG,
  msg,
  renderMessage,
  textsOf,
  type MessageCode,
} from '../../../common/messages/index.js';
import { parentPath } from '../../../common/tree.js';
import { maskIdNumber, maskPhone, parsePlate } from '../../../common/validators.js';
import { createBatchWriter } from '../../db/group-commit.js';
import type { DB, Executor } from '../../db/index.js';
import { isUniqueViolation, nowIso } from '../../db/index.js';
import { actorOf, can, isWithin, scopesFor, type Actor, type RequestContext } from '../../platform/actor.js';
import { recordAudit, recordAuditMany } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound, type ProblemIssue } from '../../platform/errors.js';
import { bumpCounters, bumpCountersMany } from '../../platform/live.js';
import type { PiiCipher } from '../../platform/pii.js';
import { writeWorkbook } from '../../platform/tabular.js';
import { listNode } from '../nodes/index.js';
import { notify, usersAssignedAt } from '../notifications/index.js';
import * as repo from './passages.repository.js';
import { findRegion, searchRegions } from './regions.js';
import { DEFAULT_RISK_RULES, assessTraveller } from './risk.js';

/** The cockpit's counters (live_counters metrics), per the checkpoint's (or the hand-off's) node path. */
export const PASSAGE_METRICS = {
  /** Passages registered at checkpoints at or below the node. */
  passages: 'defence.passages',
  /** Of those, passages with at least one risky traveller. */
  risky: 'defence.passages.risky',
  /** Hand-offs waiting for a visit at or below the node (the destination's path). */
  handoffsOpen: 'defence.handoffs.open',
  /** Of those, the ones past due (escalated by the sweep). */
  handoffsOverdue: 'defence.handoffs.overdue',
} as const;

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
/** An entry kept on the phone while offline may be sent up to a day later. */
const OFFLINE_MAX_MS = MS_PER_DAY;
const STATS_MAX_DAYS = 92;
const TASKS_LIMIT = 200;
const EXPORT_LIMIT = 50_000;
/** Asia/Shanghai, fixed (as common/worktime.ts): daily statistics are local days. */
const LOCAL_OFFSET_MS = 8 * MS_PER_HOUR;

const STATUS_TEXT = {
  suspended: { 'zh-CN': '暂停', en: 'suspended' },
  closed: { 'zh-CN': '关闭', en: 'closed' },
} as const;

/** A canonical JSON (keys sorted) of the body: the same registration hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
const hashBody = (b: unknown) => crypto.createHash('sha256').update(canonical(b)).digest('base64url');

const rulesOf = (r: Awaited<ReturnType<typeof repo.findRiskRules>>): RiskRules =>
  r
    ? {
        keyRegions: JSON.parse(r.key_regions) as string[],
        keyRegion14dRisky: r.key_region_14d_risky === 1,
        caseContactRisky: r.case_contact_risky === 1,
        feverAt: r.fever_at,
        handoffHours: r.handoff_hours,
        retentionDays: r.retention_days,
      }
    : DEFAULT_RISK_RULES;

export interface RegisterResult {
  passage: PassageView;
  /** True when this answers an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

export function createPassagesService(deps: { db: DB; pii: PiiCipher; now?: () => string }) {
  const { db, pii } = deps;
  const now = deps.now ?? nowIso;
  let districtCode: string | undefined;
  const district = async () => (districtCode ??= (await repo.rootCode(db)) ?? '000000');

  // ---------------------------------------------------------------- recall tokens
  // `<passage_people.id>.<MAC>`, the MAC keyed by the personal-data key and bound to the user: it
  // names a stored traveller without carrying their number, and is worth nothing to anyone else.
  const mac = (ppId: number, userId: number) => pii.blindIndex('id', `recall|${ppId}|${userId}`).slice(0, 22);
  const recallToken = (ppId: number, userId: number) => `${ppId}.${mac(ppId, userId)}`;
  function readRecallToken(token: string, userId: number): number | null {
    const m = /^(\d{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token);
    if (!m) return null;
    const id = Number(m[1]);
    const want = Buffer.from(mac(id, userId));
    const got = Buffer.from(m[2]!);
    return want.length === got.length && crypto.timingSafeEqual(want, got) ? id : null;
  }

  // ---------------------------------------------------------------- views
  const region = (code: string | null, dc: string): RegionView | null =>
    code === null
      ? null
      : (findRegion(code, dc) ?? { code, name: code, parents: [], scope: 'outside' as const });
  const personOut = (p: repo.PassagePersonRow): PassagePersonView => ({
    id: p.id,
    name: p.name,
    idNumber: p.id_number_masked,
    phone: p.phone_masked,
    noIdReason: p.no_id_reason as PassagePersonView['noIdReason'],
    personId: p.person_id,
    risky: p.risky === 1,
    reasons: p.reasons ? (JSON.parse(p.reasons) as RiskReason[]) : [],
    temperature: p.temperature,
    handoffId: p.handoff_id,
  });
  async function views(x: Executor, rows: readonly repo.PassageRow[]): Promise<PassageView[]> {
    const dc = await district();
    const people = await repo.peopleOf(
      x,
      rows.map((r) => r.id),
    );
    const by = new Map<number, PassagePersonView[]>();
    for (const p of people)
      (by.get(p.passage_id) ?? by.set(p.passage_id, []).get(p.passage_id)!).push(personOut(p));
    return rows.map((r) => ({
      id: r.id,
      checkpoint: { id: r.checkpoint_id, name: r.checkpoint_name },
      direction: r.direction,
      plate: r.plate,
      vehicleType: r.vehicle_type as PassageView['vehicleType'],
      registeredAt: r.registered_at,
      registeredBy: { id: r.registered_by_user_id, name: r.registered_by_name },
      originRegion: region(r.origin_region, dc),
      destinationNode:
        r.destination_node_id === null
          ? null
          : { id: r.destination_node_id, name: r.destination_node_name ?? '' },
      destinationRegion: region(r.destination_region, dc),
      purpose: r.purpose,
      risky: r.risky === 1,
      people: by.get(r.id) ?? [],
      commandId: r.command_id,
    }));
  }
  async function passageView(x: Executor, id: number) {
    const r = await repo.findPassage(x, id);
    if (!r) throw notFound('passage');
    return (await views(x, [r]))[0]!;
  }

  async function handoffViews(
    actor: Actor,
    rows: readonly repo.HandoffRow[],
    at: string,
  ): Promise<HandoffView[]> {
    const people = await repo.peopleOf(db, [...new Set(rows.map((r) => r.passage_id))]);
    const byId = new Map(people.map((p) => [p.id, personOut(p)]));
    // Where the travellers linked to the registry live: home observation is ordered there.
    const linked = [...byId.values()].flatMap((p) => (p.personId === null ? [] : [p.personId]));
    const homes = new Map((await repo.registryPaths(db, linked)).map((p) => [p.id, p.node_path]));
    return rows.map((h) => {
      const mayHandle = can(actor, 'handoffs.handle', h.node_path);
      const person = byId.get(h.passage_person_id)!;
      const home = person.personId === null ? undefined : homes.get(person.personId);
      return {
        id: h.id,
        state: h.state,
        passageId: h.passage_id,
        person,
        checkpoint: { id: h.checkpoint_id, name: h.checkpoint_name },
        node: { id: h.node_id, name: h.node_name },
        dueAt: h.due_at,
        overdue: h.overdue === 1 || (h.state === 'open' && h.due_at < at),
        escalated: h.escalated_at !== null,
        createdAt: h.created_at,
        abilities: {
          visit: mayHandle && h.state === 'open',
          close: mayHandle && h.state !== 'closed',
          observe: home !== undefined && can(actor, 'observations.manage', home),
        },
      };
    });
  }

  const invalid = (issues: ProblemIssue[]) => badRequest('passage.invalid', {}, issues);

  // ---------------------------------------------------------------- registration's writes
  // Registrations arrive in bursts (a queue of cars at a shift's start, the phones sending what they
  // kept offline): they share commits (group commit, ADR 0003), a batch written a table at a time
  // (ADR 0005, ADR 0016). A batch in which something is refused (a closed checkpoint, a key another
  // writer claimed) is written again one registration at a time, each in its own savepoint.
  interface ProtectedPerson {
    name: string;
    id_number_enc: string | null;
    id_number_bidx: string | null;
    id_number_masked: string | null;
    phone_enc: string | null;
    phone_bidx: string | null;
    phone_masked: string | null;
    no_id_reason: PassagePersonView['noIdReason'];
    answers: CreatePassageBody['people'][number]['answers'];
  }
  interface RegistrationPlan {
    ctx: RequestContext;
    actor: Actor;
    key: string;
    bodyHash: string;
    b: CreatePassageBody;
    at: string;
    registeredAt: string;
    people: ProtectedPerson[];
  }
  /** The new passage, or the one an earlier copy with the same key registered (answered after the commit). */
  type Written = { made: PassageView } | { seen: { passageId: number; bodyHash: string } };

  async function writeRegistrations(trx: Executor, plans: readonly RegistrationPlan[]): Promise<Written[]> {
    const dc = await district();
    const keyOf = (p: RegistrationPlan) => `${p.actor.userId} ${p.key}`;
    // Keys claimed before this batch, and copies within it: the first copy registers, the others answer it.
    const claimed = new Map<string, { passageId: number; bodyHash: string } | number>();
    for (const r of await repo.findIdempotencyMany(
      trx,
      plans.map((p) => ({ userId: p.actor.userId, key: p.key })),
    ))
      claimed.set(`${r.user_id} ${r.key}`, { passageId: r.passage_id, bodyHash: r.body_hash });
    const fresh: number[] = [];
    const copyOf = new Map<number, number | { passageId: number; bodyHash: string }>();
    plans.forEach((p, i) => {
      const c = claimed.get(keyOf(p));
      if (c === undefined) {
        claimed.set(keyOf(p), i);
        fresh.push(i);
      } else copyOf.set(i, c);
    });

    const checkpoints = new Map(
      (await repo.checkpointsForPassages(trx, [...new Set(fresh.map((i) => plans[i]!.b.checkpointId))])).map(
        (c) => [c.id, c],
      ),
    );
    const nodes = new Map(
      (
        await repo.nodeBriefs(trx, [
          ...new Set(
            fresh.flatMap((i) => (plans[i]!.b.destinationNodeId ? [plans[i]!.b.destinationNodeId] : [])),
          ),
        ])
      ).map((n) => [n.id, n]),
    );
    const commands = [
      ...new Set([...checkpoints.values()].flatMap((c) => (c.command_id === null ? [] : [c.command_id]))),
    ];
    const rulesBy = new Map((await repo.riskRulesOf(trx, commands)).map((r) => [r.command_id, rulesOf(r)]));
    const linked = new Map<string, number>();
    for (const p of await repo.personsByIdBidx(trx, [
      ...new Set(
        fresh.flatMap((i) => plans[i]!.people.flatMap((p) => (p.id_number_bidx ? [p.id_number_bidx] : []))),
      ),
    ]))
      if (p.id_number_bidx) linked.set(p.id_number_bidx, p.merged_into_id ?? p.id);

    // Each registration checked as it was alone: any refusal undoes the batch, which is then written
    // one by one, so that the refused one is answered with its error and the others still commit.
    const work = fresh.map((i) => {
      const { actor, b, people } = plans[i]!;
      const c = checkpoints.get(b.checkpointId);
      if (!c) throw notFound('checkpoint');
      if (!can(actor, 'passages.register', c.node_path)) throw forbidden();
      if (c.status !== 'open')
        throw conflict('passage.checkpoint_not_open', { status: STATUS_TEXT[c.status] });
      const dest = b.destinationNodeId ? nodes.get(b.destinationNodeId) : undefined;
      if (b.destinationNodeId && (!dest || dest.retired_at))
        throw invalid([
          {
            path: 'body.destinationNodeId',
            message: msg('passage.unknown_destination'),
            code: 'passage.unknown_destination',
          },
        ]);
      const rules =
        c.command_id === null ? DEFAULT_RISK_RULES : (rulesBy.get(c.command_id) ?? DEFAULT_RISK_RULES);
      const verdicts = people.map((p) =>
        assessTraveller(rules, { answers: p.answers }, { answers: b.answers, originRegion: b.originRegion }),
      );
      return { i, c, dest, rules, verdicts, risky: verdicts.some((v) => v.risky) };
    });
    // A risky traveller bound for a microgrid goes to its grid (a place above the grids keeps it).
    const parents = new Map(
      (
        await repo.nodeBriefs(trx, [
          ...new Set(
            work.flatMap((w) =>
              w.dest && w.risky && w.dest.level === 'microgrid' && w.dest.parent_id !== null
                ? [w.dest.parent_id]
                : [],
            ),
          ),
        ])
      ).map((n) => [n.id, n]),
    );

    const passageIds = await repo.insertPassages(
      trx,
      work.map(({ i, c, risky }) => {
        const { actor, b, at, registeredAt, people } = plans[i]!;
        return {
          checkpoint_id: c.id,
          node_path: c.node_path,
          command_id: c.command_id,
          direction: b.direction,
          plate: b.plate ?? null,
          vehicle_type: b.vehicleType ?? null,
          origin_region: b.originRegion ?? null,
          destination_node_id: b.destinationNodeId ?? null,
          destination_region: b.destinationRegion ?? null,
          purpose: b.purpose ?? null,
          answers: b.answers ? JSON.stringify(b.answers) : null,
          risky: risky ? 1 : 0,
          people_count: people.length,
          registered_at: registeredAt,
          registered_by_user_id: actor.userId,
          created_at: at,
        };
      }),
    );
    // The keys are claimed in the same transaction: a copy arriving at the same moment through another
    // writer meets the primary key (PostgreSQL waits for this commit first) and answers this passage.
    await repo.insertIdempotencyMany(
      trx,
      work.map(({ i }, w) => ({
        user_id: plans[i]!.actor.userId,
        key: plans[i]!.key,
        body_hash: plans[i]!.bodyHash,
        passage_id: passageIds[w]!,
        created_at: plans[i]!.at,
      })),
    );
    const personId = (p: ProtectedPerson) =>
      p.id_number_bidx ? (linked.get(p.id_number_bidx) ?? null) : null;
    const allPpIds = await repo.insertPeople(
      trx,
      work.flatMap(({ i, verdicts }, w) =>
        plans[i]!.people.map((p, k) => ({
          passage_id: passageIds[w]!,
          name: p.name,
          id_number_enc: p.id_number_enc,
          id_number_bidx: p.id_number_bidx,
          id_number_masked: p.id_number_masked,
          phone_enc: p.phone_enc,
          phone_bidx: p.phone_bidx,
          phone_masked: p.phone_masked,
          no_id_reason: p.no_id_reason,
          person_id: personId(p),
          answers: Object.keys(verdicts[k]!.answers).length > 0 ? JSON.stringify(verdicts[k]!.answers) : null,
          temperature: verdicts[k]!.answers.temperature ?? null,
          risky: verdicts[k]!.risky ? 1 : 0,
          reasons: verdicts[k]!.reasons.length > 0 ? JSON.stringify(verdicts[k]!.reasons) : null,
        })),
      ),
    );
    let next = 0;
    const ppIds = work.map(({ i }) => {
      const ids = allPpIds.slice(next, next + plans[i]!.people.length);
      next += ids.length;
      return ids;
    });
    await repo.bumpHourlyMany(
      trx,
      work.map(({ i, c, risky }) => ({
        checkpoint_id: c.id,
        node_path: c.node_path,
        hour: plans[i]!.registeredAt.slice(0, 13),
        in: plans[i]!.b.direction === 'in' ? 1 : 0,
        out: plans[i]!.b.direction === 'out' ? 1 : 0,
        risky: risky ? 1 : 0,
      })),
    );

    // Hand-offs: risky travellers bound for a place in the district, to its grid's worker.
    const handoffOf = work.map(() => new Map<number, number>());
    const handing = work.flatMap((w, wi) => {
      const riskyAt = w.verdicts.flatMap((v, k) => (v.risky ? [k] : []));
      if (!w.dest || riskyAt.length === 0) return [];
      const target =
        w.dest.level === 'microgrid' && w.dest.parent_id !== null
          ? (parents.get(w.dest.parent_id) ?? w.dest)
          : w.dest;
      const dueAt = new Date(Date.parse(plans[w.i]!.at) + w.rules.handoffHours * MS_PER_HOUR).toISOString();
      return riskyAt.map((k) => ({ wi, k, target, dueAt }));
    });
    const handoffIds = await repo.insertHandoffs(
      trx,
      handing.map(({ wi, k, target, dueAt }) => {
        const at = plans[work[wi]!.i]!.at;
        return {
          passage_id: passageIds[wi]!,
          passage_person_id: ppIds[wi]![k]!,
          checkpoint_id: work[wi]!.c.id,
          command_id: work[wi]!.c.command_id,
          node_id: target.id,
          node_path: target.path,
          state: 'open' as const,
          due_at: dueAt,
          overdue: 0,
          escalated_at: null,
          created_at: at,
          updated_at: at,
        };
      }),
    );
    handing.forEach(({ wi, k }, j) => handoffOf[wi]!.set(k, handoffIds[j]!));
    await repo.addHistory(
      trx,
      handing.map(({ wi }, j) => ({
        handoff_id: handoffIds[j]!,
        at: plans[work[wi]!.i]!.at,
        action: 'create' as const,
        actor_user_id: plans[work[wi]!.i]!.actor.userId,
        note: null,
      })),
    );
    // The cockpit's counters, per command (counters are kept for all commands and for each one).
    const byCommand = new Map<number | null, { nodePath: string; deltas: Record<string, number> }[]>();
    const count = (command: number | null, nodePath: string, deltas: Record<string, number>) =>
      (byCommand.get(command) ?? byCommand.set(command, []).get(command)!).push({ nodePath, deltas });
    for (const w of work)
      count(w.c.command_id, w.c.node_path, {
        [PASSAGE_METRICS.passages]: 1,
        [PASSAGE_METRICS.risky]: w.risky ? 1 : 0,
      });
    for (const h of handing)
      count(work[h.wi]!.c.command_id, h.target.path, { [PASSAGE_METRICS.handoffsOpen]: 1 });
    for (const [command, changes] of byCommand) await bumpCountersMany(trx, changes, command);
    const workersAt = new Map<string, Awaited<ReturnType<typeof usersAssignedAt>>>();
    for (const [j, { wi, k, target, dueAt }] of handing.entries()) {
      const workers =
        workersAt.get(target.path) ??
        workersAt
          .set(target.path, await usersAssignedAt(trx, [target.path], 'handoffs.handle'))
          .get(target.path)!;
      await notify(trx, workers, {
        at: plans[work[wi]!.i]!.at,
        kind: 'handoff.created',
        message: msg('notification.handoff.created', {
          checkpoint: work[wi]!.c.name,
          name: plans[work[wi]!.i]!.people[k]!.name,
          node: target.name,
          due: dueAt,
        }),
        entityType: 'handoff',
        entityId: handoffIds[j]!,
      });
    }
    // The audit keeps no name or number: the passage's id and what decided its handling. One read
    // of the chain's end for the whole batch.
    await recordAuditMany(
      trx,
      work.map(({ i, c }, w) => ({
        ctx: plans[i]!.ctx,
        input: {
          action: 'passage.register',
          entityType: 'passage',
          entityId: passageIds[w]!,
          nodePath: c.node_path,
          detail: {
            checkpointId: c.id,
            people: plans[i]!.people.length,
            risky: work[w]!.verdicts.filter((v) => v.risky).length,
            key: plans[i]!.key,
          },
        },
      })),
    );

    // The answers from what this transaction wrote: no second read on the registration's path.
    const out: Written[] = [];
    const made = new Map<number, PassageView>();
    work.forEach(({ i, c, dest, verdicts, risky }, w) => {
      const { actor, b, registeredAt, people } = plans[i]!;
      made.set(i, {
        id: passageIds[w]!,
        checkpoint: { id: c.id, name: c.name },
        direction: b.direction,
        plate: b.plate ?? null,
        vehicleType: b.vehicleType ?? null,
        registeredAt,
        registeredBy: { id: actor.userId, name: actor.displayName },
        originRegion: region(b.originRegion ?? null, dc),
        destinationNode: dest ? { id: dest.id, name: dest.name } : null,
        destinationRegion: region(b.destinationRegion ?? null, dc),
        purpose: b.purpose ?? null,
        risky,
        people: people.map((p, k) => ({
          id: ppIds[w]![k]!,
          name: p.name,
          idNumber: p.id_number_masked,
          phone: p.phone_masked,
          noIdReason: p.no_id_reason,
          personId: personId(p),
          risky: verdicts[k]!.risky,
          reasons: verdicts[k]!.reasons,
          temperature: verdicts[k]!.answers.temperature ?? null,
          handoffId: handoffOf[w]!.get(k) ?? null,
        })),
        commandId: c.command_id,
      });
    });
    plans.forEach((p, i) => {
      const m = made.get(i);
      if (m) return out.push({ made: m });
      const c = copyOf.get(i)!;
      out.push({
        seen: typeof c === 'number' ? { passageId: made.get(c)!.id, bodyHash: plans[c]!.bodyHash } : c,
      });
    });
    return out;
  }
  const registrations = createBatchWriter<RegistrationPlan, Written>(db, {
    writeOne: (trx, plan) => writeRegistrations(trx, [plan]).then(([w]) => w!),
    writeMany: writeRegistrations,
  });

  // ---------------------------------------------------------------- registration
  /** A registration's checks and its people's protected columns, before the transaction (encryption is the slow part). */
  async function prepare(actor: Actor, b: CreatePassageBody) {
    const at = now();
    const registeredAt = b.registeredAt ?? at;
    const lag = Date.parse(at) - Date.parse(registeredAt);
    if (lag < -60_000 || lag > OFFLINE_MAX_MS)
      throw invalid([
        { path: 'body.registeredAt', message: msg('passage.registered_at'), code: 'passage.registered_at' },
      ]);
    const issues: ProblemIssue[] = [];
    const dc = await district();
    for (const [field, code] of [
      ['originRegion', b.originRegion],
      ['destinationRegion', b.destinationRegion],
    ] as const)
      if (code && !findRegion(code, dc))
        issues.push({
          path: `body.${field}`,
          message: msg('passage.unknown_region'),
          code: 'passage.unknown_region',
        });
    // Recall tokens name travellers registered before: checked here, their numbers copied as stored.
    const recalled = new Map<number, Awaited<ReturnType<typeof repo.protectedOf>>[number]>();
    const tokenIds = b.people.map((p, i) => {
      if (p.recallToken === undefined) return null;
      const id = readRecallToken(p.recallToken, actor.userId);
      if (id === null)
        issues.push({
          path: `body.people.${i}.recallToken`,
          message: msg('passage.recall_token'),
          code: 'passage.recall_token',
        });
      return id;
    });
    for (const r of await repo.protectedOf(
      db,
      tokenIds.filter((x): x is number => x !== null),
    ))
      recalled.set(r.id, r);
    tokenIds.forEach((id, i) => {
      if (id !== null && !recalled.has(id))
        issues.push({
          path: `body.people.${i}.recallToken`,
          message: msg('passage.recall_token'),
          code: 'passage.recall_token',
        });
    });
    if (issues.length > 0) throw invalid(issues);

    // The people's protected columns, computed before the transaction (encryption is the slow part).
    const people = b.people.map((p, i) => {
      const r = tokenIds[i] !== null ? recalled.get(tokenIds[i]!) : undefined;
      const idNumber = p.idNumber ?? null;
      const phone = p.phone ?? null;
      return {
        name: p.name,
        id_number_enc: idNumber ? pii.encrypt(idNumber) : (r?.id_number_enc ?? null),
        id_number_bidx: idNumber ? pii.blindIndex('id', idNumber) : (r?.id_number_bidx ?? null),
        id_number_masked: idNumber ? maskIdNumber(idNumber) : (r?.id_number_masked ?? null),
        phone_enc: phone ? pii.encrypt(phone) : (r?.phone_enc ?? null),
        phone_bidx: phone ? pii.blindIndex('phone', phone) : (r?.phone_bidx ?? null),
        phone_masked: phone ? maskPhone(phone) : (r?.phone_masked ?? null),
        no_id_reason: idNumber || r?.id_number_enc ? null : (p.noIdReason ?? 'not_collected'),
        answers: p.answers,
      };
    });
    return { at, registeredAt, people };
  }

  async function register(ctx: RequestContext, key: string, b: CreatePassageBody): Promise<RegisterResult> {
    const actor = actorOf(ctx);
    const bodyHash = hashBody(b);
    const replay = async (): Promise<RegisterResult | null> => {
      const seen = await repo.findIdempotency(db, actor.userId, key);
      if (!seen) return null;
      if (seen.body_hash !== bodyHash) throw conflict('passage.idempotency_conflict');
      return { passage: await passageView(db, seen.passage_id), replayed: true };
    };
    // A retry is found in the writer's transaction (the key claimed earlier, or by a copy in the same
    // batch), so a registration reads nothing before it. A retry that would no longer pass the checks
    // here (sent a day late, a recall token of a purged passage) still answers its stored passage.
    let prepared: Awaited<ReturnType<typeof prepare>>;
    try {
      prepared = await prepare(actor, b);
    } catch (e) {
      const seen = await replay();
      if (seen) return seen;
      throw e;
    }
    const { at, registeredAt, people } = prepared;
    try {
      const written = await registrations.write({ ctx, actor, key, bodyHash, b, at, registeredAt, people });
      if ('made' in written) return { passage: written.made, replayed: false };
      // A retry, or a copy earlier in the same batch: answered with the passage registered first.
      if (written.seen.bodyHash !== bodyHash) throw conflict('passage.idempotency_conflict');
      return { passage: await passageView(db, written.seen.passageId), replayed: true };
    } catch (e) {
      // The same key at the same moment: the other copy committed first; answer its passage.
      if (isUniqueViolation(e)) {
        const again = await replay();
        if (again) return again;
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- reading
  async function filterOf(actor: Actor, q: ListQuery): Promise<repo.PassageFilter> {
    const scopes = scopesFor(actor, 'passages.read');
    const f: repo.PassageFilter = { scopes };
    if (q.node !== undefined) f.under = (await listNode(db, scopes, q.node)).path;
    if (q.checkpointId !== undefined) {
      const c = await repo.findCheckpointForPassage(db, q.checkpointId);
      if (!c) throw notFound('checkpoint');
      if (!can(actor, 'passages.read', c.node_path)) throw forbidden();
      f.checkpointId = c.id;
    }
    if (q.plate !== undefined && q.plate !== '') {
      const p = parsePlate(q.plate);
      f.plate = p.ok ? p.value.value : q.plate.toUpperCase().replace(/[\s·•]/g, '');
    }
    if (q.idNumber !== undefined) f.idBidx = pii.blindIndex('id', q.idNumber);
    if (q.name !== undefined && q.name !== '') f.namePrefix = q.name;
    if (q.direction !== undefined) f.direction = q.direction;
    if (q.risky !== undefined) f.risky = q.risky === 'true';
    if (q.from !== undefined) f.from = q.from;
    if (q.to !== undefined) f.to = q.to;
    return f;
  }

  return {
    register,

    async get(ctx: RequestContext, id: number): Promise<PassageView> {
      const actor = actorOf(ctx);
      const r = await repo.findPassage(db, id);
      if (!r) throw notFound('passage');
      if (!can(actor, 'passages.read', r.node_path) && !can(actor, 'passages.register', r.node_path))
        throw forbidden();
      return (await views(db, [r]))[0]!;
    },

    /** The chain of command's passages, masked, newest first. */
    async list(ctx: RequestContext, q: ListQuery & { page: number; pageSize: number }) {
      const actor = actorOf(ctx);
      const f = await filterOf(actor, q);
      const { total, rows } = await repo.listPassages(db, f, q.pageSize, (q.page - 1) * q.pageSize);
      return { items: await views(db, rows), total, page: q.page, pageSize: q.pageSize };
    },

    /** What a plate or an ID number seen before at the caller's checkpoints fills in. */
    async recall(ctx: RequestContext, q: { plate?: string | undefined; idNumber?: string | undefined }) {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'passages.register');
      const empty = { vehicleType: null, people: [], originRegion: null, destinationNode: null };
      let passage: repo.PassageRow | undefined;
      let only: number | undefined;
      if (q.idNumber) {
        const hit = await repo.latestByIdBidx(db, scopes, pii.blindIndex('id', q.idNumber));
        if (hit) {
          passage = await repo.findPassage(db, hit.passage_id);
          only = hit.id;
        }
      } else if (q.plate) {
        const p = parsePlate(q.plate);
        if (!p.ok) return empty;
        passage = await repo.latestByPlate(db, scopes, p.value.value);
      }
      if (!passage) return empty;
      const [v] = await views(db, [passage]);
      const people = (await repo.peopleOf(db, [passage.id])).filter(
        (p) => only === undefined || p.id === only,
      );
      return {
        vehicleType: only === undefined ? v!.vehicleType : null,
        people: people.map((p) => ({
          name: p.name,
          idNumber: p.id_number_masked,
          phone: p.phone_masked,
          recallToken: recallToken(p.id, actor.userId),
        })),
        originRegion: v!.originRegion,
        destinationNode: v!.destinationNode,
      };
    },

    async regions(q: { q: string; limit: number }) {
      return { items: searchRegions(q.q, await district(), q.limit) };
    },

    /** Passages per hour or per local day, in and out and risky, from the hourly counts. */
    async stats(
      ctx: RequestContext,
      q: { checkpointId?: number; node?: number; from: string; to: string; bucket: 'hour' | 'day' },
    ) {
      const actor = actorOf(ctx);
      const fromMs = Date.parse(q.from);
      const toMs = Date.parse(q.to);
      if (!(toMs > fromMs) || toMs - fromMs > STATS_MAX_DAYS * MS_PER_DAY)
        throw badRequest('passage.range', { max: STATS_MAX_DAYS });
      const f = await filterOf(actor, {
        ...(q.checkpointId !== undefined ? { checkpointId: q.checkpointId } : {}),
        ...(q.node !== undefined ? { node: q.node } : {}),
      });
      const rows = await repo.hourly(db, f.scopes, {
        ...(f.checkpointId !== undefined ? { checkpointId: f.checkpointId } : {}),
        ...(f.under !== undefined ? { under: f.under } : {}),
        from: q.from.slice(0, 13),
        to: q.to.slice(0, 13),
      });
      const buckets = new Map<string, { at: string; in: number; out: number; risky: number }>();
      let total = 0;
      let risky = 0;
      for (const r of rows) {
        const hourMs = Date.parse(`${r.hour}:00:00.000Z`);
        const at =
          q.bucket === 'hour'
            ? new Date(hourMs).toISOString()
            : // The local day's start, in UTC (00:00 at UTC+8 is 16:00 the day before).
              new Date(
                Math.floor((hourMs + LOCAL_OFFSET_MS) / MS_PER_DAY) * MS_PER_DAY - LOCAL_OFFSET_MS,
              ).toISOString();
        const b = buckets.get(at) ?? buckets.set(at, { at, in: 0, out: 0, risky: 0 }).get(at)!;
        b.in += Number(r.in_count);
        b.out += Number(r.out_count);
        b.risky += Number(r.risky_count);
        total += Number(r.in_count) + Number(r.out_count);
        risky += Number(r.risky_count);
      }
      return { buckets: [...buckets.values()], total, risky };
    },

    /** Risky travellers of a command bound outside the district, per region (the border notice). */
    async outboundRisk(ctx: RequestContext, q: { command: number; page: number; pageSize: number }) {
      const actor = actorOf(ctx);
      const command = await repo.findCommandBrief(db, q.command);
      if (!command) throw notFound('command');
      const scopes = scopesFor(actor, 'passages.read');
      const dc = await district();
      const { total, rows } = await repo.outboundRisk(
        db,
        scopes,
        q.command,
        q.pageSize,
        (q.page - 1) * q.pageSize,
      );
      return {
        items: rows.map((r) => ({
          region: region(r.destination_region, dc)!,
          travellers: Number(r.travellers),
          passages: Number(r.passages),
          lastAt: String(r.last_at),
        })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    /** The list as XLSX, one row per traveller, always masked; audited. */
    async export(ctx: RequestContext, q: ListQuery): Promise<Buffer> {
      const actor = actorOf(ctx);
      const f = await filterOf(actor, q);
      const { rows } = await repo.listPassages(db, f, EXPORT_LIMIT, 0);
      const list = await views(db, rows);
      const lang = ctx.lang ?? DEFAULT_LANG;
      const t = (code: MessageCode) => renderMessage(code, undefined, lang);
      const place = (r: RegionView | null) => (r ? [...r.parents, r.name].join('') : null);
      const buf = await writeWorkbook(
        t('export.sheet.passages'),
        (
          [
            'export.passage.registered_at',
            'export.passage.checkpoint',
            'export.passage.direction',
            'export.passage.plate',
            'export.passage.name',
            'export.passage.id_number',
            'export.passage.phone',
            'export.passage.origin',
            'export.passage.destination',
            'export.passage.risky',
          ] as const
        ).map(t),
        list.flatMap((p) =>
          p.people.map((person) => [
            p.registeredAt,
            p.checkpoint.name,
            t(p.direction === 'in' ? 'export.passage.in' : 'export.passage.out'),
            p.plate,
            person.name,
            person.idNumber,
            person.phone,
            place(p.originRegion),
            p.destinationNode?.name ?? place(p.destinationRegion),
            person.reasons.map((r) => t(`passage.risk.${r}`)).join(lang === 'en' ? ', ' : '、') || null,
          ]),
        ),
      );
      await db.transaction().execute((trx) =>
        recordAudit(trx, ctx, {
          action: 'passage.export',
          entityType: 'passage',
          nodePath: f.under ?? null,
          detail: {
            rows: list.length,
            filters: {
              plate: q.plate ? '(set)' : undefined,
              idNumber: q.idNumber ? '(set)' : undefined,
              name: q.name ? '(set)' : undefined,
              checkpointId: q.checkpointId,
              from: q.from,
              to: q.to,
            },
          },
        }),
      );
      return buf;
    },

    // -------------------------------------------------------------- risk rules
    async getRiskRules(ctx: RequestContext, commandId: number) {
      const actor = actorOf(ctx);
      const c = await repo.findCommandBrief(db, commandId);
      if (!c) throw notFound('command');
      // The command's chain: those above it, at it, and the posts below it (whose staff ask its questions).
      const related = actor.assignments.some(
        (a) =>
          (a.permissions.has('checkpoints.read') || a.permissions.has('risk_rules.manage')) &&
          (isWithin(c.node_path, a.nodePath) || isWithin(a.nodePath, c.node_path)),
      );
      if (!related) throw forbidden();
      const r = await repo.findRiskRules(db, commandId);
      return { ...rulesOf(r), commandId, updatedAt: r?.updated_at ?? '' };
    },

    async setRiskRules(ctx: RequestContext, commandId: number, b: RiskRules) {
      const actor = actorOf(ctx);
      const at = now();
      // Read before the transaction: SQLite's one writer connection is the transaction's.
      const dc = await district();
      await db.transaction().execute(async (trx) => {
        const c = await repo.findCommandBrief(trx, commandId);
        if (!c) throw notFound('command');
        if (!can(actor, 'risk_rules.manage', c.node_path)) throw forbidden();
        if (c.closed_at !== null) throw conflict('command.closed');
        const bad = b.keyRegions.flatMap((code, i) =>
          findRegion(code, dc)
            ? []
            : [
                {
                  path: `body.keyRegions.${i}`,
                  message: msg('passage.unknown_region'),
                  code: 'passage.unknown_region',
                },
              ],
        );
        if (bad.length > 0) throw invalid(bad);
        const before = await repo.findRiskRules(trx, commandId);
        await repo.saveRiskRules(trx, {
          command_id: commandId,
          key_regions: JSON.stringify([...new Set(b.keyRegions)]),
          key_region_14d_risky: b.keyRegion14dRisky ? 1 : 0,
          case_contact_risky: b.caseContactRisky ? 1 : 0,
          fever_at: b.feverAt,
          handoff_hours: b.handoffHours,
          retention_days: b.retentionDays,
          updated_by_user_id: actor.userId,
          updated_at: at,
        });
        await recordAudit(trx, ctx, {
          action: 'risk_rules.update',
          entityType: 'incident_command',
          entityId: commandId,
          nodePath: c.node_path,
          before: before ? rulesOf(before) : null,
          after: b,
        });
      });
      return this.getRiskRules(ctx, commandId);
    },

    // -------------------------------------------------------------- hand-offs
    /** The caller's open hand-offs, overdue first, then by due time. */
    async tasks(ctx: RequestContext) {
      const actor = actorOf(ctx);
      const rows = await repo.openHandoffs(db, scopesFor(actor, 'handoffs.handle'), TASKS_LIMIT);
      return { items: await handoffViews(actor, rows, now()) };
    },

    /** Hand-offs in the caller's jurisdiction (the destination's path), newest first. */
    async listHandoffs(
      ctx: RequestContext,
      q: { node?: number; state?: 'open' | 'visited' | 'closed'; page: number; pageSize: number },
    ) {
      const actor = actorOf(ctx);
      const scopes = [
        ...new Set([...scopesFor(actor, 'handoffs.handle'), ...scopesFor(actor, 'passages.read')]),
      ];
      const under = q.node === undefined ? undefined : (await listNode(db, scopes, q.node)).path;
      const { total, rows } = await repo.listHandoffs(
        db,
        scopes,
        { ...(under !== undefined ? { under } : {}), ...(q.state !== undefined ? { state: q.state } : {}) },
        q.pageSize,
        (q.page - 1) * q.pageSize,
      );
      return { items: await handoffViews(actor, rows, now()), total, page: q.page, pageSize: q.pageSize };
    },

    /** The destination's worker visits (and screens) the traveller, or closes the hand-off. */
    async step(
      ctx: RequestContext,
      id: number,
      b: { action: 'visit' | 'close'; note?: string | null | undefined },
    ) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const h = await repo.findHandoff(trx, id);
        if (!h) throw notFound('handoff');
        if (!can(actor, 'handoffs.handle', h.node_path)) throw forbidden();
        const to = b.action === 'visit' ? 'visited' : 'closed';
        const allowed = b.action === 'visit' ? h.state === 'open' : h.state !== 'closed';
        const refuse = () =>
          conflict('handoff.transition', {
            state: textsOf(`handoff.state.${h.state}`),
            action: textsOf(`handoff.state.${to}`),
          });
        if (!allowed || !(await repo.setHandoffState(trx, id, h.state, { state: to, updated_at: at })))
          throw refuse();
        await repo.addHistory(trx, [
          { handoff_id: id, at, action: b.action, actor_user_id: actor.userId, note: b.note ?? null },
        ]);
        if (h.state === 'open')
          await bumpCounters(
            trx,
            h.node_path,
            {
              [PASSAGE_METRICS.handoffsOpen]: -1,
              [PASSAGE_METRICS.handoffsOverdue]: h.overdue === 1 ? -1 : 0,
            },
            h.command_id,
          );
        await recordAudit(trx, ctx, {
          action: `handoff.${b.action}`,
          entityType: 'handoff',
          entityId: id,
          nodePath: h.node_path,
          before: { state: h.state },
          after: { state: to },
          detail: { note: b.note ?? null },
        });
      });
      const h = (await repo.findHandoff(db, id))!;
      return (await handoffViews(actor, [h], now()))[0]!;
    },

    /**
     * The sweep: an open hand-off past due is flagged overdue once, the node above hears of it (its
     * holders of handoffs.handle: the village's cadres above a grid), with a history and audit row.
     */
    async sweep(ctx: RequestContext, limit = 2000) {
      const at = now();
      const due = await repo.pastDueHandoffs(db, at, limit);
      let escalated = 0;
      for (const h of due) {
        const done = await db.transaction().execute(async (trx) => {
          // A visit at this very moment wins; the next sweep looks again.
          if (!(await repo.markEscalated(trx, h.id, at))) return false;
          await repo.addHistory(trx, [
            { handoff_id: h.id, at, action: 'escalate', actor_user_id: null, note: null },
          ]);
          await bumpCounters(trx, h.node_path, { [PASSAGE_METRICS.handoffsOverdue]: 1 }, h.command_id);
          const up = parentPath(h.node_path);
          if (up) {
            const [person] = (await repo.peopleOf(trx, [h.passage_id])).filter(
              (p) => p.id === h.passage_person_id,
            );
            await notify(trx, await usersAssignedAt(trx, [up], 'handoffs.handle'), {
              at,
              kind: 'handoff.escalated',
              message: msg('notification.handoff.escalated', {
                node: h.node_name,
                name: person?.name ?? '',
                checkpoint: h.checkpoint_name,
              }),
              entityType: 'handoff',
              entityId: h.id,
            });
          }
          await recordAudit(trx, ctx, {
            action: 'handoff.escalate',
            entityType: 'handoff',
            entityId: h.id,
            nodePath: h.node_path,
            detail: { dueAt: h.due_at },
          });
          return true;
        });
        if (done) escalated++;
      }
      return { escalated };
    },

    /**
     * Retention: a closed command's passages (with their people, keys and hand-offs) are deleted
     * `retentionDays` after it closed (28 by default), one audit row per command. The hourly counts,
     * which hold no one's data, stay.
     */
    async purgeExpired(ctx: RequestContext) {
      const at = now();
      let deleted = 0;
      for (const c of await repo.commandsPastRetention(db)) {
        const days = c.retention_days ?? DEFAULT_RISK_RULES.retentionDays;
        if (Date.parse(c.closed_at!) + days * MS_PER_DAY > Date.parse(at)) continue;
        deleted += await db.transaction().execute(async (trx) => {
          const n = await repo.deletePassagesOfCommand(trx, c.id);
          await recordAudit(trx, ctx, {
            action: 'passage.purge',
            entityType: 'incident_command',
            entityId: c.id,
            nodePath: c.node_path,
            detail: { passages: n, closedAt: c.closed_at, retentionDays: days },
          });
          return n;
        });
      }
      return { deleted };
    },
  };
}

interface ListQuery {
  plate?: string | undefined;
  idNumber?: string | undefined;
  name?: string | undefined;
  checkpointId?: number | undefined;
  node?: number | undefined;
  direction?: 'in' | 'out' | undefined;
  risky?: 'true' | 'false' | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export type PassagesService = ReturnType<typeof createPassagesService>;
