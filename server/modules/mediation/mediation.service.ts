// Joint mediation (矛盾联调): disputes settled early and low. A case is received at a village or town
// committee (a party's application, the committee's own initiative, a referral from joint handling,
// the police or a court), every party is asked whether they are willing (Art. 17: one refusal ends
// it), a mediator is designated or chosen (Art. 19), sessions are held and minuted, and the outcome is
// an agreement, a failure with the other routes explained (Art. 26), or a withdrawal. The agreement
// holds the Art. 29 contents, is generated as a Chinese PDF whose content hash is printed on it, and
// takes effect when every party and the mediator have signed; the parties may apply jointly for
// judicial confirmation within 30 days (Art. 33), and the committee follows up on performance
// (Art. 31). Parties are not users: each reaches their own case through a link of their own, and
// signs through a one-time link after proving name and ID number. Figures are counted in
// live_counters in each change's transaction.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type {
  AgreementView,
  applicationBody,
  applyConfirmationBody,
  bookHearingBody,
  CaseSummary,
  CaseView,
  ConfirmationView,
  createCaseBody,
  createMediatorBody,
  createOrgBody,
  draftAgreementBody,
  EvidenceView,
  FollowUpView,
  HearingView,
  MediatorView,
  MessageView,
  OrgView,
  PartyView,
  PublicMediatorView,
  scheduleBody,
  SessionView,
  StatsFigures,
  StatsView,
} from '../../../common/contracts/mediation.js';
import {
  BACK_TO_JOINT_HANDLING,
  CONFIRMATION_ACCEPT_DAYS,
  CONFIRMATION_WINDOW_DAYS,
  DISPUTE_TYPES,
  FAMILY_TYPES,
  MEDIATION_LIMITS,
  type CaseAction,
  type CaseState,
  type DisputeType,
} from '../../../common/contracts/mediation-codes.js';
import {
  DEFAULT_LANG,
  msg,
  renderMessage,
  textsOf,
  type Lang,
  type Message,
  type MessageCode,
} from '../../../common/messages/index.js';
import { LIMITS } from '../../../common/limits.js';
import { ancestorPaths } from '../../../common/tree.js';
import { maskIdNumber, maskPhone } from '../../../common/validators.js';
import { addDays, localDate, localMidnight } from '../../../common/worktime.js';
import type { DB, Executor } from '../../db/index.js';
import { dialectOf } from '../../db/dialect.js';
import { isUniqueViolation, nowIso } from '../../db/index.js';
import {
  actorOf,
  can,
  holdsAnywhere,
  isWithin,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { sha256 } from '../../platform/crypto.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { bumpCounters, recordLive, type LivePoke } from '../../platform/live.js';
import type { PiiCipher } from '../../platform/pii.js';
import { writeWorkbook } from '../../platform/tabular.js';
import { cleanFileName, sniffFile } from '../../platform/uploads.js';
import { findNode, listNode } from '../nodes/index.js';
import { agreementContentHash, renderAgreementPdf, type AgreementDocument } from './agreement-pdf.js';
import * as repo from './mediation.repository.js';
import { decide, holdsSessions, isOpen } from './mediation.workflow.js';

/** The counters (live_counters metrics), per the case's place and every ancestor. */
export const MEDIATION_METRICS = {
  open: 'mediation.open',
  /** Concluded in a month (YYYY-MM, local): agreements, failures and withdrawals. */
  concluded: (month: string) => `mediation.concluded.${month}`,
  confirmationsPending: 'mediation.confirmations.pending',
} as const;

/** Follow-up visits are due this many days after an obligation's deadline. */
export const FOLLOW_UP_AFTER_DAYS = 3;

const langOf = (ctx: RequestContext): Lang => ctx.lang ?? DEFAULT_LANG;
const statusText = (s: string) => textsOf(`mediation.status.${s}` as MessageCode);
/** An instant as people in the district read it: 'YYYY-MM-DD HH:mm' in Asia/Shanghai (UTC+8, no DST). */
const localDateTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
/** Days (with the fraction) from one instant to another. */
const daysFrom = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const newToken = () => randomBytes(32).toString('base64url');
const yuan = (cents: number | string | null) => (cents === null ? null : Number(cents) / 100);
const cents = (y: number | null) => (y === null ? null : Math.round(y * 100));

type Stored = repo.CaseRow;
interface Minutes {
  attendees: string[];
  facts: string;
  positions: string;
  result: string;
}
interface AgreementContent {
  facts: string;
  disputedPoints: string;
  obligations: {
    partyId: number;
    what: string;
    amountYuan: number | null;
    manner: string;
    deadline: string;
  }[];
  otherTerms: string | null;
}

/**
 * Rebuilds the statistics' daily figures from the cases and confirmations (after a bulk load that
 * wrote cases directly, or to check the figures kept): in one transaction, nothing else changes.
 */
export async function rebuildMediationStats(db: DB): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const [cases, confirmations] = await repo.statsSources(trx);
    const changes: repo.StatChange[] = [];
    const outcome = { agreed: 'agreements', failed: 'failures', withdrawn: 'withdrawals' } as const;
    for (const c of cases) {
      changes.push({
        nodePath: c.node_path,
        disputeType: c.dispute_type,
        day: localDate(c.received_at),
        deltas: { received: 1 },
      });
      const o = outcome[c.status as keyof typeof outcome];
      if (o && c.concluded_at)
        changes.push({
          nodePath: c.node_path,
          disputeType: c.dispute_type,
          day: localDate(c.concluded_at),
          deltas: { [o]: 1, days_sum: daysFrom(c.received_at, c.concluded_at) },
        });
    }
    for (const k of confirmations)
      if (k.decided_at)
        changes.push({
          nodePath: k.node_path,
          disputeType: k.dispute_type,
          day: localDate(k.decided_at),
          deltas: { decided: 1, confirmed: k.status === 'confirmed' ? 1 : 0 },
        });
    await repo.clearStats(trx);
    await repo.bumpStats(trx, changes);
    return changes.length;
  });
}

/**
 * Joint handling's side of a case made from an event (问题联治 ↔ 矛盾联调): the events service, wired
 * by the app, called inside the case's own transaction. A dispute handed over is closed as with
 * mediation; a case referred back (or failed with the route back to joint handling) reopens it.
 */
export interface EventsLink {
  handOverToMediation(
    trx: Executor,
    ctx: RequestContext,
    eventId: number,
    link: { caseId: number; dossierNo: string },
  ): Promise<void>;
  returnFromMediation(
    trx: Executor,
    ctx: RequestContext,
    eventId: number,
    link: { caseId: number; dossierNo: string; outcome: 'referred' | 'failed'; note: string },
  ): Promise<void>;
}

export function createMediationService(deps: {
  db: DB;
  pii: PiiCipher;
  now?: () => string;
  /** The events service (the app wires it); the demo's and the benches' cases come from no event. */
  events?: EventsLink;
  /** This process's live bus: poked after a commit that recorded a live update. */
  live?: LivePoke;
}) {
  const { db, pii } = deps;
  /**
   * One write: its transaction, then this process's live bus poked after the commit, so the updates
   * it recorded (recordLive, inside it) reach the pages of the place now.
   */
  const write = async <T>(f: (trx: Executor) => Promise<T>): Promise<T> => {
    const r = await db.transaction().execute(f);
    deps.live?.poke();
    return r;
  };
  /** A live update about a case (or a point's hearing), for the pages of its place and every ancestor. */
  const live = (
    trx: Executor,
    kind: `mediation.${string}`,
    nodePath: string,
    payload: Record<string, unknown>,
  ) => recordLive(trx, { kind, paths: [nodePath], payload });
  const eventsLink = () => {
    if (!deps.events)
      throw new Error('a case made from an event needs the events link (createMediationService)');
    return deps.events;
  };
  const now = deps.now ?? nowIso;
  const isPg = () => dialectOf(db) === 'postgres';

  // ------------------------------------------------------------------ who may do what
  async function assignedUser(x: Executor, c: Stored): Promise<number | null> {
    if (c.mediator_id === null) return null;
    const [m] = await repo.mediatorsWhere(x, { ids: [c.mediator_id] });
    return m?.user_id ?? null;
  }
  /** The case's mediator, or whoever holds mediation.mediate over its place. */
  function mediates(actor: Actor, c: Stored, mediatorUser: number | null) {
    return mediatorUser === actor.userId || can(actor, 'mediation.mediate', c.node_path);
  }
  /** Reading a case: its place in the reader's scope, or its own mediator. */
  async function loadCase(ctx: RequestContext, id: number, x: Executor = db, justMoved = false) {
    const actor = actorOf(ctx);
    const c = await repo.findCase(x, id);
    if (!c) throw notFound('mediation_case');
    const mediatorUser = await assignedUser(x, c);
    // After handing a case up the ladder the caller may no longer read it; the answer to their own
    // step still shows it as it now stands (justMoved), once.
    if (!justMoved && !can(actor, 'mediation.read', c.node_path) && mediatorUser !== actor.userId)
      throw forbidden();
    return { c, actor, mediatorUser };
  }
  async function mediatedCase(ctx: RequestContext, id: number, x: Executor = db) {
    const r = await loadCase(ctx, id, x);
    if (!mediates(r.actor, r.c, r.mediatorUser)) throw forbidden();
    return r;
  }
  /**
   * Before a mediator is designated the committee that received the case asks the parties: whoever
   * designates there (mediation.assign, the village cadre) records consents and sends the parties'
   * links, as well as whoever mediates.
   */
  async function committeeCase(ctx: RequestContext, id: number, x: Executor = db) {
    const r = await loadCase(ctx, id, x);
    if (!mediates(r.actor, r.c, r.mediatorUser) && !can(r.actor, 'mediation.assign', r.c.node_path))
      throw forbidden();
    return r;
  }
  /** A step of the state machine, or the 409 saying why not. */
  function step(c: Stored, action: CaseAction, facts: Parameters<typeof decide>[2]): CaseState {
    const d = decide(c.status as CaseState, action, facts);
    if (!d.ok) {
      if (d.code === 'mediation.transition')
        throw conflict('mediation.transition', { status: statusText(c.status) });
      throw conflict(d.code);
    }
    return d.to;
  }
  /** Moves a case's counters when it leaves the open states (or its place). */
  async function countMove(trx: Executor, c: Stored, to: CaseState, at: string) {
    if (isOpen(c.status as CaseState) && !isOpen(to))
      await bumpCounters(trx, c.node_path, { [MEDIATION_METRICS.open]: -1 });
    if (to === 'agreed' || to === 'failed' || to === 'withdrawn') {
      await bumpCounters(trx, c.node_path, { [MEDIATION_METRICS.concluded(localDate(at).slice(0, 7))]: 1 });
      const outcome = { agreed: 'agreements', failed: 'failures', withdrawn: 'withdrawals' } as const;
      await repo.bumpStats(trx, [
        {
          nodePath: c.node_path,
          disputeType: c.dispute_type,
          day: localDate(at),
          deltas: { [outcome[to]]: 1, days_sum: daysFrom(c.received_at, at) },
        },
      ]);
    }
  }

  // ------------------------------------------------------------------ organisations and mediators
  function orgView(r: Awaited<ReturnType<typeof repo.orgsIn>>[number]): OrgView {
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      node: { id: r.node_id, name: r.node_name },
      address: r.address,
      equipment: r.equipment,
      hours: r.hours,
      inCharge: r.in_charge_user_id ? { id: r.in_charge_user_id, name: r.in_charge_name ?? '' } : null,
      mediators: Number(r.mediators ?? 0),
    };
  }
  function mediatorView(r: Awaited<ReturnType<typeof repo.mediatorsWhere>>[number]): MediatorView {
    return {
      id: r.id,
      userId: r.user_id,
      name: r.name,
      org: { id: r.org_id, name: r.org_name },
      node: { id: r.node_id, name: r.node_name },
      specialties: JSON.parse(r.specialties) as DisputeType[],
      qualification: r.qualification,
      profile: r.profile,
      load: Number(r.load ?? 0),
    };
  }
  /**
   * Organisations are public knowledge to anyone signed in (a party may choose a mediator, a judge
   * books a point anywhere): listed across the district.
   */
  async function orgs(ctx: RequestContext, q: { kind?: string; node?: number }) {
    actorOf(ctx);
    let under: string | undefined;
    if (q.node !== undefined) {
      const n = await findNode(db, q.node);
      if (!n) throw notFound('node');
      under = n.path;
    }
    const rows = await repo.orgsIn(db, ['/'], q.kind, under);
    return { items: rows.map(orgView) };
  }
  async function createOrg(ctx: RequestContext, b: z.output<typeof createOrgBody>) {
    const actor = actorOf(ctx);
    const node = await findNode(db, b.nodeId);
    if (!node) throw notFound('node');
    if (!can(actor, 'mediation.manage', node.path)) throw forbidden();
    // A point's invited mediator must be a user: an unknown id is a 404, not a foreign-key failure.
    if (
      b.inChargeUserId !== null &&
      !(await db.selectFrom('users').select('id').where('id', '=', b.inChargeUserId).executeTakeFirst())
    )
      throw notFound('user');
    const id = await write(async (trx) => {
      const id = await repo.insertOrg(trx, {
        kind: b.kind,
        name: b.name,
        node_id: node.id,
        node_path: node.path,
        address: b.address,
        equipment: b.equipment,
        hours: b.hours,
        in_charge_user_id: b.inChargeUserId,
        created_at: now(),
      });
      await recordAudit(trx, ctx, {
        action: 'mediation.org.create',
        entityType: 'mediation_org',
        entityId: id,
        nodePath: node.path,
        after: b,
      });
      return id;
    });
    const [row] = await repo.orgsIn(db, ['/'], undefined, undefined, id);
    return orgView(row!);
  }
  async function mediators(ctx: RequestContext, q: { org?: number }) {
    actorOf(ctx);
    const rows = await repo.mediatorsWhere(db, { scopes: ['/'] });
    return { items: rows.filter((r) => q.org === undefined || r.org_id === q.org).map(mediatorView) };
  }
  /**
   * A mediator's public profile (no sign-in): what a party needs to know who mediates their case —
   * name, organisation, area, specialties, qualification, their introduction, open caseload. Not
   * their account or phone.
   */
  async function publicMediator(id: number): Promise<PublicMediatorView> {
    const [r] = await repo.mediatorsWhere(db, { ids: [id] });
    if (!r) throw notFound('mediator');
    const v = mediatorView(r);
    return {
      id: v.id,
      name: v.name,
      organisation: v.org.name,
      area: v.node.name,
      specialties: v.specialties,
      qualification: v.qualification,
      profile: v.profile,
      load: v.load,
    };
  }
  async function createMediator(ctx: RequestContext, b: z.output<typeof createMediatorBody>) {
    const actor = actorOf(ctx);
    const org = await repo.findOrg(db, b.orgId);
    if (!org) throw notFound('mediation_org');
    if (!can(actor, 'mediation.manage', org.node_path)) throw forbidden();
    const user = await db.selectFrom('users').select('id').where('id', '=', b.userId).executeTakeFirst();
    if (!user) throw notFound('user');
    const id = await write(async (trx) => {
      try {
        const id = await repo.insertMediator(trx, {
          user_id: b.userId,
          org_id: org.id,
          specialties: JSON.stringify(b.specialties),
          qualification: b.qualification,
          profile: b.profile,
          created_at: now(),
        });
        await recordAudit(trx, ctx, {
          action: 'mediation.mediator.create',
          entityType: 'mediator',
          entityId: id,
          nodePath: org.node_path,
          after: b,
        });
        return id;
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict('mediation.mediator_taken');
        throw e;
      }
    });
    const [row] = await repo.mediatorsWhere(db, { ids: [id] });
    return mediatorView(row!);
  }
  /**
   * Mediators for a case, from the whole district: the specialty matches first, then those of the
   * committees at or above the case's place, the least loaded next; a mediator whose name is a party's
   * (a relative or the party themself, as far as the register can tell) is flagged as a conflict.
   */
  async function suggestions(ctx: RequestContext, caseId: number) {
    const { c } = await loadCase(ctx, caseId);
    const parties = await repo.partiesOf(db, c.id);
    const rows = await repo.mediatorsWhere(db, { scopes: ['/'] });
    const partyNames = new Set(parties.map((p) => p.name));
    const surnames = new Set(parties.filter((p) => p.kind === 'person').map((p) => p.name.slice(0, 1)));
    const out = rows
      // Any mediator may be designated or chosen (Art. 19): those of the place's committees and the
      // family team first, then the rest of the district, the least loaded first.
      .filter((r) => r.org_kind !== 'court')
      .map((r) => {
        const v = mediatorView(r);
        const inArea = isWithin(c.node_path, r.node_path);
        // A shared surname in a village is how kin are found first; the committee decides.
        const conflicted =
          partyNames.has(r.name) ||
          (inArea && r.org_kind !== 'family_team' && surnames.has(r.name.slice(0, 1)) && parties.length <= 4);
        return {
          ...v,
          specialtyMatch: v.specialties.includes(c.dispute_type as DisputeType),
          inArea,
          conflict: conflicted,
        };
      })
      .sort(
        (a, b) =>
          Number(a.conflict) - Number(b.conflict) ||
          Number(b.specialtyMatch) - Number(a.specialtyMatch) ||
          Number(b.inArea) - Number(a.inArea) ||
          a.load - b.load ||
          a.id - b.id,
      );
    return { items: out.slice(0, 50) };
  }

  // ------------------------------------------------------------------ cases
  async function dossierOf(x: Executor, org: { id: number; node_path: string }, at: string) {
    const year = Number(localDate(at).slice(0, 4));
    const seq = await repo.nextDossierSeq(x, org.id, year);
    const names = await x
      .selectFrom('nodes')
      .select(['name', 'level'])
      .where('path', 'in', ancestorPaths(org.node_path))
      .execute();
    const short = names
      .filter((n) => n.level === 'town' || n.level === 'village')
      .sort((a, b) => (a.level === 'town' ? -1 : b.level === 'town' ? 1 : 0))
      .map((n) => n.name.slice(0, 1))
      .join('');
    return { year, seq, no: `(${year})临${short || '安'}人调字第${seq}号` };
  }
  function partyRows(
    caseId: number,
    parties: readonly {
      side: 'applicant' | 'respondent';
      kind: 'person' | 'org';
      name: string;
      idNumber: string | null;
      phone: string | null;
      agent: string | null;
    }[],
    firstConsent: boolean,
    online: boolean,
  ) {
    return parties.map((p, i) => ({
      case_id: caseId,
      seq: i + 1,
      side: p.side,
      kind: p.kind,
      name: p.name,
      id_number_enc: p.idNumber ? pii.encrypt(p.idNumber) : null,
      id_number_bidx: p.idNumber ? pii.blindIndex('id', p.idNumber) : null,
      id_number_masked: p.idNumber ? maskIdNumber(p.idNumber) : null,
      phone_enc: p.phone ? pii.encrypt(p.phone) : null,
      phone_masked: p.phone ? maskPhone(p.phone) : null,
      agent: p.agent,
      // An applicant applying themself has said yes by applying.
      consent: firstConsent && i === 0 ? ('yes' as const) : ('pending' as const),
      online: firstConsent && i === 0 && online ? 1 : 0,
      access_hash: null as string | null,
    }));
  }
  async function insertCase(
    ctx: RequestContext,
    trx: Executor,
    node: { id: number; path: string },
    b: {
      source: string;
      disputeType: DisputeType;
      facts: string;
      claims: string;
      amountYuan: number | null;
      eventId: number | null;
    },
    parties: Parameters<typeof partyRows>[1],
    applied: { online: boolean } | null,
  ) {
    const org = await repo.committeeFor(trx, ancestorPaths(node.path));
    if (!org) throw conflict('mediation.no_committee');
    // Intakes at one committee are numbered one at a time: on PostgreSQL a unique violation aborts
    // the transaction, so two applications arriving together could not retry with the next number.
    await repo.lockOrg(trx, org.id, isPg());
    const at = now();
    const d = await dossierOf(trx, org, at);
    try {
      const id = await repo.insertCase(trx, {
        dossier_year: d.year,
        dossier_seq: d.seq,
        dossier_no: d.no,
        org_id: org.id,
        node_id: node.id,
        node_path: node.path,
        source: b.source,
        dispute_type: b.disputeType,
        facts: b.facts,
        claims: b.claims,
        amount_cents: cents(b.amountYuan),
        status: 'received',
        caucus: FAMILY_TYPES.includes(b.disputeType) ? 1 : 0,
        mediator_id: null,
        event_id: b.eventId,
        failure_route: null,
        conclusion_note: null,
        received_at: at,
        concluded_at: null,
        created_by_user_id: ctx.actor?.userId ?? null,
      });
      const rows = partyRows(id, parties, applied !== null, applied?.online ?? false);
      let token: string | null = null;
      if (applied) {
        token = newToken();
        rows[0]!.access_hash = sha256(token);
      }
      await repo.insertParties(trx, rows);
      await bumpCounters(trx, node.path, { [MEDIATION_METRICS.open]: 1 });
      await repo.bumpStats(trx, [
        { nodePath: node.path, disputeType: b.disputeType, day: localDate(at), deltas: { received: 1 } },
      ]);
      await live(trx, 'mediation.case_created', node.path, { id, status: 'received' });
      await recordAudit(trx, ctx, {
        action: 'mediation.case.create',
        entityType: 'mediation_case',
        entityId: id,
        nodePath: node.path,
        after: { ...b, parties: parties.length },
        detail: { dossier: d.no, source: b.source, parties: parties.length },
      });
      return { id, dossierNo: d.no, token };
    } catch (e) {
      // The committee's lock (or SQLite's one writer) numbers intakes one at a time; a collision
      // would mean a number written outside this path.
      if (isUniqueViolation(e)) throw conflict('mediation.dossier_busy');
      throw e;
    }
  }
  async function create(ctx: RequestContext, b: z.output<typeof createCaseBody>) {
    const actor = actorOf(ctx);
    const node = await findNode(db, b.nodeId);
    // A retired place receives no new cases (its successor does).
    if (!node || node.retired_at) throw notFound('node');
    if (!can(actor, 'mediation.intake', node.path)) throw forbidden();
    if (!b.parties.some((p) => p.side === 'applicant') || !b.parties.some((p) => p.side === 'respondent'))
      throw badRequest('mediation.sides_missing');
    if (b.eventId !== null) {
      // Who receives disputes where the event happened hands it over (the event is closed as with
      // mediation in the same transaction, below).
      const ev = await db
        .selectFrom('events')
        .select(['id', 'node_path'])
        .where('id', '=', b.eventId)
        .executeTakeFirst();
      if (!ev) throw notFound('event');
      if (!can(actor, 'mediation.intake', ev.node_path)) throw forbidden();
    }
    const r = await write(async (trx) => {
      const made = await insertCase(ctx, trx, node, b, b.parties, null);
      if (b.eventId !== null)
        await eventsLink().handOverToMediation(trx, ctx, b.eventId, {
          caseId: made.id,
          dossierNo: made.dossierNo,
        });
      return made;
    });
    return view(ctx, r.id);
  }
  /** A resident applies from the public form: they are the first applicant and have consented. */
  async function apply(ctx: RequestContext, b: z.output<typeof applicationBody>) {
    const node = await findNode(db, b.nodeId);
    if (!node || node.retired_at || node.level === 'district') throw notFound('node');
    const parties = [
      { side: 'applicant' as const, kind: 'person' as const, ...b.applicant },
      ...b.respondents.map((r) => ({ ...r, side: 'respondent' as const })),
    ];
    const r = await write((trx) =>
      insertCase(
        ctx,
        trx,
        node,
        {
          source: 'application',
          disputeType: b.disputeType,
          facts: b.facts,
          claims: b.claims,
          amountYuan: null,
          eventId: null,
        },
        parties,
        { online: b.online },
      ),
    );
    return { caseId: r.id, dossierNo: r.dossierNo, partyToken: r.token! };
  }

  function partyView(p: repo.PartyRow): PartyView {
    return {
      id: p.id,
      side: p.side,
      kind: p.kind,
      name: p.name,
      idNumberMasked: p.id_number_masked,
      phoneMasked: p.phone_masked,
      agent: p.agent,
      consent: p.consent,
      online: p.online === 1,
    };
  }
  function evidenceView(e: {
    id: number;
    name: string;
    sha256: string;
    size: number;
    party_id: number | null;
    created_at: string;
  }): EvidenceView {
    return {
      id: e.id,
      name: e.name,
      sha256: e.sha256,
      size: e.size,
      partyId: e.party_id,
      createdAt: e.created_at,
    };
  }
  function sessionView(s: Awaited<ReturnType<typeof repo.sessionsOf>>[number]): SessionView {
    return {
      id: s.id,
      startsAt: s.starts_at,
      mode: s.mode as SessionView['mode'],
      kind: s.kind,
      point: s.point_id ? { id: s.point_id, name: s.point_name ?? '' } : null,
      meetingLink: s.meeting_link,
      status: s.status,
      minutes: s.minutes ? (JSON.parse(s.minutes) as Minutes) : null,
      attendance: s.attendance ? (JSON.parse(s.attendance) as number[]) : [],
    };
  }
  /** Each case's parties by side, its line's title (first applicant — first respondent) and next session. */
  async function linesOf(ids: number[], lang: Lang) {
    const lines = await repo.caseLines(db, ids);
    const byCase = new Map<number, { a: string[]; r: string[] }>();
    for (const p of lines.parties) {
      const e = byCase.get(p.case_id) ?? { a: [], r: [] };
      (p.side === 'applicant' ? e.a : e.r).push(p.name);
      byCase.set(p.case_id, e);
    }
    const names = (n: string[]) =>
      n.length > 1 ? renderMessage('mediation.title.many', { name: n[0]!, n: n.length }, lang) : (n[0] ?? '');
    return {
      sides: (id: number) => byCase.get(id) ?? { a: [], r: [] },
      title: (id: number) => {
        const e = byCase.get(id) ?? { a: [], r: [] };
        return `${names(e.a)} — ${names(e.r)}`;
      },
      next: new Map(lines.sessions.map((s) => [s.case_id, s.next as string | null])),
    };
  }
  async function summaries(
    rows: Awaited<ReturnType<typeof repo.listCases>>,
    lang: Lang,
  ): Promise<CaseSummary[]> {
    const lines = await linesOf(
      rows.map((r) => r.id),
      lang,
    );
    const next = lines.next;
    return rows.map((r) => {
      const e = lines.sides(r.id);
      return {
        id: r.id,
        dossierNo: r.dossier_no,
        status: r.status as CaseState,
        source: r.source as CaseSummary['source'],
        disputeType: r.dispute_type as DisputeType,
        node: { id: r.node_id, name: r.node_name },
        org: { id: r.org_id, name: r.org_name },
        mediator: r.mediator_id ? { id: r.mediator_id, name: r.mediator_name ?? '' } : null,
        applicants: e.a.length,
        respondents: e.r.length,
        title: lines.title(r.id),
        amountYuan: yuan(r.amount_cents),
        receivedAt: r.received_at,
        concludedAt: r.concluded_at,
        nextSessionAt: next.get(r.id) ?? null,
      };
    });
  }
  async function list(
    ctx: RequestContext,
    q: { node?: number; status?: CaseState; mine?: '1'; page: number; pageSize: number },
  ) {
    const actor = actorOf(ctx);
    const scopes = scopesFor(actor, 'mediation.read');
    let f: repo.CaseFilter;
    if (q.mine) f = { scopes: ['/'], mediatorUserId: actor.userId };
    else {
      if (scopes.length === 0 && !holdsAnywhere(actor, 'mediation.mediate')) throw forbidden();
      f = { scopes };
    }
    if (q.node !== undefined) f.under = (await listNode(db, q.mine ? ['/'] : scopes, q.node)).path;
    if (q.status) f.status = q.status;
    const [total, rows] = await Promise.all([
      repo.countCases(db, f),
      repo.listCases(db, f, q.pageSize, (q.page - 1) * q.pageSize),
    ]);
    return { items: await summaries(rows, langOf(ctx)), total, page: q.page, pageSize: q.pageSize };
  }

  async function view(ctx: RequestContext, id: number, justMoved = false): Promise<CaseView> {
    const { c, actor, mediatorUser } = await loadCase(ctx, id, db, justMoved);
    const [rows, parties, sessions, evidence, agreementRow, followUps] = await Promise.all([
      repo.caseWithNames(db, c.id),
      repo.partiesOf(db, c.id),
      repo.sessionsOf(db, c.id),
      repo.evidenceOf(db, c.id),
      repo.currentAgreement(db, c.id),
      repo.followUpsWhere(db, { scopes: ['/'], caseId: c.id }),
    ]);
    const [summary] = await summaries(rows, langOf(ctx));
    const mediating = mediates(actor, c, mediatorUser);
    const state = c.status as CaseState;
    const okStep = (a: CaseAction) => decide(state, a, { consents: parties.map((p) => p.consent) }).ok;
    return {
      ...summary!,
      facts: c.facts,
      claims: c.claims,
      caucus: c.caucus === 1,
      parties: parties.map(partyView),
      sessions: sessions.map(sessionView),
      evidence: evidence.map(evidenceView),
      agreement: agreementRow ? await agreementView(ctx, agreementRow, c) : null,
      failureRoute: c.failure_route as CaseView['failureRoute'],
      conclusionNote: c.conclusion_note,
      eventId: c.event_id,
      followUps: followUps.map(followUpView),
      abilities: {
        consent: (mediating || can(actor, 'mediation.assign', c.node_path)) && state === 'received',
        assign: state === 'received' && can(actor, 'mediation.assign', c.node_path) && okStep('assign'),
        schedule: mediating && holdsSessions(state),
        minute: mediating && holdsSessions(state),
        message: mediating && isOpen(state),
        draft: mediating && state === 'mediating',
        fail: mediating && (state === 'mediating' || state === 'signing'),
        withdraw: mediating && isOpen(state),
        escalate: mediating && (state === 'received' || state === 'mediating'),
        refer: mediating && (state === 'received' || state === 'mediating'),
        evidence: mediating && isOpen(state),
        reveal: mediating,
        links: (mediating || can(actor, 'mediation.assign', c.node_path)) && isOpen(state),
        messages: mediating,
        joint: mediating && isOpen(state) && c.caucus === 1,
        revise: mediating && state === 'signing',
        followUp: mediating,
      },
    };
  }

  async function consent(
    ctx: RequestContext,
    id: number,
    b: { partyId: number; consent: 'yes' | 'no'; online: boolean },
  ) {
    await write(async (trx) => {
      const { c } = await committeeCase(ctx, id, trx);
      await recordConsent(ctx, trx, c, b.partyId, b.consent, b.online);
    });
    return view(ctx, id);
  }
  async function recordConsent(
    ctx: RequestContext,
    trx: Executor,
    c: Stored,
    partyId: number,
    answer: 'yes' | 'no',
    online: boolean,
  ) {
    if (c.status !== 'received') throw conflict('mediation.transition', { status: statusText(c.status) });
    const parties = await repo.partiesOf(trx, c.id);
    const p = parties.find((x) => x.id === partyId);
    if (!p) throw notFound('mediation_party');
    await repo.updateParty(trx, p.id, { consent: answer, online: online ? 1 : 0 });
    await live(trx, 'mediation.case_changed', c.node_path, { id: c.id, consent: answer });
    await recordAudit(trx, ctx, {
      action: 'mediation.case.consent',
      entityType: 'mediation_case',
      entityId: c.id,
      nodePath: c.node_path,
      detail: { party: p.id, consent: answer, online },
    });
    if (answer === 'no') {
      // Art. 17: a party unwilling to mediate ends the case.
      const consents = parties.map((x) => (x.id === p.id ? 'no' : x.consent));
      const to = step(c, 'refuse', { consents });
      const at = now();
      await repo.updateCase(trx, c.id, { status: to, concluded_at: null, conclusion_note: null });
      await countMove(trx, c, to, at);
    }
  }

  async function assign(
    ctx: RequestContext,
    id: number,
    b: { mediatorId: number; chosenByParties: boolean },
  ) {
    await write(async (trx) => {
      const { c, actor } = await loadCase(ctx, id, trx);
      if (!can(actor, 'mediation.assign', c.node_path)) throw forbidden();
      const [m] = await repo.mediatorsWhere(trx, { ids: [b.mediatorId] });
      if (!m) throw notFound('mediator');
      const parties = await repo.partiesOf(trx, c.id);
      const to = step(c, 'assign', { consents: parties.map((p) => p.consent) });
      if (parties.some((p) => p.name === m.name)) throw conflict('mediation.mediator_conflict');
      await repo.updateCase(trx, c.id, { status: to, mediator_id: m.id });
      await live(trx, 'mediation.case_changed', c.node_path, { id: c.id, status: to });
      await recordAudit(trx, ctx, {
        action: 'mediation.case.assign',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        detail: { mediator: m.id, chosenByParties: b.chosenByParties },
      });
    });
    return view(ctx, id);
  }

  /** Withdrawal, failure (with the route explained), escalation up the ladder, referral to another route. */
  async function conclude(
    ctx: RequestContext,
    id: number,
    action: 'withdraw' | 'fail' | 'escalate' | 'refer',
    b: { reason?: string; route?: string; note?: string },
  ) {
    await write(async (trx) => {
      const { c } = await mediatedCase(ctx, id, trx);
      let escalatedTo: { dossier: string; from: string } | null = null;
      const parties = await repo.partiesOf(trx, c.id);
      const node = await findNode(trx, c.node_id);
      const to = step(c, action, { consents: parties.map((p) => p.consent), level: node?.level });
      const at = now();
      if (action === 'escalate') {
        // Up one level: the committee above receives it and designates its own mediator.
        const parent = node?.parent_id ? await findNode(trx, node.parent_id) : undefined;
        if (!parent) throw conflict('mediation.ladder_top');
        const org = await repo.committeeFor(trx, ancestorPaths(parent.path));
        if (!org) throw conflict('mediation.no_committee');
        // The committee above registers the case in its own register: the dossier number is unique
        // per committee and year, so the lower committee's number cannot come along.
        await repo.lockOrg(trx, org.id, isPg());
        const d = await dossierOf(trx, org, at);
        await bumpCounters(trx, c.node_path, { [MEDIATION_METRICS.open]: -1 });
        await bumpCounters(trx, parent.path, { [MEDIATION_METRICS.open]: 1 });
        // A case counts once, at the place it is in now.
        const received = localDate(c.received_at);
        await repo.bumpStats(trx, [
          { nodePath: c.node_path, disputeType: c.dispute_type, day: received, deltas: { received: -1 } },
          { nodePath: parent.path, disputeType: c.dispute_type, day: received, deltas: { received: 1 } },
        ]);
        await repo.updateCase(trx, c.id, {
          status: to,
          node_id: parent.id,
          node_path: parent.path,
          org_id: org.id,
          mediator_id: null,
          dossier_year: d.year,
          dossier_seq: d.seq,
          dossier_no: d.no,
        });
        escalatedTo = { dossier: d.no, from: c.dossier_no };
      } else {
        const concluded = to === 'failed' || to === 'withdrawn';
        await repo.updateCase(trx, c.id, {
          status: to,
          concluded_at: concluded ? at : null,
          failure_route: action === 'fail' ? (b.route ?? null) : null,
          conclusion_note: b.note ?? b.reason ?? null,
        });
        if (c.status === 'signing') {
          const a = await repo.currentAgreement(trx, c.id);
          if (a) await repo.updateAgreement(trx, a.id, { status: 'void' });
        }
        await countMove(trx, c, to, at);
        // A dispute that came from an event goes back to joint handling's triage, with the note.
        const back = action === 'refer' || (action === 'fail' && b.route === BACK_TO_JOINT_HANDLING);
        if (back && c.event_id !== null)
          await eventsLink().returnFromMediation(trx, ctx, c.event_id, {
            caseId: c.id,
            dossierNo: c.dossier_no,
            outcome: action === 'refer' ? 'referred' : 'failed',
            note: (b.reason ?? b.note)!,
          });
      }
      // The place's pages and those above it (where an escalated case now is) hear of it.
      await live(trx, 'mediation.case_changed', c.node_path, { id: c.id, status: to, action });
      await recordAudit(trx, ctx, {
        action: `mediation.case.${action}`,
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        detail: { reason: b.reason ?? b.note ?? null, route: b.route ?? null, ...(escalatedTo ?? {}) },
      });
    });
    return view(ctx, id, action === 'escalate');
  }

  /** Reveals a party's ID number and phone to the mediator, with an audit row saying so. */
  async function revealParty(ctx: RequestContext, id: number, partyId: number) {
    return write(async (trx) => {
      const { c } = await mediatedCase(ctx, id, trx);
      const p = (await repo.partiesOf(trx, c.id)).find((x) => x.id === partyId);
      if (!p) throw notFound('mediation_party');
      await recordAudit(trx, ctx, {
        action: 'mediation.party.reveal',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        detail: { party: p.id, fields: ['idNumber', 'phone'] },
      });
      return {
        idNumber: p.id_number_enc ? pii.decrypt(p.id_number_enc) : null,
        phone: p.phone_enc ? pii.decrypt(p.phone_enc) : null,
      };
    });
  }
  /** New links for every party to follow their case (the old ones stop working), for the mediator to send. */
  async function partyLinks(ctx: RequestContext, id: number) {
    return write(async (trx) => {
      const { c } = await committeeCase(ctx, id, trx);
      const parties = await repo.partiesOf(trx, c.id);
      const items = [];
      for (const p of parties) {
        const token = newToken();
        await repo.updateParty(trx, p.id, { access_hash: sha256(token) });
        items.push({ partyId: p.id, name: p.name, token });
      }
      await recordAudit(trx, ctx, {
        action: 'mediation.party.links',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        detail: { parties: parties.length },
      });
      return { items };
    });
  }

  // ------------------------------------------------------------------ evidence
  async function addEvidence(
    ctx: RequestContext,
    id: number,
    upload: { filename: string; data: Buffer },
    partyId: number | null,
  ) {
    // Evidence is kept byte for byte as given (its hash is what the parties rely on), so a JPEG's
    // metadata stays; it is read only by the case's readers.
    const issue = (message: Message, code: string) =>
      badRequest('mediation.evidence_invalid', {}, [{ path: 'body.file', message, code }]);
    if (upload.data.length === 0) throw issue(msg('issue.file_empty'), 'empty');
    if (upload.data.length > LIMITS.directiveFileBytes)
      throw issue(msg('issue.file_too_big', { mb: LIMITS.directiveFileBytes / 1024 / 1024 }), 'too_big');
    const name = cleanFileName(upload.filename);
    const mime = await sniffFile(upload.data, name);
    if (!mime) throw issue(msg('issue.file_type'), 'type');
    const file = { name, mime, content: upload.data };
    const eid = await write(async (trx) => {
      const { c } = await mediatedCase(ctx, id, trx);
      if (!isOpen(c.status as CaseState))
        throw conflict('mediation.transition', { status: statusText(c.status) });
      const existing = await repo.evidenceOf(trx, c.id);
      if (existing.length >= MEDIATION_LIMITS.evidencePerCase) throw conflict('mediation.evidence_full');
      if (partyId !== null && !(await repo.partiesOf(trx, c.id)).some((p) => p.id === partyId))
        throw notFound('mediation_party');
      const hash = sha256(file.content);
      const eid = await repo.insertEvidence(trx, {
        case_id: c.id,
        party_id: partyId,
        name: file.name,
        mime: file.mime,
        size: file.content.length,
        sha256: hash,
        content: file.content,
        created_by_user_id: ctx.actor?.userId ?? null,
        created_at: now(),
      });
      await recordAudit(trx, ctx, {
        action: 'mediation.evidence.add',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        detail: { evidence: eid, sha256: hash, size: file.content.length },
      });
      return eid;
    });
    // A create answers the new record: the piece of evidence as kept, with its hash.
    return evidenceView((await repo.findEvidence(db, eid))!);
  }
  async function evidenceFile(ctx: RequestContext, id: number, evidenceId: number) {
    const { c } = await loadCase(ctx, id);
    const e = await repo.findEvidence(db, evidenceId);
    if (!e || e.case_id !== c.id) throw notFound('file');
    return { name: e.name, mime: e.mime, content: Buffer.from(e.content) };
  }

  // ------------------------------------------------------------------ sessions and messages
  async function schedule(ctx: RequestContext, id: number, b: z.output<typeof scheduleBody>) {
    const sid = await write(async (trx) => {
      const { c } = await mediatedCase(ctx, id, trx);
      // A refused (or any not-mediating) case holds no sessions.
      if (!holdsSessions(c.status as CaseState))
        throw conflict('mediation.transition', { status: statusText(c.status) });
      if (b.pointId !== null) {
        const point = await repo.findOrg(trx, b.pointId);
        if (!point || point.kind !== 'micro_court') throw notFound('mediation_org');
      }
      const kind = b.kind ?? (c.caucus === 1 ? 'caucus' : 'joint');
      const sid = await repo.insertSession(trx, {
        case_id: c.id,
        starts_at: new Date(b.startsAt).toISOString(),
        mode: b.mode,
        kind,
        point_id: b.mode === 'micro_court' ? b.pointId : null,
        meeting_link: b.mode === 'video' ? b.meetingLink : null,
        status: 'scheduled',
        minutes: null,
        attendance: null,
        created_at: now(),
      });
      // A session booked (at a point, a hearing of the case's own) appears on the agendas.
      await live(trx, 'mediation.session_booked', c.node_path, { id: c.id, session: sid });
      await recordAudit(trx, ctx, {
        action: 'mediation.session.schedule',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        detail: { session: sid, mode: b.mode, kind },
      });
      return sid;
    });
    return sessionView(await repo.sessionWithPoint(db, sid));
  }
  /** Minutes with the required elements: who attended, the facts found, each side's position, the result. */
  async function minute(
    ctx: RequestContext,
    id: number,
    sessionId: number,
    b: { attendance: number[]; attendees: string[]; facts: string; positions: string; result: string },
  ) {
    await write(async (trx) => {
      const { c } = await mediatedCase(ctx, id, trx);
      const s = await repo.findSession(trx, sessionId);
      if (!s || s.case_id !== c.id) throw notFound('mediation_session');
      if (s.status !== 'scheduled' || !holdsSessions(c.status as CaseState))
        throw conflict('mediation.session_closed');
      const partyIds = new Set((await repo.partiesOf(trx, c.id)).map((p) => p.id));
      if (b.attendance.some((p) => !partyIds.has(p))) throw notFound('mediation_party');
      const minutes: Minutes = {
        attendees: b.attendees,
        facts: b.facts,
        positions: b.positions,
        result: b.result,
      };
      await repo.updateSession(trx, s.id, {
        status: 'held',
        minutes: JSON.stringify(minutes),
        attendance: JSON.stringify([...new Set(b.attendance)]),
      });
      await live(trx, 'mediation.case_changed', c.node_path, { id: c.id, session: s.id });
      await recordAudit(trx, ctx, {
        action: 'mediation.session.minute',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        after: minutes,
        detail: { session: s.id, attended: b.attendance.length },
      });
    });
    return view(ctx, id);
  }
  /** Both sides agreed to meet jointly: a family case leaves caucus. */
  async function setJoint(ctx: RequestContext, id: number) {
    await write(async (trx) => {
      const { c } = await mediatedCase(ctx, id, trx);
      if (!isOpen(c.status as CaseState))
        throw conflict('mediation.transition', { status: statusText(c.status) });
      await repo.updateCase(trx, c.id, { caucus: 0 });
      await recordAudit(trx, ctx, {
        action: 'mediation.case.joint',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
      });
    });
    return view(ctx, id);
  }
  function messageView(m: Awaited<ReturnType<typeof repo.messagesOf>>[number]): MessageView {
    return {
      id: m.id,
      partyId: m.party_id,
      author: m.party_id !== null ? (m.party_name ?? '') : (m.user_name ?? ''),
      toAll: m.to_all === 1,
      body: m.body,
      createdAt: m.created_at,
    };
  }
  async function messages(ctx: RequestContext, id: number) {
    const { c } = await mediatedCase(ctx, id);
    return { items: (await repo.messagesOf(db, c.id, null)).map(messageView) };
  }
  async function postMessage(ctx: RequestContext, id: number, b: { body: string; toAll: boolean }) {
    const mid = await write(async (trx) => {
      const { c } = await mediatedCase(ctx, id, trx);
      if (!isOpen(c.status as CaseState))
        throw conflict('mediation.transition', { status: statusText(c.status) });
      const mid = await repo.insertMessage(trx, {
        case_id: c.id,
        party_id: null,
        user_id: ctx.actor!.userId,
        to_all: b.toAll ? 1 : 0,
        to_party_id: null,
        body: b.body,
        created_at: now(),
      });
      // What was said stays in the case; the chain keeps who wrote and to whom.
      await recordAudit(trx, ctx, {
        action: 'mediation.message.post',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        detail: { by: 'mediator', toAll: b.toAll },
      });
      return mid;
    });
    return messageOf(id, mid);
  }
  /** One message as its author reads it right after writing it (a create answers the new record). */
  async function messageOf(caseId: number, messageId: number) {
    const [m] = await repo.messagesOf(db, caseId, null, messageId);
    return messageView(m!);
  }

  // ------------------------------------------------------------------ the party's own link
  async function partyOf(token: string) {
    const p = await repo.partyByAccess(db, sha256(token));
    if (!p) throw notFound('mediation_party');
    const c = (await repo.findCase(db, p.case_id))!;
    return { p, c };
  }
  async function partyCase(token: string) {
    const { p, c } = await partyOf(token);
    const [parties, sessions, msgs, mediator] = await Promise.all([
      repo.partiesOf(db, c.id),
      repo.sessionsOf(db, c.id),
      repo.messagesOf(db, c.id, p.id),
      c.mediator_id === null ? Promise.resolve([]) : repo.mediatorsWhere(db, { ids: [c.mediator_id] }),
    ]);
    return {
      dossierNo: c.dossier_no,
      status: c.status as CaseState,
      disputeType: c.dispute_type as DisputeType,
      you: partyView(p),
      mediator: mediator[0] ? { id: mediator[0].id, name: mediator[0].name } : null,
      others: parties.filter((x) => x.id !== p.id).map((x) => ({ side: x.side, name: x.name })),
      caucus: c.caucus === 1,
      sessions: sessions.map((s) => {
        const { minutes: _m, attendance: _a, ...rest } = sessionView(s);
        return rest;
      }),
      messages: msgs.map(messageView),
    };
  }
  async function partyConsent(
    ctx: RequestContext,
    token: string,
    b: { consent: 'yes' | 'no'; online: boolean },
  ) {
    const { p } = await partyOf(token);
    await write(async (trx) => {
      const c = (await repo.findCase(trx, p.case_id))!;
      await recordConsent(ctx, trx, c, p.id, b.consent, b.online);
    });
    return partyCase(token);
  }
  /** A party writes to the mediator; in a joint case every party reads it, in caucus only the mediator. */
  async function partyMessage(ctx: RequestContext, token: string, b: { body: string }) {
    const { p, c } = await partyOf(token);
    if (!isOpen(c.status as CaseState))
      throw conflict('mediation.transition', { status: statusText(c.status) });
    const mid = await write(async (trx) => {
      const mid = await repo.insertMessage(trx, {
        case_id: c.id,
        party_id: p.id,
        user_id: null,
        to_all: c.caucus === 1 ? 0 : 1,
        to_party_id: null,
        body: b.body,
        created_at: now(),
      });
      await recordAudit(trx, ctx, {
        action: 'mediation.message.post',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        detail: { by: 'party', party: p.id, toAll: c.caucus !== 1 },
      });
      return mid;
    });
    return messageOf(c.id, mid);
  }

  // ------------------------------------------------------------------ agreements
  async function documentOf(x: Executor, c: Stored, content: AgreementContent, at: string) {
    const parties = await repo.partiesOf(x, c.id);
    const byId = new Map(parties.map((p) => [p.id, p]));
    for (const o of content.obligations) if (!byId.has(o.partyId)) throw notFound('mediation_party');
    const org = (await repo.findOrg(x, c.org_id))!;
    const [m] = c.mediator_id ? await repo.mediatorsWhere(x, { ids: [c.mediator_id] }) : [];
    const doc: Omit<AgreementDocument, 'contentSha256'> = {
      dossierNo: c.dossier_no,
      organisation: org.name,
      parties: parties.map((p) => ({
        side: p.side,
        kind: p.kind,
        name: p.name,
        idNumberMasked: p.id_number_masked,
        agent: p.agent,
      })),
      facts: content.facts,
      disputedPoints: content.disputedPoints,
      obligations: content.obligations.map((o) => ({
        party: byId.get(o.partyId)!.name,
        what: o.what,
        amountYuan: o.amountYuan === null ? null : o.amountYuan.toFixed(2),
        manner: o.manner,
        deadline: o.deadline,
      })),
      otherTerms: content.otherTerms,
      mediator: m?.name ?? '',
      draftedAt: at,
    };
    return { doc, parties, mediatorName: m?.name ?? '' };
  }
  async function draftAgreement(ctx: RequestContext, id: number, b: z.output<typeof draftAgreementBody>) {
    const { c } = await mediatedCase(ctx, id);
    step(c, 'draft_agreement', { consents: [] });
    if (c.mediator_id === null) throw conflict('mediation.no_mediator');
    const at = now();
    const content: AgreementContent = {
      facts: b.facts,
      disputedPoints: b.disputedPoints,
      obligations: b.obligations,
      otherTerms: b.otherTerms,
    };
    // The PDF is made before the transaction: a 77-claimant agreement takes a moment, and the
    // transaction re-checks that nothing changed meanwhile.
    const { doc, parties, mediatorName } = await documentOf(db, c, content, at);
    const contentSha256 = agreementContentHash(doc);
    const pdf = await renderAgreementPdf({ ...doc, contentSha256 });
    const pdfSha256 = sha256(pdf);
    const aid = await write(async (trx) => {
      const { c: again } = await mediatedCase(ctx, id, trx);
      const to = step(again, 'draft_agreement', { consents: [] });
      if (again.mediator_id !== c.mediator_id) throw conflict('mediation.changed');
      const aid = await repo.insertAgreement(trx, {
        case_id: c.id,
        status: 'signing',
        content: JSON.stringify(content),
        content_sha256: contentSha256,
        pdf,
        pdf_sha256: pdfSha256,
        created_by_user_id: ctx.actor!.userId,
        created_at: at,
        effective_at: null,
      });
      await repo.insertSignatures(trx, [
        ...parties.map((p) => ({
          agreement_id: aid,
          party_id: p.id,
          name: p.name,
          method: null,
          checked_by_user_id: null,
          signed_at: null,
          link_hash: null,
        })),
        {
          agreement_id: aid,
          party_id: null,
          name: mediatorName,
          method: null,
          checked_by_user_id: null,
          signed_at: null,
          link_hash: null,
        },
      ]);
      await repo.updateCase(trx, c.id, { status: to });
      await live(trx, 'mediation.case_changed', c.node_path, { id: c.id, status: to, agreement: aid });
      await recordAudit(trx, ctx, {
        action: 'mediation.agreement.draft',
        entityType: 'mediation_agreement',
        entityId: aid,
        nodePath: c.node_path,
        after: content,
        detail: {
          case: c.id,
          dossier: c.dossier_no,
          sha256: contentSha256,
          pdfSha256,
          parties: parties.length,
        },
      });
      return aid;
    });
    // The one who drafted it reads it: the answer is not the readers' check (as after a signature).
    return agreementView(ctx, (await repo.findAgreement(db, aid))!, (await repo.findCase(db, c.id))!);
  }
  /** Back to mediating: the draft is void (a party would not sign it as written). */
  async function revise(ctx: RequestContext, id: number) {
    await write(async (trx) => {
      const { c } = await mediatedCase(ctx, id, trx);
      const to = step(c, 'revise', { consents: [] });
      const a = await repo.currentAgreement(trx, c.id);
      if (a) await repo.updateAgreement(trx, a.id, { status: 'void' });
      await repo.updateCase(trx, c.id, { status: to });
      await live(trx, 'mediation.case_changed', c.node_path, { id: c.id, status: to });
      await recordAudit(trx, ctx, {
        action: 'mediation.agreement.revise',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        detail: { agreement: a?.id ?? null },
      });
    });
    return view(ctx, id);
  }

  function obligationsOf(a: repo.AgreementRow, parties: Map<number, string>) {
    const content = JSON.parse(a.content) as AgreementContent;
    return content.obligations.map((o) => ({
      partyId: o.partyId,
      party: parties.get(o.partyId) ?? '',
      what: o.what,
      amountYuan: o.amountYuan,
      manner: o.manner,
      deadline: o.deadline,
    }));
  }
  async function agreementView(ctx: RequestContext, a: repo.AgreementRow, c: Stored): Promise<AgreementView> {
    const actor = actorOf(ctx);
    const [sigs, parties, conf, mediatorUser] = await Promise.all([
      repo.signaturesOf(db, a.id),
      repo.partiesOf(db, c.id),
      repo.confirmationOf(db, a.id),
      assignedUser(db, c),
    ]);
    const names = new Map(parties.map((p) => [p.id, p.name]));
    const mediating = mediates(actor, c, mediatorUser);
    const confirmBy = a.effective_at ? addDays(localDate(a.effective_at), CONFIRMATION_WINDOW_DAYS) : null;
    return {
      id: a.id,
      caseId: c.id,
      dossierNo: c.dossier_no,
      status: a.status,
      sha256: a.content_sha256,
      pdfSha256: a.pdf_sha256,
      createdAt: a.created_at,
      effectiveAt: a.effective_at,
      signed: sigs.filter((s) => s.signed_at).length,
      toSign: sigs.length,
      signatures: sigs.map((s) => ({
        partyId: s.party_id,
        name: s.name,
        method: s.method,
        signedAt: s.signed_at,
      })),
      obligations: obligationsOf(a, names),
      confirmBy,
      confirmation: conf ? await confirmationView(ctx, conf, c) : null,
      abilities: {
        sign:
          a.status === 'signing' &&
          mediatorUser === actor.userId &&
          sigs.some((s) => s.party_id === null && !s.signed_at),
        links: a.status === 'signing' && mediating,
        assist: a.status === 'signing' && (mediating || holdsAnywhere(actor, 'hearings.assist')),
        apply:
          a.status === 'in_effect' &&
          mediating &&
          !conf &&
          confirmBy !== null &&
          localDate(now()) <= confirmBy,
      },
    };
  }
  async function agreement(ctx: RequestContext, id: number) {
    const a = await repo.findAgreement(db, id);
    if (!a) throw notFound('mediation_agreement');
    const c = (await repo.findCase(db, a.case_id))!;
    await assertReadsAgreement(ctx, a, c);
    return agreementView(ctx, a, c);
  }
  /** A case's readers, and the judges of the court an application for confirmation went to. */
  async function assertReadsAgreement(ctx: RequestContext, a: repo.AgreementRow, c: Stored) {
    const actor = actorOf(ctx);
    if (can(actor, 'mediation.read', c.node_path)) return;
    if ((await assignedUser(db, c)) === actor.userId) return;
    const conf = await repo.confirmationOf(db, a.id);
    if (conf && (await courtsOf(actor)).includes(conf.court_id)) return;
    throw forbidden();
  }
  async function agreementPdf(ctx: RequestContext, id: number) {
    const a = await repo.findAgreement(db, id);
    if (!a) throw notFound('mediation_agreement');
    const c = (await repo.findCase(db, a.case_id))!;
    await assertReadsAgreement(ctx, a, c);
    return { pdf: Buffer.from(a.pdf), name: `${c.dossier_no}.pdf` };
  }
  async function agreements(ctx: RequestContext, q: { status?: string; confirmation?: string }) {
    const actor = actorOf(ctx);
    const scopes = scopesFor(actor, 'mediation.read');
    const courts = await courtsOf(actor);
    // Filtered in SQL: the cases of the caller's places, and what went to their court for confirmation.
    const rows = await repo.agreementsWhere(db, {
      scopes: [...scopes],
      courts,
      ...(q.status ? { status: q.status } : {}),
      ...(q.confirmation ? { confirmation: q.confirmation } : {}),
    });
    const items = [];
    for (const r of rows) {
      const a = (await repo.findAgreement(db, r.id))!;
      const c = (await repo.findCase(db, r.case_id))!;
      const v = await agreementView(ctx, a, c);
      const { signatures: _s, obligations: _o, ...rest } = v;
      items.push(rest);
    }
    return { items };
  }
  /** The mediator's (or the committee's) one-time links for every party yet to sign; earlier links stop working. */
  async function signLinks(ctx: RequestContext, id: number) {
    return write(async (trx) => {
      const a = await repo.findAgreement(trx, id);
      if (!a) throw notFound('mediation_agreement');
      const { c } = await mediatedCase(ctx, a.case_id, trx);
      if (a.status !== 'signing') throw conflict('mediation.agreement_closed');
      const items = [];
      for (const s of await repo.signaturesOf(trx, a.id)) {
        if (s.party_id === null || s.signed_at) continue;
        const token = newToken();
        await repo.setLinkHash(trx, s.id, sha256(token));
        items.push({ partyId: s.party_id, name: s.name, token });
      }
      await recordAudit(trx, ctx, {
        action: 'mediation.agreement.links',
        entityType: 'mediation_agreement',
        entityId: a.id,
        nodePath: c.node_path,
        detail: { links: items.length, sha256: a.content_sha256 },
      });
      return { items };
    });
  }
  async function signLinkOf(x: Executor, token: string) {
    const s = await repo.signatureByLink(x, sha256(token));
    if (!s) throw notFound('sign_link');
    const a = (await repo.findAgreement(x, s.agreement_id))!;
    const c = (await repo.findCase(x, a.case_id))!;
    return { s, a, c };
  }
  async function signPage(token: string) {
    const { s, a, c } = await signLinkOf(db, token);
    const parties = new Map((await repo.partiesOf(db, c.id)).map((p) => [p.id, p.name]));
    return {
      dossierNo: c.dossier_no,
      name: s.name,
      sha256: a.content_sha256,
      status: a.status,
      signed: s.signed_at !== null,
      obligations: obligationsOf(a, parties),
    };
  }
  async function signPagePdf(token: string) {
    const { a, c } = await signLinkOf(db, token);
    return { pdf: Buffer.from(a.pdf), name: `${c.dossier_no}.pdf` };
  }
  /**
   * One signature: recorded with the document's hash in the audit chain, and when it was the last one
   * outstanding the agreement takes effect (Art. 29) in the same transaction.
   */
  async function recordSignature(
    ctx: RequestContext,
    trx: Executor,
    a: repo.AgreementRow,
    c: Stored,
    s: { id: number; party_id: number | null; name: string },
    method: 'online' | 'assisted',
    checkedBy: number | null,
  ) {
    if (a.status !== 'signing') throw conflict('mediation.agreement_closed');
    const at = now();
    if (!(await repo.markSigned(trx, s.id, { method, checked_by_user_id: checkedBy, signed_at: at })))
      throw conflict('mediation.already_signed');
    await live(trx, 'mediation.agreement_signed', c.node_path, { id: c.id, agreement: a.id });
    await recordAudit(trx, ctx, {
      action: 'mediation.agreement.sign',
      entityType: 'mediation_agreement',
      entityId: a.id,
      nodePath: c.node_path,
      detail: {
        party: s.party_id,
        signer: s.party_id === null ? 'mediator' : 'party',
        method,
        checkedBy,
        sha256: a.content_sha256,
        pdfSha256: a.pdf_sha256,
      },
    });
    if ((await repo.unsignedCount(trx, a.id)) > 0) return;
    const to = step(c, 'take_effect', { consents: [], allSigned: true });
    await repo.updateAgreement(trx, a.id, { status: 'in_effect', effective_at: at });
    await repo.updateCase(trx, c.id, { status: to, concluded_at: at });
    await countMove(trx, c, to, at);
    // Art. 31: the committee checks performance after each deadline.
    const content = JSON.parse(a.content) as AgreementContent;
    const dues = [
      ...new Set(content.obligations.map((o) => addDays(o.deadline, FOLLOW_UP_AFTER_DAYS))),
    ].sort();
    await repo.insertFollowUps(
      trx,
      dues.map((d) => ({
        agreement_id: a.id,
        case_id: c.id,
        node_path: c.node_path,
        due_on: d,
        status: 'due' as const,
        performance: null,
        satisfaction: null,
        note: null,
        visited_by_user_id: null,
        visited_at: null,
      })),
    );
    await recordAudit(trx, ctx, {
      action: 'mediation.agreement.effect',
      entityType: 'mediation_agreement',
      entityId: a.id,
      nodePath: c.node_path,
      detail: { case: c.id, sha256: a.content_sha256, pdfSha256: a.pdf_sha256 },
    });
  }
  /** A party signs through their one-time link after giving the name and ID number the case holds. */
  async function signByLink(ctx: RequestContext, token: string, b: { name: string; idNumber: string }) {
    await write(async (trx) => {
      const { s, a, c } = await signLinkOf(trx, token);
      const p = (await repo.partiesOf(trx, c.id)).find((x) => x.id === s.party_id);
      if (!p || p.name !== b.name.trim() || p.id_number_bidx !== pii.blindIndex('id', b.idNumber))
        throw badRequest('mediation.identity_mismatch');
      await recordSignature(ctx, trx, a, c, s, 'online', null);
    });
    return { ok: true as const };
  }
  /** At a micro-court point: the invited mediator checked the party's ID card and records the signature. */
  async function signAssisted(ctx: RequestContext, id: number, b: { partyId: number }) {
    const signed = await write(async (trx) => {
      const actor = actorOf(ctx);
      const a = await repo.findAgreement(trx, id);
      if (!a) throw notFound('mediation_agreement');
      const c = (await repo.findCase(trx, a.case_id))!;
      const mediatorUser = await assignedUser(trx, c);
      const assists =
        can(actor, 'hearings.assist', c.node_path) || (await pointInChargeFor(trx, actor, c.id));
      if (!mediates(actor, c, mediatorUser) && !assists) throw forbidden();
      const s = (await repo.signaturesOf(trx, a.id)).find((x) => x.party_id === b.partyId);
      if (!s) throw notFound('mediation_party');
      await recordSignature(ctx, trx, a, c, s, 'assisted', actor.userId);
      return a.id;
    });
    // The invited mediator of a point elsewhere may assist without reading the case's place: they
    // see the agreement they just signed for, not through the readers' check.
    const a = (await repo.findAgreement(db, signed))!;
    return agreementView(ctx, a, (await repo.findCase(db, a.case_id))!);
  }
  /** Whether the actor is in charge of a micro-court point where one of the case's sessions is held. */
  async function pointInChargeFor(x: Executor, actor: Actor, caseId: number) {
    const r = await x
      .selectFrom('mediation_sessions as s')
      .innerJoin('mediation_orgs as o', 'o.id', 's.point_id')
      .select('s.id')
      .where('s.case_id', '=', caseId)
      .where('o.in_charge_user_id', '=', actor.userId)
      .executeTakeFirst();
    return r !== undefined && holdsAnywhere(actor, 'hearings.assist');
  }
  async function signAsMediator(ctx: RequestContext, id: number) {
    await write(async (trx) => {
      const actor = actorOf(ctx);
      const a = await repo.findAgreement(trx, id);
      if (!a) throw notFound('mediation_agreement');
      const c = (await repo.findCase(trx, a.case_id))!;
      if ((await assignedUser(trx, c)) !== actor.userId) throw forbidden();
      const s = (await repo.signaturesOf(trx, a.id)).find((x) => x.party_id === null);
      if (!s) throw notFound('mediation_agreement');
      await recordSignature(ctx, trx, a, c, s, 'online', null);
    });
    return agreement(ctx, id);
  }
  /** Whether a PDF is byte for byte an agreement as generated here. */
  async function verify(pdf: Buffer) {
    const hit = await repo.agreementByPdfHash(db, sha256(pdf));
    return hit ? { matches: true, agreementId: hit.id, status: hit.status } : { matches: false };
  }

  // ------------------------------------------------------------------ judicial confirmation
  /** The courts a judge sits in: court organisations within their mediation.confirm scopes. */
  async function courtsOf(actor: Actor) {
    const scopes = scopesFor(actor, 'mediation.confirm');
    if (scopes.length === 0) return [];
    const rows = await repo.orgsIn(db, scopes, 'court');
    return rows.map((r) => r.id);
  }
  async function confirmationView(
    ctx: RequestContext,
    f: Awaited<ReturnType<typeof repo.findConfirmation>> & object,
    c: { id: number; dossier_no: string; dispute_type: string },
    title?: string,
  ): Promise<ConfirmationView> {
    const actor = actorOf(ctx);
    const court = await repo.findOrg(db, f.court_id);
    const judges = court ? can(actor, 'mediation.confirm', court.node_path) : false;
    return {
      id: f.id,
      agreementId: f.agreement_id,
      caseId: c.id,
      dossierNo: c.dossier_no,
      disputeType: c.dispute_type as DisputeType,
      title: title ?? (await linesOf([c.id], langOf(ctx))).title(c.id),
      court: { id: f.court_id, name: court?.name ?? '' },
      status: f.status,
      materials: JSON.parse(f.materials) as ConfirmationView['materials'],
      warnings: JSON.parse(f.warnings) as ConfirmationView['warnings'],
      submittedAt: f.submitted_at,
      acceptBy: f.accept_by,
      ruling: f.ruling,
      decidedAt: f.decided_at,
      abilities: { accept: judges && f.status === 'submitted', decide: judges && f.status === 'accepted' },
    };
  }
  /** Warnings for matters a court cannot confirm: personal status in family cases, ownership in land cases. */
  function warningsFor(type: DisputeType, matters: readonly string[]) {
    const w = new Set(matters);
    if (type === 'marriage_family') w.add('personal_status');
    if (type === 'land_housing') w.add('property_ownership');
    return [...w].sort();
  }
  async function applyConfirmation(
    ctx: RequestContext,
    id: number,
    b: z.output<typeof applyConfirmationBody>,
  ) {
    const made = await write(async (trx) => {
      const a = await repo.findAgreement(trx, id);
      if (!a) throw notFound('mediation_agreement');
      const { c } = await mediatedCase(ctx, a.case_id, trx);
      if (a.status !== 'in_effect' || !a.effective_at) throw conflict('mediation.not_in_effect');
      const by = addDays(localDate(a.effective_at), CONFIRMATION_WINDOW_DAYS);
      if (localDate(now()) > by) throw conflict('mediation.confirmation_late', { by });
      const court = await repo.findOrg(trx, b.courtId);
      if (!court || court.kind !== 'court') throw notFound('mediation_org');
      if (await repo.confirmationOf(trx, a.id)) throw conflict('mediation.confirmation_exists');
      const at = now();
      const warnings = warningsFor(c.dispute_type as DisputeType, b.matters);
      try {
        const fid = await repo.insertConfirmation(trx, {
          agreement_id: a.id,
          court_id: court.id,
          status: 'submitted',
          materials: JSON.stringify([...new Set(b.materials)]),
          warnings: JSON.stringify(warnings),
          submitted_at: at,
          accept_by: addDays(localDate(at), CONFIRMATION_ACCEPT_DAYS),
          ruling: null,
          decided_by_user_id: null,
          decided_at: null,
        });
        await bumpCounters(trx, c.node_path, { [MEDIATION_METRICS.confirmationsPending]: 1 });
        await live(trx, 'mediation.confirmation_applied', c.node_path, { id: c.id, confirmation: fid });
        await recordAudit(trx, ctx, {
          action: 'mediation.confirmation.apply',
          entityType: 'mediation_confirmation',
          entityId: fid,
          nodePath: c.node_path,
          detail: { agreement: a.id, court: court.id, sha256: a.content_sha256, warnings },
        });
        return { fid, c };
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict('mediation.confirmation_exists');
        throw e;
      }
    });
    return confirmationView(ctx, (await repo.findConfirmation(db, made.fid))!, made.c);
  }
  async function confirmations(ctx: RequestContext, q: { status?: string }) {
    const actor = actorOf(ctx);
    const rows = await repo.confirmationsWhere(db, {
      scopes: scopesFor(actor, 'mediation.read'),
      courts: await courtsOf(actor),
      ...(q.status ? { status: q.status } : {}),
    });
    const lines = await linesOf(
      rows.map((r) => r.case_id),
      langOf(ctx),
    );
    const items = [];
    for (const r of rows)
      items.push(
        await confirmationView(
          ctx,
          r,
          { id: r.case_id, dossier_no: r.dossier_no, dispute_type: r.dispute_type },
          lines.title(r.case_id),
        ),
      );
    return { items };
  }
  async function decideConfirmation(
    ctx: RequestContext,
    id: number,
    kind: 'accept' | 'decide',
    b: { accept?: boolean; confirm?: boolean; reason?: string | null; ruling?: string },
  ) {
    let agreementCase = { id: 0, dossier_no: '', dispute_type: '' };
    await write(async (trx) => {
      const actor = actorOf(ctx);
      const f = await repo.findConfirmation(trx, id);
      if (!f) throw notFound('mediation_confirmation');
      const court = (await repo.findOrg(trx, f.court_id))!;
      if (!can(actor, 'mediation.confirm', court.node_path)) throw forbidden();
      const a = (await repo.findAgreement(trx, f.agreement_id))!;
      const c = (await repo.findCase(trx, a.case_id))!;
      agreementCase = c;
      const at = now();
      let status: ConfirmationView['status'];
      if (kind === 'accept') {
        if (f.status !== 'submitted') throw conflict('mediation.confirmation_state');
        status = b.accept ? 'accepted' : 'not_accepted';
      } else {
        if (f.status !== 'accepted') throw conflict('mediation.confirmation_state');
        status = b.confirm ? 'confirmed' : 'refused';
      }
      const decided = status !== 'accepted';
      await repo.updateConfirmation(trx, f.id, {
        status,
        ruling: b.ruling ?? b.reason ?? null,
        decided_by_user_id: actor.userId,
        decided_at: decided ? at : null,
      });
      if (decided) await bumpCounters(trx, c.node_path, { [MEDIATION_METRICS.confirmationsPending]: -1 });
      await live(trx, 'mediation.confirmation_decided', c.node_path, {
        id: c.id,
        confirmation: f.id,
        status,
      });
      if (status === 'confirmed' || status === 'refused')
        await repo.bumpStats(trx, [
          {
            nodePath: c.node_path,
            disputeType: c.dispute_type,
            day: localDate(at),
            deltas: { decided: 1, confirmed: status === 'confirmed' ? 1 : 0 },
          },
        ]);
      await recordAudit(trx, ctx, {
        action: `mediation.confirmation.${status}`,
        entityType: 'mediation_confirmation',
        entityId: f.id,
        nodePath: c.node_path,
        detail: { agreement: a.id, sha256: a.content_sha256, reason: b.ruling ?? b.reason ?? null },
      });
    });
    const f = (await repo.findConfirmation(db, id))!;
    return confirmationView(ctx, f, agreementCase);
  }

  // ------------------------------------------------------------------ hearings at micro-court points
  function hearingView(
    ctx: RequestContext,
    h: Awaited<ReturnType<typeof repo.hearingsWhere>>[number],
  ): HearingView {
    const actor = actorOf(ctx);
    const participants = JSON.parse(h.participants) as {
      name: string;
      place: 'court' | 'home' | 'point';
      present: boolean;
    }[];
    return {
      id: h.id,
      point: { id: h.point_id, name: h.point_name },
      caseId: h.case_id,
      title: h.title,
      judge: { id: h.judge_user_id, name: h.judge_name },
      startsAt: h.starts_at,
      endsAt: h.ends_at,
      participants,
      status: h.status,
      abilities: {
        attend:
          h.status === 'scheduled' &&
          (h.in_charge_user_id === actor.userId || h.judge_user_id === actor.userId),
        cancel: h.status === 'scheduled' && h.judge_user_id === actor.userId,
      },
    };
  }
  async function oneHearing(ctx: RequestContext, id: number) {
    const h = await repo.findHearing(db, id);
    if (!h) throw notFound('hearing');
    const rows = await repo.hearingsWhere(db, { pointIds: [h.point_id], from: h.starts_at, to: h.ends_at });
    return hearingView(
      ctx,
      rows.find((r) => r.id === id)!,
    );
  }
  /**
   * Books a point's one computer. The point's row is locked (PostgreSQL; SQLite writes one at a time)
   * before the overlap check, so two bookings arriving together are decided one after the other and
   * the second is refused.
   */
  async function book(ctx: RequestContext, b: z.output<typeof bookHearingBody>) {
    const actor = actorOf(ctx);
    const from = new Date(b.startsAt).toISOString();
    const to = new Date(b.endsAt).toISOString();
    const id = await write(async (trx) => {
      const point = await repo.findOrg(trx, b.pointId);
      if (!point || point.kind !== 'micro_court') throw notFound('mediation_org');
      // A court books the points of its jurisdiction, for cases there.
      if (!can(actor, 'hearings.manage', point.node_path)) throw forbidden();
      if (b.caseId !== null) {
        const c = await repo.findCase(trx, b.caseId);
        if (!c) throw notFound('mediation_case');
        if (!can(actor, 'hearings.manage', c.node_path)) throw forbidden();
      }
      await repo.lockOrg(trx, point.id, dialectOf(trx) === 'postgres');
      const clash = await repo.overlapping(trx, point.id, from, to);
      if (clash.length > 0)
        throw conflict('mediation.point_booked', {
          from: localDateTime(clash[0]!.starts_at),
          to: localDateTime(clash[0]!.ends_at),
        });
      const id = await repo.insertHearing(trx, {
        point_id: point.id,
        case_id: b.caseId,
        judge_user_id: actor.userId,
        title: b.title,
        starts_at: from,
        ends_at: to,
        participants: JSON.stringify(b.participants.map((p) => ({ ...p, present: false }))),
        status: 'scheduled',
        attendance_by_user_id: null,
        created_at: now(),
      });
      await live(trx, 'mediation.hearing_booked', point.node_path, { id, point: point.id });
      await recordAudit(trx, ctx, {
        action: 'mediation.hearing.book',
        entityType: 'hearing',
        entityId: id,
        nodePath: point.node_path,
        detail: { point: point.id, from, to },
      });
      return id;
    });
    return oneHearing(ctx, id);
  }
  /**
   * A day's hearings: the judge's own, those at the points the caller is in charge of, and those at
   * points in their mediation.read scope.
   */
  async function hearings(ctx: RequestContext, q: { day?: string; point?: number }) {
    const actor = actorOf(ctx);
    const day = q.day ?? localDate(now());
    // Local (UTC+8) day bounds.
    const from = localMidnight(day);
    const to = localMidnight(addDays(day, 1));
    const inCharge = await db
      .selectFrom('mediation_orgs')
      .select('id')
      .where('in_charge_user_id', '=', actor.userId)
      .execute();
    const rows = await repo.hearingsWhere(db, {
      pointIds: inCharge.map((r) => r.id),
      ...(holdsAnywhere(actor, 'hearings.manage') ? { judgeUserId: actor.userId } : {}),
      scopes: scopesFor(actor, 'mediation.read'),
      from,
      to,
    });
    return {
      items: rows
        .filter((r) => q.point === undefined || r.point_id === q.point)
        .map((r) => hearingView(ctx, r)),
    };
  }
  async function attend(ctx: RequestContext, id: number, b: { present: number[] }) {
    await write(async (trx) => {
      const actor = actorOf(ctx);
      const h = await repo.findHearing(trx, id);
      if (!h) throw notFound('hearing');
      const point = (await repo.findOrg(trx, h.point_id))!;
      if (point.in_charge_user_id !== actor.userId && h.judge_user_id !== actor.userId) throw forbidden();
      if (h.status !== 'scheduled') throw conflict('mediation.hearing_closed');
      const ps = JSON.parse(h.participants) as { name: string; place: string; present: boolean }[];
      if (b.present.some((i) => i >= ps.length)) throw badRequest('mediation.no_such_participant');
      const present = new Set(b.present);
      await repo.updateHearing(trx, h.id, {
        participants: JSON.stringify(ps.map((p, i) => ({ ...p, present: present.has(i) }))),
        status: 'held',
        attendance_by_user_id: actor.userId,
      });
      await recordAudit(trx, ctx, {
        action: 'mediation.hearing.attend',
        entityType: 'hearing',
        entityId: h.id,
        nodePath: point.node_path,
        detail: { present: b.present.length, idChecked: true },
      });
    });
    return oneHearing(ctx, id);
  }
  async function cancelHearing(ctx: RequestContext, id: number) {
    await write(async (trx) => {
      const actor = actorOf(ctx);
      const h = await repo.findHearing(trx, id);
      if (!h) throw notFound('hearing');
      if (h.judge_user_id !== actor.userId) throw forbidden();
      if (h.status !== 'scheduled') throw conflict('mediation.hearing_closed');
      await repo.updateHearing(trx, h.id, { status: 'cancelled' });
      const point = (await repo.findOrg(trx, h.point_id))!;
      await recordAudit(trx, ctx, {
        action: 'mediation.hearing.cancel',
        entityType: 'hearing',
        entityId: h.id,
        nodePath: point.node_path,
      });
    });
    return oneHearing(ctx, id);
  }

  // ------------------------------------------------------------------ follow-ups
  function followUpView(f: Awaited<ReturnType<typeof repo.followUpsWhere>>[number]): FollowUpView {
    return {
      id: f.id,
      caseId: f.case_id,
      dossierNo: f.dossier_no,
      dueOn: f.due_on,
      status: f.status,
      performance: f.performance,
      satisfaction: f.satisfaction,
      note: f.note,
      visitedAt: f.visited_at,
      flagged: f.confirmation_status === 'confirmed' && f.performance !== null && f.performance !== 'full',
    };
  }
  /** Follow-ups due in the caller's places and on their own cases (filtered in SQL, by scope). */
  async function followUps(ctx: RequestContext) {
    const actor = actorOf(ctx);
    const rows = await repo.followUpsWhere(db, {
      scopes: scopesFor(actor, 'mediation.mediate'),
      mediatorUserId: actor.userId,
    });
    return { items: rows.map(followUpView) };
  }
  async function recordFollowUp(
    ctx: RequestContext,
    id: number,
    b: { performance: 'full' | 'partial' | 'none'; satisfaction: number; note: string | null },
  ) {
    await write(async (trx) => {
      const f = await repo.findFollowUp(trx, id);
      if (!f) throw notFound('mediation_follow_up');
      const { c } = await mediatedCase(ctx, f.case_id, trx);
      const r = await repo.updateFollowUp(trx, f.id, {
        status: 'done',
        performance: b.performance,
        satisfaction: b.satisfaction,
        note: b.note,
        visited_by_user_id: ctx.actor!.userId,
        visited_at: now(),
      });
      if (Number(r.numUpdatedRows) !== 1) throw conflict('mediation.follow_up_done');
      await recordAudit(trx, ctx, {
        action: 'mediation.follow_up.record',
        entityType: 'mediation_case',
        entityId: c.id,
        nodePath: c.node_path,
        detail: { followUp: f.id, performance: b.performance, satisfaction: b.satisfaction },
      });
    });
    const [row] = await repo.followUpsWhere(db, { scopes: ['/'], id });
    return followUpView(row!);
  }

  // ------------------------------------------------------------------ statistics
  function figures(c: {
    agreements: number;
    failures: number;
    withdrawals: number;
    days: number;
    received: number;
    decided: number;
    confirmed: number;
  }): StatsFigures {
    const concluded = c.agreements + c.failures + c.withdrawals;
    const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10000) / 10000);
    return {
      received: c.received,
      concluded,
      agreements: c.agreements,
      failures: c.failures,
      withdrawals: c.withdrawals,
      successRate: rate(c.agreements, concluded),
      settledRate: rate(c.agreements + c.withdrawals, concluded),
      meanDays: concluded === 0 ? null : Math.round((c.days / concluded) * 10) / 10,
      confirmationsDecided: c.decided,
      confirmed: c.confirmed,
      confirmationRate: rate(c.confirmed, c.decided),
    };
  }
  /**
   * Statistics of a place (the caller's own by default) over a period (this year by default):
   * definitions in docs/mediation-statistics.md. One grouped query per measure, by dispute type and
   * child, summed here.
   */
  async function stats(
    ctx: RequestContext,
    q: { node?: number; org?: number; mediator?: number; from?: string; to?: string },
  ): Promise<StatsView> {
    const actor = actorOf(ctx);
    const scopes = scopesFor(actor, 'mediation.read');
    if (scopes.length === 0) throw forbidden();
    const node =
      q.node !== undefined
        ? await listNode(db, scopes, q.node)
        : await repo.nodeAt(db, [...scopes].sort((a, b) => a.length - b.length)[0]!);
    const today = localDate(now());
    const fromDay = q.from ?? `${today.slice(0, 4)}-01-01`;
    const toDay = q.to ?? today;
    if (toDay < fromDay) throw badRequest('mediation.period');
    const from = localMidnight(fromDay);
    const to = localMidnight(addDays(toDay, 1));
    const children = await repo.childrenOf(db, node.id);
    if (q.org === undefined && q.mediator === undefined)
      return statsFromDaily(node, children, fromDay, toDay);
    const rows = await repo.statsRows(db, {
      under: node.path,
      from,
      to,
      ...(q.org !== undefined ? { orgId: q.org } : {}),
      ...(q.mediator !== undefined ? { mediatorId: q.mediator } : {}),
    });
    type Acc = {
      agreements: number;
      failures: number;
      withdrawals: number;
      days: number;
      received: number;
      decided: number;
      confirmed: number;
    };
    const zero = (): Acc => ({
      agreements: 0,
      failures: 0,
      withdrawals: 0,
      days: 0,
      received: 0,
      decided: 0,
      confirmed: 0,
    });
    const total = zero();
    const byType = new Map<string, Acc>(DISPUTE_TYPES.map((t) => [t, zero()]));
    const byChild = new Map<string, Acc>(children.map((c) => [c.path, zero()]));
    // Children's ids need not have one number of digits: a case's place is matched to the child
    // whose subtree holds it, never by a fixed-length prefix.
    const childOf = (path: string) => children.find((c) => isWithin(path, c.path))?.path;
    const add = (type: string, place: string, f: (a: Acc) => void) => {
      f(total);
      const t = byType.get(type);
      if (t) f(t);
      const child = childOf(place);
      const ch = child === undefined ? undefined : byChild.get(child);
      if (ch) f(ch);
    };
    for (const r of rows.concluded)
      add(r.dispute_type, r.place, (a) => {
        a.agreements += Number(r.agreements);
        a.failures += Number(r.failures);
        a.withdrawals += Number(r.withdrawals);
        a.days += Number(r.days ?? 0);
      });
    for (const r of rows.received) add(r.dispute_type, r.place, (a) => (a.received += Number(r.n)));
    for (const r of rows.confirmations)
      add(r.dispute_type, r.place, (a) => {
        a.decided += Number(r.decided);
        a.confirmed += Number(r.confirmed);
      });
    return {
      node: { id: node.id, name: node.name },
      from: fromDay,
      to: toDay,
      figures: figures(total),
      byType: DISPUTE_TYPES.map((t) => ({ disputeType: t, figures: figures(byType.get(t)!) })),
      children: children.map((c) => ({
        node: { id: c.id, name: c.name },
        figures: figures(byChild.get(c.path)!),
      })),
    };
  }
  /** The figures from the daily rows kept in each change's transaction: the place by type, the children in all. */
  async function statsFromDaily(
    node: { id: number; name: string; path: string },
    children: { id: number; name: string; path: string }[],
    fromDay: string,
    toDay: string,
  ): Promise<StatsView> {
    const [own, kids] = await Promise.all([
      repo.statsAt(db, [node.path], fromDay, toDay, false),
      repo.statsAt(
        db,
        children.map((c) => c.path),
        fromDay,
        toDay,
        true,
      ),
    ]);
    const accOf = (r: (typeof own)[number] | undefined) => ({
      agreements: Number(r?.agreements ?? 0),
      failures: Number(r?.failures ?? 0),
      withdrawals: Number(r?.withdrawals ?? 0),
      days: Number(r?.days_sum ?? 0),
      received: Number(r?.received ?? 0),
      decided: Number(r?.decided ?? 0),
      confirmed: Number(r?.confirmed ?? 0),
    });
    const byType = new Map(own.map((r) => [r.dispute_type, r]));
    const byChild = new Map(kids.map((r) => [r.node_path, r]));
    return {
      node: { id: node.id, name: node.name },
      from: fromDay,
      to: toDay,
      figures: figures(accOf(byType.get(''))),
      byType: DISPUTE_TYPES.map((t) => ({ disputeType: t, figures: figures(accOf(byType.get(t))) })),
      children: children.map((c) => ({
        node: { id: c.id, name: c.name },
        figures: figures(accOf(byChild.get(c.path))),
      })),
    };
  }
  async function statsWorkbook(ctx: RequestContext, q: Parameters<typeof stats>[1]) {
    const s = await stats(ctx, q);
    const lang = ctx.lang ?? 'zh-CN';
    const t = (code: MessageCode) => renderMessage(code, undefined, lang);
    const head = [
      t('mediation.stats.col.row'),
      t('mediation.stats.col.received'),
      t('mediation.stats.col.concluded'),
      t('mediation.stats.col.agreements'),
      t('mediation.stats.col.failures'),
      t('mediation.stats.col.withdrawals'),
      t('mediation.stats.col.success_rate'),
      t('mediation.stats.col.settled_rate'),
      t('mediation.stats.col.mean_days'),
      t('mediation.stats.col.confirmation_rate'),
    ];
    const line = (label: string, f: StatsFigures) => [
      label,
      f.received,
      f.concluded,
      f.agreements,
      f.failures,
      f.withdrawals,
      f.successRate,
      f.settledRate,
      f.meanDays,
      f.confirmationRate,
    ];
    const rows = [
      line(s.node.name, s.figures),
      ...s.children.map((c) => line(c.node.name, c.figures)),
      ...s.byType.map((b) => line(t(`mediation.type.${b.disputeType}` as MessageCode), b.figures)),
    ];
    await write((trx) =>
      recordAudit(trx, ctx, {
        action: 'mediation.stats.export',
        entityType: 'node',
        entityId: s.node.id,
        detail: { from: s.from, to: s.to },
      }),
    );
    return {
      file: await writeWorkbook(t('mediation.stats.sheet'), head, rows),
      name: `mediation-${s.from}-${s.to}.xlsx`,
    };
  }

  /** The mediator's day: their sessions today (local), for their home. */
  async function agenda(ctx: RequestContext) {
    const actor = actorOf(ctx);
    const day = localDate(now());
    const from = localMidnight(day);
    const to = localMidnight(addDays(day, 1));
    const rows = await repo.sessionsOfMediator(db, actor.userId, from, to);
    const lines = await linesOf(
      rows.map((r) => r.case_id),
      langOf(ctx),
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        caseId: r.case_id,
        dossierNo: r.dossier_no,
        title: lines.title(r.case_id),
        startsAt: r.starts_at,
        mode: r.mode as SessionView['mode'],
        kind: r.kind,
        point: r.point_id ? { id: r.point_id, name: r.point_name ?? '' } : null,
      })),
    };
  }

  return {
    orgs,
    createOrg,
    mediators,
    publicMediator,
    createMediator,
    suggestions,
    create,
    apply,
    list,
    view,
    consent,
    assign,
    conclude,
    revealParty,
    partyLinks,
    addEvidence,
    evidenceFile,
    schedule,
    minute,
    setJoint,
    messages,
    postMessage,
    partyCase,
    partyConsent,
    partyMessage,
    draftAgreement,
    revise,
    agreement,
    agreementPdf,
    agreements,
    signLinks,
    signPage,
    signPagePdf,
    signByLink,
    signAssisted,
    signAsMediator,
    verify,
    applyConfirmation,
    confirmations,
    decideConfirmation,
    book,
    hearings,
    attend,
    cancelHearing,
    followUps,
    recordFollowUp,
    stats,
    statsWorkbook,
    agenda,
  };
}

export type MediationService = ReturnType<typeof createMediationService>;
