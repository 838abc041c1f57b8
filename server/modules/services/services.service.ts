// Joint services (服务联办): the community calls and party members answer ("社区呼叫，党员报到").
// Organisations bring volunteers, each linked to a person record with consent recorded. A call-out
// fills one guarded place at a time (never past its capacity, whatever arrives at once); sign-ups
// check in and out on site and the minutes are credited to the volunteer, their organisation and
// the month in the same transaction. Service requests for people in need are matched to a volunteer
// living nearest the person (grid, then village, then town) and escalate a level when nobody takes
// them in time. Care rosters put residents with a care tag on a visiting rhythm set by the district.
// Coordinators and volunteers never read the registry: a resident reaches them only through a task
// that names them, as a name, an address and the need (and, to the volunteer holding the task, a
// masked phone).
import type { z } from 'zod';
import type {
  assignVisitorBody,
  CalloutView,
  careRulesBody,
  createCalloutBody,
  createInvitationBody,
  createOrgBody,
  createRequestBody,
  createVolunteerBody,
  joinBody,
  publicRequestBody,
  rankingQuery,
  RosterEntryView,
  ServiceRequestView,
  SignupView,
  updateVolunteerBody,
  VolunteerOrgView,
  VolunteerView,
} from '../../../common/contracts/services.js';
import {
  CARE_TAGS,
  DEFAULT_CARE_DAYS,
  KIND_SKILL,
  MAX_ESCALATION,
  minutesToHours,
  OPEN_REQUEST_STATES,
  RESPOND_HOURS,
  SERVICES_LIMITS as SL,
  type CareTag,
  type RequestKind,
  type Skill,
} from '../../../common/contracts/services-codes.js';
import { DEFAULT_LANG, msg, renderMessage, type MessageCode } from '../../../common/messages/index.js';
import { ancestorPaths } from '../../../common/tree.js';
import { addDays, daysBetween, localDate } from '../../../common/worktime.js';
import type { DB, Executor } from '../../db/index.js';
import { isUniqueViolation, nowIso } from '../../db/index.js';
import {
  actorOf,
  assertCan,
  assertDistrictWide,
  can,
  holdsAnywhere,
  isWithin,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { hashPassword, randomToken, sha256 } from '../../platform/crypto.js';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  validationFailed,
} from '../../platform/errors.js';
import { bumpCounters, recordLive, type LivePoke } from '../../platform/live.js';
import type { PiiCipher } from '../../platform/pii.js';
import { writeWorkbook } from '../../platform/tabular.js';
import { distanceMeters } from '../events/index.js';
import { newUserRow } from '../accounts/index.js';
import { findNode, listNode } from '../nodes/index.js';
import { notify, usersAssignedAt } from '../notifications/index.js';
import { registerFoundPerson } from '../people/index.js';
import * as repo from './services.repository.js';
import type { VolunteerImportRow } from './volunteer-import.js';

/** Counters (live_counters) per place and every ancestor, kept in each change's transaction. */
export const SERVICES_METRICS = {
  calloutsOpen: 'services.callouts.open',
  requestsOpen: 'services.requests.open',
  /** Minutes credited in a month (YYYY-MM, local), by the volunteer's home. */
  minutes: (month: string) => `services.minutes.${month}`,
} as const;

type CalloutRow = repo.CalloutRow;
type RequestRow = repo.RequestRow;
type VolunteerRow = repo.VolunteerRow;
const parseList = <T>(s: string) => JSON.parse(s) as T[];
const HOUR = 3_600_000;
const MINUTE = 60_000;
const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
/** The town or street a path lies in (the district itself at the top). */
const townOf = (path: string) => {
  const up = ancestorPaths(path);
  return up[Math.min(1, up.length - 1)]!;
};
const given = (ids: readonly (number | null)[]) => ids.filter((v): v is number => v !== null);
const toSignupView = (s: repo.SignupRow & { volunteer_name: string }): SignupView => ({
  id: s.id,
  calloutId: s.callout_id,
  volunteer: { id: s.volunteer_id, name: s.volunteer_name },
  status: s.status,
  signedAt: s.signed_at,
  checkedInAt: s.checked_in_at,
  checkedOutAt: s.checked_out_at,
  minutes: s.minutes,
});
/** A request's reference as people say it on the phone: FW and its number. */
export const requestReference = (id: number) => `FW${String(id).padStart(6, '0')}`;

export function createServicesService(deps: { db: DB; pii: PiiCipher; live?: LivePoke; now?: () => string }) {
  const { db, pii } = deps;
  const now = deps.now ?? nowIso;
  const poke = () => deps.live?.poke();

  async function audit(
    trx: Executor,
    ctx: RequestContext,
    a: {
      action: string;
      entityType: string;
      entityId: number;
      nodePath: string;
      detail?: Record<string, unknown>;
    },
    live = true,
  ) {
    if (live) await recordLive(trx, { kind: a.action, paths: [a.nodePath], payload: { id: a.entityId } });
    await recordAudit(trx, ctx, {
      action: a.action,
      entityType: a.entityType,
      entityId: a.entityId,
      nodePath: a.nodePath,
      ...(a.detail ? { detail: a.detail } : {}),
    });
  }

  const readScopes = (actor: Actor) => scopesFor(actor, 'volunteers.read');
  const reads = (actor: Actor, path: string) => can(actor, 'volunteers.read', path);
  // Visiting by place (not as the named visitor) is for who reads the place: a volunteer's
  // care.visit at home opens no neighbour's roster entry (ADR 0020).
  const visitsAt = (actor: Actor, path: string) => can(actor, 'care.visit', path) && reads(actor, path);

  async function nodeRef(x: Executor, id: number) {
    const n = await findNode(x, id);
    return { id, name: n?.name ?? '' };
  }

  /** The names a page of rows shows, each looked up once: places, people, volunteers, organisations. */
  async function namesFor(
    x: Executor,
    want: {
      nodes: readonly number[];
      people?: readonly number[];
      volunteers?: readonly (number | null)[];
      orgs?: readonly (number | null)[];
    },
  ) {
    const [nodes, people, volunteers, orgs] = await Promise.all([
      repo.nodeNames(x, want.nodes),
      repo.peopleForTasks(x, want.people ?? []),
      repo.volunteerNames(x, given(want.volunteers ?? [])),
      repo.orgNames(x, given(want.orgs ?? [])),
    ]);
    const byId = new Map(people.map((p) => [p.id, p]));
    const ref = (names: Map<number, string>) => (id: number | null) =>
      id === null ? null : { id, name: names.get(id) ?? '' };
    return {
      node: (id: number) => ({ id, name: nodes.get(id) ?? '' }),
      person: (id: number) => byId.get(id),
      volunteer: ref(volunteers),
      org: ref(orgs),
    };
  }

  // ---------------------------------------------------------------- organisations
  async function orgViews(
    x: Executor,
    rows: Awaited<ReturnType<typeof repo.listOrgs>>,
  ): Promise<VolunteerOrgView[]> {
    const ids = rows.map((r) => r.id);
    const [coords, counts, names] = await Promise.all([
      repo.coordinatorsOf(x, ids),
      repo.countVolunteersByOrg(x, ids),
      namesFor(x, { nodes: rows.map((r) => r.node_id) }),
    ]);
    const count = new Map(counts.map((c) => [c.org_id, Number(c.n)]));
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      node: names.node(r.node_id),
      description: r.description,
      coordinators: coords.filter((c) => c.org_id === r.id).map((c) => ({ id: c.id, name: c.name })),
      volunteers: count.get(r.id) ?? 0,
      hours: minutesToHours(r.minutes_total),
    }));
  }

  // ---------------------------------------------------------------- volunteers
  async function volunteerViews(x: Executor, actor: Actor, rows: VolunteerRow[]): Promise<VolunteerView[]> {
    const names = await namesFor(x, {
      nodes: rows.map((r) => r.home_node_id),
      orgs: rows.map((r) => r.org_id),
    });
    return rows.map((r) => {
      const manage = can(actor, 'volunteers.manage', r.home_path);
      return {
        id: r.id,
        name: r.name,
        org: names.org(r.org_id),
        home: names.node(r.home_node_id),
        partyMember: r.party_member === 1,
        skills: parseList(r.skills),
        certifications: parseList(r.certifications),
        languages: parseList(r.languages),
        availability: parseList(r.availability),
        status: r.status,
        joinedVia: r.joined_via,
        consentAt: r.consent_at,
        hasAccount: r.user_id !== null,
        hours: minutesToHours(r.minutes_total),
        noShows: r.no_shows,
        abilities: {
          update: manage,
          certificate: manage || r.user_id === actor.userId || reads(actor, r.home_path),
        },
      };
    });
  }

  /** Reads one volunteer: their own record, or a reader of their home place. */
  async function loadVolunteer(x: Executor, actor: Actor, id: number) {
    const v = await repo.findVolunteer(x, id);
    if (!v) throw notFound('volunteer');
    if (v.user_id !== actor.userId && !reads(actor, v.home_path)) throw forbidden();
    return v;
  }

  async function checkOrgAt(x: Executor, actor: Actor, orgId: number | null) {
    if (orgId === null) return null;
    const o = await repo.findOrg(x, orgId);
    if (!o) throw notFound('volunteer_org');
    if (!reads(actor, o.node_path) && !can(actor, 'volunteers.manage', o.node_path)) throw forbidden();
    return o;
  }

  /** Registers a volunteer for a person (found by ID number, or registered as they join). */
  async function registerVolunteer(
    trx: Executor,
    ctx: RequestContext,
    b: {
      node: { id: number; path: string };
      orgId: number | null;
      name: string;
      idNumber: string;
      phone: string | null;
      partyMember: boolean;
      skills: readonly string[];
      certifications: readonly string[];
      languages: readonly string[];
      availability: readonly unknown[];
      userId: number | null;
      joinedVia: 'invitation' | 'coordinator' | 'import';
      recordedBy: number | null;
      at: string;
    },
  ) {
    const person = await registerFoundPerson(trx, ctx, pii, {
      node: b.node,
      name: b.name,
      idNumber: b.idNumber,
      phone: b.phone,
      address: null,
      householdId: null,
      at: b.at,
    });
    if (await repo.volunteerOfPerson(trx, person.id))
      throw conflict('services.volunteer_exists', undefined, {
        issues: [{ path: 'body.idNumber', message: msg('issue.taken'), code: 'taken' }],
      });
    const { id } = await repo.insertVolunteer(trx, {
      person_id: person.id,
      user_id: b.userId,
      org_id: b.orgId,
      name: b.name,
      home_node_id: b.node.id,
      home_path: b.node.path,
      party_member: b.partyMember ? 1 : 0,
      skills: JSON.stringify([...new Set(b.skills)]),
      certifications: JSON.stringify([...new Set(b.certifications)]),
      languages: JSON.stringify([...new Set(b.languages)]),
      availability: JSON.stringify(b.availability),
      status: 'active',
      consent_at: b.at,
      consent_recorded_by: b.recordedBy,
      joined_via: b.joinedVia,
      created_at: b.at,
      updated_at: b.at,
    });
    await audit(trx, ctx, {
      action: 'volunteer.create',
      entityType: 'volunteer',
      entityId: id,
      nodePath: b.node.path,
      detail: { joinedVia: b.joinedVia, orgId: b.orgId, personCreated: person.created },
    });
    return id;
  }

  // ---------------------------------------------------------------- call-outs
  async function calloutViews(
    x: Executor,
    actor: Actor,
    rows: CalloutRow[],
    opts: { me?: VolunteerRow | null; home?: { lat: number; lng: number } | null } = {},
  ): Promise<CalloutView[]> {
    const at = now();
    const ids = rows.map((r) => r.id);
    const me = opts.me === undefined ? await repo.volunteerOfUser(x, actor.userId) : opts.me;
    const readable = rows.filter(
      (r) => reads(actor, r.node_path) || can(actor, 'callouts.post', r.node_path),
    );
    const [names, all, mine, shifts] = await Promise.all([
      namesFor(x, { nodes: rows.map((r) => r.node_id), orgs: rows.map((r) => r.org_id) }),
      repo.signupsOf(
        x,
        readable.map((r) => r.id),
      ),
      me ? repo.signupsOfVolunteer(x, me.id, ids) : Promise.resolve([]),
      repo.checkpointsOfShifts(x, given(rows.map((r) => r.shift_id))),
    ]);
    const canJoin = holdsAnywhere(actor, 'callouts.join') && me?.status === 'active';
    return rows.map((r) => {
      const own = mine.find((s) => s.callout_id === r.id) ?? null;
      const full = r.filled >= r.capacity;
      const post = can(actor, 'callouts.post', r.node_path);
      const skills = parseList<Skill>(r.skills);
      const mySkills = me ? parseList<string>(me.skills) : [];
      const open = r.status === 'open' && r.ends_at > at;
      const shift = shifts.find((s) => s.shift_id === r.shift_id);
      const point =
        opts.home && r.lat !== null && r.lng !== null
          ? Math.round(distanceMeters(opts.home.lat, opts.home.lng, r.lat, r.lng) / 100) / 10
          : null;
      return {
        id: r.id,
        title: r.title,
        details: r.details,
        node: names.node(r.node_id),
        meetingPoint: r.meeting_point,
        lat: r.lat,
        lng: r.lng,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        capacity: r.capacity,
        filled: r.filled,
        full,
        skills,
        status: r.status,
        shift: shift ? { id: shift.shift_id, checkpoint: { id: shift.id, name: shift.name } } : null,
        org: names.org(r.org_id),
        distanceKm: point,
        mine: own ? toSignupView(own) : null,
        signups: readable.includes(r) ? all.filter((s) => s.callout_id === r.id).map(toSignupView) : null,
        abilities: {
          signUp:
            canJoin &&
            open &&
            !full &&
            (own === null || own.status === 'withdrawn') &&
            skills.every((s) => mySkills.includes(s)),
          withdraw: own?.status === 'signed_up' && r.starts_at > at,
          checkIn:
            own?.status === 'signed_up' &&
            r.status === 'open' &&
            at >= plusMs(r.starts_at, -SL.checkInEarlyMinutes * MINUTE) &&
            at < r.ends_at,
          checkOut: own?.status === 'checked_in',
          close: post && r.status === 'open',
          cancel: post && r.status === 'open' && r.starts_at > at,
        },
      };
    });
  }

  async function loadCallout(x: Executor, actor: Actor, id: number) {
    const c = await repo.findCallout(x, id);
    if (!c) throw notFound('callout');
    const me = await repo.volunteerOfUser(x, actor.userId);
    // Readers of the place, whoever may post there, and any volunteer (a call-out is an open call).
    if (!reads(actor, c.node_path) && !can(actor, 'callouts.post', c.node_path) && !me) throw forbidden();
    return { c, me: me ?? null };
  }

  async function notifyCallout(
    trx: Executor,
    c: { id: number; node_path: string; title: string; skills: string },
    at: string,
  ) {
    // Eligible volunteers of the town with the skills asked, and the party members registered in the
    // call-out's own village or community (党员报到), each once.
    const up = ancestorPaths(c.node_path);
    const village = up[Math.min(2, up.length - 1)]!;
    const skills = parseList<string>(c.skills);
    const near = await repo.activeWithAccountUnder(trx, townOf(c.node_path), 5_000);
    const users = near
      .filter(
        (v) =>
          (v.party_member === 1 && isWithin(v.home_path, village)) ||
          skills.every((s) => parseList<string>(v.skills).includes(s)),
      )
      .map((v) => v.user_id!)
      .slice(0, 1_000);
    await notify(trx, users, {
      at,
      kind: 'callout.posted',
      message: msg('notification.callout.posted', { title: c.title }),
      entityType: 'callout',
      entityId: c.id,
    });
  }

  async function insertCallout(
    trx: Executor,
    ctx: RequestContext,
    actor: Actor,
    v: Parameters<typeof repo.insertCallout>[1],
  ) {
    const { id } = await repo.insertCallout(trx, v);
    await bumpCounters(trx, v.node_path, { [SERVICES_METRICS.calloutsOpen]: 1 });
    await notifyCallout(trx, { id, node_path: v.node_path, title: v.title, skills: v.skills }, v.created_at);
    await audit(trx, ctx, {
      action: 'callout.create',
      entityType: 'callout',
      entityId: id,
      nodePath: v.node_path,
      detail: { capacity: v.capacity, shiftId: v.shift_id ?? null, by: actor.userId },
    });
    return id;
  }

  // ---------------------------------------------------------------- service requests
  async function requestViews(
    x: Executor,
    actor: Actor,
    rows: RequestRow[],
    known?: { me: VolunteerRow | null },
  ): Promise<ServiceRequestView[]> {
    const at = now();
    const [names, me] = await Promise.all([
      namesFor(x, {
        nodes: rows.map((r) => r.node_id),
        people: rows.map((r) => r.person_id),
        volunteers: rows.map((r) => r.volunteer_id),
        orgs: rows.map((r) => r.org_id),
      }),
      known ? known.me : repo.volunteerOfUser(x, actor.userId),
    ]);
    return rows.map((r) => {
      const p = names.person(r.person_id);
      const holder = me != null && r.volunteer_id === me.id;
      const assign = can(actor, 'services.assign', r.node_path);
      const raise = can(actor, 'service_requests.raise', r.node_path);
      const open = OPEN_REQUEST_STATES.includes(r.status);
      return {
        id: r.id,
        reference: requestReference(r.id),
        kind: r.kind,
        details: r.details,
        source: r.source,
        status: r.status,
        person: { name: p?.name ?? '', address: p?.address ?? null },
        node: names.node(r.node_id),
        volunteer: names.volunteer(r.volunteer_id),
        org: names.org(r.org_id),
        respondBy: r.respond_by,
        escalationLevel: r.escalation_level,
        overdue: (r.status === 'open' || r.status === 'assigned') && r.respond_by < at,
        acceptedAt: r.accepted_at,
        doneAt: r.done_at,
        doneNote: r.done_note,
        hasPhoto: r.photo_sha256 !== null,
        minutes: r.minutes,
        satisfaction: r.satisfaction,
        cancelReason: r.cancel_reason,
        createdAt: r.created_at,
        // Only to the volunteer holding the task, only while they hold it, and masked.
        contact:
          holder && (r.status === 'assigned' || r.status === 'accepted') ? (p?.phone_masked ?? null) : null,
        abilities: {
          assign: assign && (r.status === 'open' || r.status === 'assigned'),
          accept: holder && r.status === 'assigned',
          decline: holder && r.status === 'assigned',
          complete: (holder && r.status === 'accepted') || (assign && r.status === 'accepted'),
          rate: (raise || assign) && r.status === 'done' && r.satisfaction === null,
          cancel: (raise || assign) && open,
        },
      };
    });
  }

  async function loadRequest(x: Executor, actor: Actor, id: number) {
    const r = await repo.findRequest(x, id);
    if (!r) throw notFound('service_request');
    const me = await repo.volunteerOfUser(x, actor.userId);
    if (!reads(actor, r.node_path) && !(me && r.volunteer_id === me.id)) throw forbidden();
    return { r, me: me ?? null };
  }

  /**
   * The volunteer nearest the person: living in their grid, then their village, then their town
   * (wider as the request escalates); with the skill the need asks for first, then the fewest open
   * tasks. Null when nobody fits.
   */
  async function matchVolunteer(
    x: Executor,
    path: string,
    kind: RequestKind,
    level: number,
    exclude: number | null,
  ) {
    const up = ancestorPaths(path);
    const skill = KIND_SKILL[kind];
    // The person's own place, then upward: grid → village → town (→ district when escalated).
    const widest = level >= MAX_ESCALATION ? 1 : 2;
    const rings = [...up].reverse().filter((p) => ancestorPaths(p).length >= widest);
    for (const ring of rings) {
      const found = (await repo.candidatesUnder(x, ring, 500)).filter((c) => c.id !== exclude);
      if (found.length === 0) continue;
      found.sort((a, b) => {
        const sa = parseList<string>(a.skills).includes(skill) ? 0 : 1;
        const sb = parseList<string>(b.skills).includes(skill) ? 0 : 1;
        return sa - sb || Number(a.open_tasks) - Number(b.open_tasks) || a.id - b.id;
      });
      return found[0]!;
    }
    return null;
  }

  /** Raises a request in the caller's transaction: matched at once where a volunteer fits. */
  async function raiseRequest(
    trx: Executor,
    ctx: RequestContext,
    b: {
      person: { id: number; node_id: number; node_path: string; name: string };
      kind: RequestKind;
      details: string | null;
      source: RequestRow['source'];
      followUpId: number | null;
      createdBy: number | null;
      at: string;
    },
  ) {
    const match = await matchVolunteer(trx, b.person.node_path, b.kind, 0, null);
    const { id } = await repo.insertRequest(trx, {
      person_id: b.person.id,
      node_id: b.person.node_id,
      node_path: b.person.node_path,
      kind: b.kind,
      details: b.details,
      source: b.source,
      follow_up_id: b.followUpId,
      status: match ? 'assigned' : 'open',
      volunteer_id: match?.id ?? null,
      org_id: match?.org_id ?? null,
      respond_by: plusMs(b.at, RESPOND_HOURS[b.kind] * HOUR),
      created_by: b.createdBy,
      created_at: b.at,
      updated_at: b.at,
    });
    await bumpCounters(trx, b.person.node_path, { [SERVICES_METRICS.requestsOpen]: 1 });
    if (match?.user_id)
      await notify(trx, [match.user_id], {
        at: b.at,
        kind: 'service_request.assigned',
        message: msg('notification.service_request.assigned', { reference: requestReference(id) }),
        entityType: 'service_request',
        entityId: id,
      });
    await audit(trx, ctx, {
      action: 'service_request.create',
      entityType: 'service_request',
      entityId: id,
      nodePath: b.person.node_path,
      detail: { kind: b.kind, source: b.source, volunteerId: match?.id ?? null },
    });
    return id;
  }

  async function closeRequestCount(trx: Executor, r: RequestRow) {
    await bumpCounters(trx, r.node_path, { [SERVICES_METRICS.requestsOpen]: -1 });
  }

  /** Credits minutes to a volunteer, their organisation and the month, and the month's counter. */
  async function credit(trx: Executor, v: VolunteerRow, at: string, minutes: number) {
    const month = localDate(at).slice(0, 7);
    await repo.creditMinutes(trx, v, month, minutes);
    await bumpCounters(trx, v.home_path, { [SERVICES_METRICS.minutes(month)]: minutes });
  }

  /**
   * Closes an open call-out (by hand, or by the sweep when long over): whoever signed up and never
   * checked in is a no-show. False when it was no longer open.
   */
  async function closeIn(trx: Executor, ctx: RequestContext, c: CalloutRow, at: string, auto: boolean) {
    if (!(await repo.setCalloutStatus(trx, c.id, 'open', 'closed', at))) return false;
    await bumpCounters(trx, c.node_path, { [SERVICES_METRICS.calloutsOpen]: -1 });
    const stale = await repo.signedUpOf(trx, c.id);
    for (const s of stale) {
      await repo.updateSignup(trx, s.id, ['signed_up'], { status: 'no_show' });
      await repo.addNoShow(trx, s.volunteer_id);
    }
    await audit(trx, ctx, {
      action: 'callout.close',
      entityType: 'callout',
      entityId: c.id,
      nodePath: c.node_path,
      detail: auto ? { auto: true } : { noShows: stale.length },
    });
    return true;
  }

  // ---------------------------------------------------------------- care
  async function rosterViews(
    x: Executor,
    actor: Actor,
    rows: Awaited<ReturnType<typeof repo.listRoster>>['rows'],
  ): Promise<RosterEntryView[]> {
    const today = localDate(now());
    const [names, me] = await Promise.all([
      namesFor(x, {
        nodes: rows.map((r) => r.node_id),
        people: rows.map((r) => r.person_id),
        volunteers: rows.map((r) => r.visitor_id),
      }),
      repo.volunteerOfUser(x, actor.userId),
    ]);
    return rows.map((r) => {
      const p = names.person(r.person_id);
      return {
        id: r.id,
        person: { name: p?.name ?? '', address: p?.address ?? null },
        node: names.node(r.node_id),
        tag: r.tag_code as CareTag,
        everyDays: r.every_days,
        visitor: names.volunteer(r.visitor_id),
        lastVisitOn: r.last_visit_on,
        nextDueOn: r.next_due_on,
        overdueDays: r.next_due_on < today ? daysBetween(r.next_due_on, today) : 0,
        abilities: {
          visit: (me !== undefined && r.visitor_id === me.id) || visitsAt(actor, r.node_path),
          assignVisitor: can(actor, 'services.assign', r.node_path),
        },
      };
    });
  }

  /** The rhythm of each care tag: the district's rule, or the default. */
  async function rhythm(x: Executor): Promise<Record<CareTag, number>> {
    const rules = await repo.careRules(x);
    const out = { ...DEFAULT_CARE_DAYS };
    for (const r of rules)
      if ((CARE_TAGS as readonly string[]).includes(r.tag_code)) out[r.tag_code as CareTag] = r.every_days;
    return out;
  }

  return {
    // ---------------------------------------------------------------- organisations
    async orgs(ctx: RequestContext, q: { node?: number | undefined }) {
      const actor = actorOf(ctx);
      const scopes = readScopes(actor);
      const under = q.node === undefined ? null : (await listNode(db, scopes, q.node)).path;
      return { items: await orgViews(db, await repo.listOrgs(db, scopes, under)) };
    },

    async createOrg(ctx: RequestContext, b: z.infer<typeof createOrgBody>) {
      const actor = actorOf(ctx);
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const node = await findNode(trx, b.nodeId);
        if (!node) throw notFound('node');
        assertCan(actor, 'volunteers.manage', node.path);
        const known = await repo.usersExist(trx, b.coordinatorUserIds);
        if (known.length !== new Set(b.coordinatorUserIds).size) throw notFound('user');
        const { id } = await repo.insertOrg(trx, {
          kind: b.kind,
          name: b.name,
          node_id: node.id,
          node_path: node.path,
          description: b.description,
          created_at: at,
        });
        await repo.setCoordinators(trx, id, [...new Set(b.coordinatorUserIds)]);
        await audit(trx, ctx, {
          action: 'volunteer_org.create',
          entityType: 'volunteer_org',
          entityId: id,
          nodePath: node.path,
        });
        return id;
      });
      poke();
      const row = (await repo.findOrg(db, id))!;
      return (await orgViews(db, [row]))[0]!;
    },

    // ---------------------------------------------------------------- volunteers
    async volunteers(
      ctx: RequestContext,
      q: {
        node?: number | undefined;
        org?: number | undefined;
        status?: string | undefined;
        skill?: string | undefined;
        q?: string | undefined;
        page: number;
        pageSize: number;
      },
    ) {
      const actor = actorOf(ctx);
      const scopes = readScopes(actor);
      if (scopes.length === 0) throw forbidden();
      const under = q.node === undefined ? null : (await listNode(db, scopes, q.node)).path;
      const { rows, total } = await repo.listVolunteers(
        db,
        { scopes, under, orgId: q.org, status: q.status, skill: q.skill, q: q.q },
        q.page,
        q.pageSize,
      );
      return { items: await volunteerViews(db, actor, rows), total, page: q.page, pageSize: q.pageSize };
    },

    async volunteer(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const v = await loadVolunteer(db, actor, id);
      return (await volunteerViews(db, actor, [v]))[0]!;
    },

    /** The caller's own volunteer record: 404 when they are not one. */
    async me(ctx: RequestContext) {
      const actor = actorOf(ctx);
      const v = await repo.volunteerOfUser(db, actor.userId);
      if (!v) throw notFound('volunteer');
      return (await volunteerViews(db, actor, [v]))[0]!;
    },

    async createVolunteer(ctx: RequestContext, b: z.infer<typeof createVolunteerBody>) {
      const actor = actorOf(ctx);
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const node = await findNode(trx, b.nodeId);
        if (!node) throw notFound('node');
        assertCan(actor, 'volunteers.manage', node.path);
        await checkOrgAt(trx, actor, b.orgId);
        return registerVolunteer(trx, ctx, {
          node,
          orgId: b.orgId,
          name: b.name,
          idNumber: b.idNumber,
          phone: b.phone,
          partyMember: b.partyMember,
          skills: b.skills,
          certifications: b.certifications,
          languages: b.languages,
          availability: b.availability,
          userId: null,
          joinedVia: 'coordinator',
          recordedBy: actor.userId,
          at,
        });
      });
      poke();
      return this.volunteer(ctx, id);
    },

    async updateVolunteer(ctx: RequestContext, id: number, b: z.infer<typeof updateVolunteerBody>) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const v = await loadVolunteer(trx, actor, id);
        assertCan(actor, 'volunteers.manage', v.home_path);
        if (b.orgId !== undefined) await checkOrgAt(trx, actor, b.orgId);
        await repo.updateVolunteer(trx, id, {
          ...(b.orgId !== undefined ? { org_id: b.orgId } : {}),
          ...(b.status !== undefined ? { status: b.status } : {}),
          ...(b.partyMember !== undefined ? { party_member: b.partyMember ? 1 : 0 } : {}),
          ...(b.skills !== undefined ? { skills: JSON.stringify([...new Set(b.skills)]) } : {}),
          ...(b.certifications !== undefined
            ? { certifications: JSON.stringify([...new Set(b.certifications)]) }
            : {}),
          ...(b.languages !== undefined ? { languages: JSON.stringify([...new Set(b.languages)]) } : {}),
          ...(b.availability !== undefined ? { availability: JSON.stringify(b.availability) } : {}),
          updated_at: at,
        });
        await audit(trx, ctx, {
          action: 'volunteer.update',
          entityType: 'volunteer',
          entityId: id,
          nodePath: v.home_path,
          detail: { fields: Object.keys(b) },
        });
      });
      poke();
      return this.volunteer(ctx, id);
    },

    /** Registers many volunteers from a workbook's checked rows, all or none. */
    async importVolunteers(
      ctx: RequestContext,
      nodeId: number,
      orgId: number | null,
      rows: readonly VolunteerImportRow[],
    ) {
      const actor = actorOf(ctx);
      const at = now();
      let linked = 0;
      await db.transaction().execute(async (trx) => {
        const place = await findNode(trx, nodeId);
        if (!place) throw notFound('node');
        assertCan(actor, 'volunteers.manage', place.path);
        await checkOrgAt(trx, actor, orgId);
        const codes = [...new Set(rows.map((r) => r.homeCode))];
        const homes = new Map((await repo.nodesByCodes(trx, codes)).map((n) => [n.full_code, n]));
        const issues = rows.flatMap((r) => {
          const h = homes.get(r.homeCode);
          return h && isWithin(h.path, place.path)
            ? []
            : [
                {
                  path: `rows.${r.row}.homeCode`,
                  message: msg('issue.outside_place'),
                  code: 'outside_place',
                },
              ];
        });
        if (issues.length > 0) throw validationFailed(issues.slice(0, 200));
        for (const r of rows) {
          const home = homes.get(r.homeCode)!;
          if (await repo.personByIdBidx(trx, pii.blindIndex('id', r.idNumber))) linked++;
          await registerVolunteer(trx, ctx, {
            node: home,
            orgId,
            name: r.name,
            idNumber: r.idNumber,
            phone: r.phone,
            partyMember: r.partyMember,
            skills: r.skills,
            certifications: r.certifications,
            languages: ['mandarin'],
            availability: [],
            userId: null,
            joinedVia: 'import',
            recordedBy: actor.userId,
            at,
          }).catch((e: unknown) => {
            if (e instanceof AppError && e.code === 'services.volunteer_exists')
              throw conflict('services.volunteer_exists_row', { row: r.row });
            throw e;
          });
        }
      });
      poke();
      return { created: rows.length, linked };
    },

    // ---------------------------------------------------------------- invitations
    async createInvitation(ctx: RequestContext, b: z.infer<typeof createInvitationBody>) {
      const actor = actorOf(ctx);
      const at = now();
      const token = randomToken();
      const { id, node, org } = await db.transaction().execute(async (trx) => {
        const node = await findNode(trx, b.nodeId);
        if (!node) throw notFound('node');
        assertCan(actor, 'volunteers.manage', node.path);
        const org = await checkOrgAt(trx, actor, b.orgId);
        const { id } = await repo.insertInvitation(trx, {
          token_hash: sha256(token),
          org_id: b.orgId,
          node_id: node.id,
          node_path: node.path,
          max_uses: b.maxUses,
          expires_at: plusMs(at, b.days * 24 * HOUR),
          created_by: actor.userId,
          created_at: at,
        });
        await audit(
          trx,
          ctx,
          {
            action: 'volunteer.invite',
            entityType: 'volunteer_invitation',
            entityId: id,
            nodePath: node.path,
            detail: { maxUses: b.maxUses, days: b.days },
          },
          false,
        );
        return { id, node, org };
      });
      return {
        id,
        token,
        path: `/join/${token}`,
        node: { id: node.id, name: node.name },
        org: org ? { id: org.id, name: org.name } : null,
        expiresAt: plusMs(at, b.days * 24 * HOUR),
        maxUses: b.maxUses,
      };
    },

    async invitation(token: string) {
      const inv = await repo.invitationByHash(db, sha256(token));
      if (!inv || inv.expires_at <= now() || inv.uses >= inv.max_uses) throw notFound('volunteer_invitation');
      const org = inv.org_id === null ? null : await repo.findOrg(db, inv.org_id);
      return {
        node: await nodeRef(db, inv.node_id),
        org: org ? { id: org.id, name: org.name } : null,
        expiresAt: inv.expires_at,
      };
    },

    /** Joining through an invitation: a volunteer record and an account to sign in with, at once. */
    async join(ctx: RequestContext, token: string, b: z.infer<typeof joinBody>) {
      const at = now();
      const hash = await hashPassword(b.password);
      const out = await db.transaction().execute(async (trx) => {
        const inv = await repo.invitationByHash(trx, sha256(token));
        if (!inv) throw notFound('volunteer_invitation');
        const home = await findNode(trx, b.nodeId);
        if (!home) throw notFound('node');
        if (!isWithin(home.path, inv.node_path))
          throw validationFailed([
            { path: 'body.nodeId', message: msg('issue.outside_place'), code: 'outside_place' },
          ]);
        if (!(await repo.useInvitation(trx, inv.id, at))) throw notFound('volunteer_invitation');
        if (await repo.usernameTaken(trx, b.username))
          throw conflict(
            'user.username_taken',
            { username: b.username },
            {
              issues: [{ path: 'body.username', message: msg('issue.taken'), code: 'taken' }],
            },
          );
        const user = await repo.insertVolunteerAccount(
          trx,
          newUserRow(b.username, b.name, hash, at),
          home.id,
        );
        // The person joining acts for themselves: their new account is the audit's actor.
        const joinCtx: RequestContext = {
          ...ctx,
          actor: {
            userId: user.id,
            username: b.username,
            displayName: b.name,
            totpEnabled: false,
            via: 'session',
            assignments: [],
          },
        };
        // The account and its role, recorded as the accounts module records a new user.
        await recordAudit(trx, joinCtx, {
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          nodePath: home.path,
          after: { username: b.username, displayName: b.name, assignments: [`${user.roleId}:${home.id}`] },
        });
        const id = await registerVolunteer(trx, joinCtx, {
          node: home,
          orgId: inv.org_id,
          name: b.name,
          idNumber: b.idNumber,
          phone: b.phone,
          partyMember: b.partyMember,
          skills: b.skills,
          certifications: b.certifications,
          languages: b.languages,
          availability: b.availability,
          userId: user.id,
          joinedVia: 'invitation',
          recordedBy: null,
          at,
        });
        return { volunteerId: id, username: b.username };
      });
      poke();
      return out;
    },

    // ---------------------------------------------------------------- call-outs
    async callouts(
      ctx: RequestContext,
      q: {
        node?: number | undefined;
        status?: CalloutRow['status'] | undefined;
        near?: '1' | undefined;
        mine?: '1' | undefined;
      },
    ) {
      const actor = actorOf(ctx);
      const at = now();
      if (q.near || q.mine) {
        const me = await repo.volunteerOfUser(db, actor.userId);
        if (!me) throw notFound('volunteer');
        if (q.mine) {
          const ids = (await repo.signupsOfVolunteer(db, me.id)).map((s) => s.callout_id);
          const rows = await repo.listCallouts(db, { scopes: ['/'], ids });
          return { items: await calloutViews(db, actor, rows, { me }) };
        }
        // Near me: open call-outs of the volunteer's town or street not yet over, the nearest first.
        const rows = await repo.listCallouts(db, {
          scopes: [townOf(me.home_path)],
          status: 'open',
          endsAfter: at,
        });
        const home = await findNode(db, me.home_node_id);
        const centre =
          home?.centroid_lat != null && home.centroid_lng != null
            ? { lat: home.centroid_lat, lng: home.centroid_lng }
            : null;
        const items = await calloutViews(db, actor, rows, { me, home: centre });
        items.sort(
          (a, b) => (a.distanceKm ?? 1e9) - (b.distanceKm ?? 1e9) || a.startsAt.localeCompare(b.startsAt),
        );
        return { items };
      }
      const scopes = [...new Set([...readScopes(actor), ...scopesFor(actor, 'callouts.post')])];
      if (scopes.length === 0) throw forbidden();
      const narrowed = q.node === undefined ? scopes : [(await listNode(db, scopes, q.node)).path];
      const rows = await repo.listCallouts(db, { scopes: narrowed, status: q.status });
      return { items: await calloutViews(db, actor, rows) };
    },

    async callout(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const { c, me } = await loadCallout(db, actor, id);
      return (await calloutViews(db, actor, [c], { me }))[0]!;
    },

    async createCallout(ctx: RequestContext, b: z.infer<typeof createCalloutBody>) {
      const actor = actorOf(ctx);
      const at = now();
      if (Date.parse(b.endsAt) <= Date.parse(at)) throw badRequest('services.callout_past');
      const id = await db.transaction().execute(async (trx) => {
        const node = await findNode(trx, b.nodeId);
        if (!node) throw notFound('node');
        assertCan(actor, 'callouts.post', node.path);
        if (b.orgId !== null) await checkOrgAt(trx, actor, b.orgId);
        return insertCallout(trx, ctx, actor, {
          title: b.title,
          details: b.details,
          node_id: node.id,
          node_path: node.path,
          meeting_point: b.meetingPoint,
          lat: b.lat ?? node.centroid_lat,
          lng: b.lng ?? node.centroid_lng,
          starts_at: new Date(b.startsAt).toISOString(),
          ends_at: new Date(b.endsAt).toISOString(),
          capacity: b.capacity,
          skills: JSON.stringify([...new Set(b.skills)]),
          shift_id: null,
          org_id: b.orgId,
          status: 'open',
          posted_by: actor.userId,
          created_at: at,
          updated_at: at,
        });
      });
      poke();
      return this.callout(ctx, id);
    },

    /** A checkpoint's uncovered shift as a call-out, in one step: who signs up stands the shift. */
    async calloutFromShift(
      ctx: RequestContext,
      b: { shiftId: number; capacity?: number | undefined; details: string | null },
    ) {
      const actor = actorOf(ctx);
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const s = await repo.shiftInfo(trx, b.shiftId);
        if (!s) throw notFound('shift');
        assertCan(actor, 'callouts.post', s.node_path);
        if (s.ends_at <= at) throw conflict('services.shift_over');
        if (await repo.calloutOfShift(trx, s.id)) throw conflict('services.shift_called_out');
        const missing = s.required - Number(s.assigned);
        if (missing <= 0 && b.capacity === undefined) throw conflict('services.shift_covered');
        return insertCallout(trx, ctx, actor, {
          title: s.checkpoint_name,
          details: b.details,
          node_id: s.node_id,
          node_path: s.node_path,
          meeting_point: s.checkpoint_name,
          lat: s.lat,
          lng: s.lng,
          starts_at: s.starts_at,
          ends_at: s.ends_at,
          capacity: b.capacity ?? missing,
          skills: JSON.stringify(['guard_duty']),
          shift_id: s.id,
          org_id: null,
          status: 'open',
          posted_by: actor.userId,
          created_at: at,
          updated_at: at,
        });
      });
      poke();
      return this.callout(ctx, id);
    },

    /** One tap: a place if one is left (409 when full), never past the capacity. */
    async signUp(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const at = now();
      const signupId = await db
        .transaction()
        .execute(async (trx) => {
          const { c, me } = await loadCallout(trx, actor, id);
          if (!me || !holdsAnywhere(actor, 'callouts.join')) throw forbidden('not_volunteer');
          if (me.status !== 'active') throw conflict('services.volunteer_inactive');
          if (c.status !== 'open' || c.ends_at <= at) throw conflict('services.callout_closed');
          const mine = parseList<string>(me.skills);
          const missing = parseList<string>(c.skills).filter((s) => !mine.includes(s));
          if (missing.length > 0) throw conflict('services.callout_skills');
          const before = await repo.findSignup(trx, c.id, me.id);
          if (before && before.status !== 'withdrawn') throw conflict('services.signed_up_already');
          if (!(await repo.takePlace(trx, c.id)))
            throw conflict('services.callout_full', { capacity: c.capacity });
          let sid: number;
          if (before) {
            await repo.updateSignup(trx, before.id, ['withdrawn'], { status: 'signed_up', signed_at: at });
            sid = before.id;
          } else
            sid = (
              await repo.insertSignup(trx, {
                callout_id: c.id,
                volunteer_id: me.id,
                status: 'signed_up',
                signed_at: at,
              })
            ).id;
          if (c.shift_id !== null && me.user_id !== null)
            await repo.assignToShift(
              trx,
              c.shift_id,
              me.user_id,
              me.party_member ? 'party_member' : 'volunteer',
              at,
            );
          await audit(trx, ctx, {
            action: 'callout.signup',
            entityType: 'callout',
            entityId: c.id,
            nodePath: c.node_path,
            detail: { volunteerId: me.id },
          });
          return sid;
        })
        .catch((e: unknown) => {
          // The same volunteer twice at once: the second finds the first's row.
          if (isUniqueViolation(e)) throw conflict('services.signed_up_already');
          throw e;
        });
      poke();
      return toSignupView(await repo.signupWithName(db, signupId));
    },

    async withdraw(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const { c, me } = await loadCallout(trx, actor, id);
        const s = me ? await repo.findSignup(trx, c.id, me.id) : undefined;
        if (!me || !s) throw notFound('signup');
        if (c.starts_at <= at) throw conflict('services.callout_started');
        if (!(await repo.updateSignup(trx, s.id, ['signed_up'], { status: 'withdrawn' })))
          throw conflict('services.signup_state');
        await repo.releasePlace(trx, c.id);
        if (c.shift_id !== null && me.user_id !== null)
          await repo.unassignFromShift(trx, c.shift_id, me.user_id);
        await audit(trx, ctx, {
          action: 'callout.withdraw',
          entityType: 'callout',
          entityId: c.id,
          nodePath: c.node_path,
          detail: { volunteerId: me.id },
        });
      });
      poke();
      return this.callout(ctx, id);
    },

    async checkIn(ctx: RequestContext, id: number, pos: { lat: number | null; lng: number | null }) {
      const actor = actorOf(ctx);
      const at = now();
      const signupId = await db.transaction().execute(async (trx) => {
        const { c, me } = await loadCallout(trx, actor, id);
        const s = me ? await repo.findSignup(trx, c.id, me.id) : undefined;
        if (!me || !s) throw notFound('signup');
        if (c.status !== 'open') throw conflict('services.callout_closed');
        const opens = plusMs(c.starts_at, -SL.checkInEarlyMinutes * MINUTE);
        // Said as the district's clock reads it (Asia/Shanghai, UTC+8).
        if (at < opens)
          throw conflict('services.check_in_early', {
            opens: new Date(Date.parse(opens) + 8 * HOUR).toISOString().slice(11, 16),
          });
        if (at >= c.ends_at) throw conflict('services.callout_closed');
        if (
          !(await repo.updateSignup(trx, s.id, ['signed_up'], {
            status: 'checked_in',
            checked_in_at: at,
            in_lat: pos.lat,
            in_lng: pos.lng,
          }))
        )
          throw conflict('services.signup_state');
        await audit(trx, ctx, {
          action: 'callout.check_in',
          entityType: 'callout',
          entityId: c.id,
          nodePath: c.node_path,
          detail: { volunteerId: me.id },
        });
        return s.id;
      });
      poke();
      return toSignupView(await repo.signupWithName(db, signupId));
    },

    /** Checking out credits the minutes on site (up to the call-out's length and a grace hour). */
    async checkOut(ctx: RequestContext, id: number, pos: { lat: number | null; lng: number | null }) {
      const actor = actorOf(ctx);
      const at = now();
      const signupId = await db.transaction().execute(async (trx) => {
        const { c, me } = await loadCallout(trx, actor, id);
        const s = me ? await repo.findSignup(trx, c.id, me.id) : undefined;
        if (!me || !s) throw notFound('signup');
        if (s.status !== 'checked_in' || s.checked_in_at === null) throw conflict('services.signup_state');
        const cap = (Date.parse(c.ends_at) - Date.parse(c.starts_at)) / MINUTE + SL.graceMinutes;
        const minutes = Math.max(
          0,
          Math.min(cap, Math.round((Date.parse(at) - Date.parse(s.checked_in_at)) / MINUTE)),
        );
        if (
          !(await repo.updateSignup(trx, s.id, ['checked_in'], {
            status: 'done',
            checked_out_at: at,
            out_lat: pos.lat,
            out_lng: pos.lng,
            minutes,
          }))
        )
          throw conflict('services.signup_state');
        await credit(trx, me, at, minutes);
        await audit(trx, ctx, {
          action: 'callout.check_out',
          entityType: 'callout',
          entityId: c.id,
          nodePath: c.node_path,
          detail: { volunteerId: me.id, minutes },
        });
        return s.id;
      });
      poke();
      return toSignupView(await repo.signupWithName(db, signupId));
    },

    /** Closing: whoever signed up and never came is recorded a no-show. */
    async closeCallout(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const c = await repo.findCallout(trx, id);
        if (!c) throw notFound('callout');
        assertCan(actor, 'callouts.post', c.node_path);
        if (!(await closeIn(trx, ctx, c, at, false))) throw conflict('services.callout_closed');
      });
      poke();
      return this.callout(ctx, id);
    },

    async cancelCallout(ctx: RequestContext, id: number, reason: string) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const c = await repo.findCallout(trx, id);
        if (!c) throw notFound('callout');
        assertCan(actor, 'callouts.post', c.node_path);
        if (c.starts_at <= at) throw conflict('services.callout_started');
        if (!(await repo.setCalloutStatus(trx, c.id, 'open', 'cancelled', at)))
          throw conflict('services.callout_closed');
        await bumpCounters(trx, c.node_path, { [SERVICES_METRICS.calloutsOpen]: -1 });
        const signed = await repo.signedUpOf(trx, c.id);
        for (const s of signed) await repo.updateSignup(trx, s.id, ['signed_up'], { status: 'withdrawn' });
        const users = given(signed.map((s) => s.user_id));
        if (c.shift_id !== null) for (const u of users) await repo.unassignFromShift(trx, c.shift_id, u);
        await notify(trx, users, {
          at,
          kind: 'callout.cancelled',
          message: msg('notification.callout.cancelled', { title: c.title }),
          entityType: 'callout',
          entityId: c.id,
        });
        await audit(trx, ctx, {
          action: 'callout.cancel',
          entityType: 'callout',
          entityId: c.id,
          nodePath: c.node_path,
          detail: { reason },
        });
      });
      poke();
      return this.callout(ctx, id);
    },

    // ---------------------------------------------------------------- service requests
    async requests(
      ctx: RequestContext,
      q: {
        node?: number | undefined;
        status?: RequestRow['status'] | undefined;
        mine?: '1' | undefined;
        escalated?: '1' | undefined;
        page: number;
        pageSize: number;
      },
    ) {
      const actor = actorOf(ctx);
      let f: repo.RequestFilter;
      if (q.mine) {
        const me = await repo.volunteerOfUser(db, actor.userId);
        if (!me) throw notFound('volunteer');
        f = { scopes: null, under: null, volunteerId: me.id, status: q.status };
      } else {
        const scopes = readScopes(actor);
        if (scopes.length === 0) throw forbidden();
        const under = q.node === undefined ? null : (await listNode(db, scopes, q.node)).path;
        f = { scopes, under, status: q.status, escalated: q.escalated === '1' };
      }
      const { rows, total } = await repo.listRequests(db, f, q.page, q.pageSize);
      return { items: await requestViews(db, actor, rows), total, page: q.page, pageSize: q.pageSize };
    },

    async request(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const { r, me } = await loadRequest(db, actor, id);
      return (await requestViews(db, actor, [r], { me }))[0]!;
    },

    async createRequest(ctx: RequestContext, b: z.infer<typeof createRequestBody>) {
      const actor = actorOf(ctx);
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const p = await repo.personForTask(trx, b.personId);
        if (!p || p.merged_into_id !== null) throw notFound('person');
        assertCan(actor, 'service_requests.raise', p.node_path);
        return raiseRequest(trx, ctx, {
          person: p,
          kind: b.kind,
          details: b.details,
          source: can(actor, 'volunteers.manage', p.node_path) ? 'coordinator' : 'grid_worker',
          followUpId: null,
          createdBy: actor.userId,
          at,
        });
      });
      poke();
      return this.request(ctx, id);
    },

    /** A resident asking for themselves: found by name and ID number under the place they chose. */
    async publicRequest(ctx: RequestContext, b: z.infer<typeof publicRequestBody>) {
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const node = await findNode(trx, b.nodeId);
        if (!node) throw notFound('node');
        const p = await repo.personByIdBidx(trx, pii.blindIndex('id', b.idNumber));
        // One answer whether the ID is unknown, elsewhere or under another name: nothing is learnt.
        if (!p || p.name !== b.name || !isWithin(p.node_path, node.path))
          throw badRequest('services.resident_not_found');
        return raiseRequest(
          trx,
          { ...ctx, actor: null },
          {
            person: p,
            kind: b.kind,
            details: b.details,
            source: 'public',
            followUpId: null,
            createdBy: null,
            at,
          },
        );
      });
      poke();
      return { reference: requestReference(id) };
    },

    async suggestions(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const r = await repo.findRequest(db, id);
      if (!r) throw notFound('service_request');
      assertCan(actor, 'services.assign', r.node_path);
      const found = await repo.candidatesUnder(db, townOf(r.node_path), 200);
      const skill = KIND_SKILL[r.kind];
      const names = await namesFor(db, { nodes: found.map((c) => c.home_node_id) });
      const depth = (p: string) => ancestorPaths(p).filter((a) => isWithin(r.node_path, a)).length;
      const items = found
        .map((c) => ({
          volunteer: { id: c.id, name: c.name },
          home: names.node(c.home_node_id),
          skillMatch: parseList<string>(c.skills).includes(skill),
          openTasks: Number(c.open_tasks),
          near: depth(c.home_path),
        }))
        .sort(
          (a, b) =>
            b.near - a.near || Number(b.skillMatch) - Number(a.skillMatch) || a.openTasks - b.openTasks,
        )
        .slice(0, 20)
        .map(({ near: _n, ...rest }) => rest);
      return { items };
    },

    async assignRequest(ctx: RequestContext, id: number, volunteerId: number) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const r = await repo.findRequest(trx, id);
        if (!r) throw notFound('service_request');
        assertCan(actor, 'services.assign', r.node_path);
        const v = await repo.findVolunteer(trx, volunteerId);
        if (!v) throw notFound('volunteer');
        if (v.status !== 'active' || v.user_id === null) throw conflict('services.volunteer_inactive');
        if (
          !(await repo.updateRequest(trx, r.id, ['open', 'assigned'], {
            status: 'assigned',
            volunteer_id: v.id,
            org_id: v.org_id,
            respond_by: plusMs(at, RESPOND_HOURS[r.kind] * HOUR),
            updated_at: at,
          }))
        )
          throw conflict('services.request_state');
        await notify(trx, [v.user_id], {
          at,
          kind: 'service_request.assigned',
          message: msg('notification.service_request.assigned', { reference: requestReference(r.id) }),
          entityType: 'service_request',
          entityId: r.id,
        });
        await audit(trx, ctx, {
          action: 'service_request.assign',
          entityType: 'service_request',
          entityId: r.id,
          nodePath: r.node_path,
          detail: { volunteerId: v.id },
        });
      });
      poke();
      return this.request(ctx, id);
    },

    async acceptRequest(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const { r, me } = await loadRequest(trx, actor, id);
        if (!me || r.volunteer_id !== me.id) throw forbidden();
        if (
          !(await repo.updateRequest(trx, r.id, ['assigned'], {
            status: 'accepted',
            accepted_at: at,
            updated_at: at,
          }))
        )
          throw conflict('services.request_state');
        await audit(trx, ctx, {
          action: 'service_request.accept',
          entityType: 'service_request',
          entityId: r.id,
          nodePath: r.node_path,
        });
      });
      poke();
      return this.request(ctx, id);
    },

    /** Declined: matched again to the next nearest, or left open for the coordinators. */
    async declineRequest(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const { r, me } = await loadRequest(trx, actor, id);
        if (!me || r.volunteer_id !== me.id) throw forbidden();
        const next = await matchVolunteer(trx, r.node_path, r.kind, r.escalation_level, me.id);
        if (
          !(await repo.updateRequest(trx, r.id, ['assigned'], {
            status: next ? 'assigned' : 'open',
            volunteer_id: next?.id ?? null,
            org_id: next?.org_id ?? null,
            updated_at: at,
          }))
        )
          throw conflict('services.request_state');
        if (next?.user_id)
          await notify(trx, [next.user_id], {
            at,
            kind: 'service_request.assigned',
            message: msg('notification.service_request.assigned', { reference: requestReference(r.id) }),
            entityType: 'service_request',
            entityId: r.id,
          });
        await audit(trx, ctx, {
          action: 'service_request.decline',
          entityType: 'service_request',
          entityId: r.id,
          nodePath: r.node_path,
          detail: { volunteerId: me.id, next: next?.id ?? null },
        });
      });
      poke();
      // The decliner no longer holds it: they are answered what they may still see.
      return { ok: true as const };
    },

    async completeRequest(
      ctx: RequestContext,
      id: number,
      b: { note: string; minutes: number },
      photo: { data: Buffer; mime: string } | null,
    ) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const { r, me } = await loadRequest(trx, actor, id);
        const holder = me !== null && r.volunteer_id === me.id;
        if (!holder && !can(actor, 'services.assign', r.node_path)) throw forbidden();
        if (
          !(await repo.updateRequest(trx, r.id, ['accepted'], {
            status: 'done',
            done_at: at,
            done_note: b.note,
            minutes: b.minutes,
            photo: photo?.data ?? null,
            photo_mime: photo?.mime ?? null,
            photo_sha256: photo ? sha256(photo.data) : null,
            updated_at: at,
          }))
        )
          throw conflict('services.request_state');
        await closeRequestCount(trx, r);
        if (r.volunteer_id !== null && b.minutes > 0)
          await credit(trx, (await repo.findVolunteer(trx, r.volunteer_id))!, at, b.minutes);
        await audit(trx, ctx, {
          action: 'service_request.complete',
          entityType: 'service_request',
          entityId: r.id,
          nodePath: r.node_path,
          detail: { minutes: b.minutes, photo: photo ? sha256(photo.data) : null },
        });
      });
      poke();
      return this.request(ctx, id);
    },

    async requestPhoto(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      await loadRequest(db, actor, id);
      const row = await repo.requestPhoto(db, id);
      if (!row?.photo || !row.photo_mime) throw notFound('photo');
      return { data: row.photo, mime: row.photo_mime };
    },

    async rateRequest(ctx: RequestContext, id: number, score: number) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const r = await repo.findRequest(trx, id);
        if (!r) throw notFound('service_request');
        if (!can(actor, 'service_requests.raise', r.node_path) && !can(actor, 'services.assign', r.node_path))
          throw forbidden();
        if (!(await repo.setSatisfaction(trx, r.id, score, at))) throw conflict('services.request_state');
        await audit(trx, ctx, {
          action: 'service_request.rate',
          entityType: 'service_request',
          entityId: r.id,
          nodePath: r.node_path,
          detail: { score },
        });
      });
      poke();
      return this.request(ctx, id);
    },

    async cancelRequest(ctx: RequestContext, id: number, reason: string) {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const r = await repo.findRequest(trx, id);
        if (!r) throw notFound('service_request');
        if (!can(actor, 'service_requests.raise', r.node_path) && !can(actor, 'services.assign', r.node_path))
          throw forbidden();
        if (
          !(await repo.updateRequest(trx, r.id, ['open', 'assigned', 'accepted'], {
            status: 'cancelled',
            cancel_reason: reason,
            updated_at: at,
          }))
        )
          throw conflict('services.request_state');
        await closeRequestCount(trx, r);
        await audit(trx, ctx, {
          action: 'service_request.cancel',
          entityType: 'service_request',
          entityId: r.id,
          nodePath: r.node_path,
          detail: { reason },
        });
      });
      poke();
      return this.request(ctx, id);
    },

    /**
     * Requests nobody took by their deadline go up a level (village, town, district): matched again
     * more widely, and told to whoever assigns there. Runs on the scheduler.
     */
    async escalate(ctx: RequestContext) {
      const at = now();
      const due = await repo.requestsDue(db, at, 500);
      let escalated = 0;
      for (const d of due) {
        await db.transaction().execute(async (trx) => {
          const r = await repo.findRequest(trx, d.id);
          if (!r || (r.status !== 'open' && r.status !== 'assigned') || r.respond_by >= at) return;
          const level = Math.min(MAX_ESCALATION, r.escalation_level + 1);
          const next =
            r.status === 'open' ? await matchVolunteer(trx, r.node_path, r.kind, level, null) : null;
          const ok = await repo.updateRequest(trx, r.id, [r.status], {
            escalation_level: level,
            escalated_at: at,
            respond_by: plusMs(at, RESPOND_HOURS[r.kind] * HOUR),
            ...(next ? { status: 'assigned' as const, volunteer_id: next.id, org_id: next.org_id } : {}),
            updated_at: at,
          });
          if (!ok) return;
          escalated++;
          const up = ancestorPaths(r.node_path);
          // Level 1 the village or community, 2 the town or street, 3 the district.
          const place = up[Math.max(0, Math.min(up.length - 1, 3 - level))]!;
          const users = await usersAssignedAt(trx, [place], 'services.assign');
          if (next?.user_id) users.push(next.user_id);
          await notify(trx, [...new Set(users)], {
            at,
            kind: 'service_request.escalated',
            message: msg('notification.service_request.escalated', {
              reference: requestReference(r.id),
              level,
            }),
            entityType: 'service_request',
            entityId: r.id,
          });
          await audit(trx, ctx, {
            action: 'service_request.escalate',
            entityType: 'service_request',
            entityId: r.id,
            nodePath: r.node_path,
            detail: { level, volunteerId: next?.id ?? null },
          });
        });
      }
      // Call-outs over for half a day close by themselves (no-shows recorded as on closing).
      const stale = await repo.calloutsEndedBefore(db, plusMs(at, -12 * HOUR), 200);
      for (const s of stale)
        await db.transaction().execute(async (trx) => {
          const c = await repo.findCallout(trx, s.id);
          if (c) await closeIn(trx, ctx, c, at, true);
        });
      if (escalated > 0 || stale.length > 0) poke();
      return { escalated, closed: stale.length };
    },

    /**
     * A need found at a home-observation follow-up ("needs food"), raised in the follow-up's own
     * transaction and matched like any other; null when the person is gone from the registry.
     */
    async raiseFromFollowUp(
      trx: Executor,
      ctx: RequestContext,
      b: { personId: number; kind: RequestKind; followUpId: number; at: string },
    ) {
      const p = await repo.personForTask(trx, b.personId);
      if (!p || p.merged_into_id !== null) return null;
      return raiseRequest(trx, ctx, {
        person: p,
        kind: b.kind,
        // The follow-up's note is health data, shown only to whoever reads the order: the request
        // that reaches a volunteer and a coordinator carries the need alone.
        details: null,
        source: 'follow_up',
        followUpId: b.followUpId,
        createdBy: ctx.actor?.userId ?? null,
        at: b.at,
      });
    },

    // ---------------------------------------------------------------- care
    async careRules(ctx: RequestContext) {
      actorOf(ctx);
      const r = await rhythm(db);
      return { items: CARE_TAGS.map((tag) => ({ tag, everyDays: r[tag] })) };
    },

    async setCareRules(ctx: RequestContext, b: z.infer<typeof careRulesBody>) {
      const actor = actorOf(ctx);
      assertDistrictWide(actor, 'care_rules.manage');
      const at = now();
      await db.transaction().execute(async (trx) => {
        for (const r of b.rules) await repo.upsertCareRule(trx, r.tag, r.everyDays, actor.userId, at);
        const changed = await syncRoster(trx, localDate(at));
        await recordAudit(trx, ctx, {
          action: 'care.rules',
          entityType: 'care_rules',
          entityId: null,
          nodePath: null,
          detail: { rules: b.rules, ...changed },
        });
      });
      poke();
      return this.careRules(ctx);
    },

    async roster(
      ctx: RequestContext,
      q: {
        node?: number | undefined;
        overdue?: '1' | undefined;
        mine?: '1' | undefined;
        page: number;
        pageSize: number;
      },
    ) {
      const actor = actorOf(ctx);
      const today = localDate(now());
      let f: repo.RosterFilter;
      if (q.mine) {
        const me = await repo.volunteerOfUser(db, actor.userId);
        if (!me) throw notFound('volunteer');
        f = { scopes: null, under: null, visitorId: me.id };
      } else {
        const scopes = readScopes(actor);
        if (scopes.length === 0) throw forbidden();
        const under = q.node === undefined ? null : (await listNode(db, scopes, q.node)).path;
        f = { scopes, under };
      }
      if (q.overdue) f.overdueBefore = today;
      const { rows, total } = await repo.listRoster(db, f, q.page, q.pageSize);
      return { items: await rosterViews(db, actor, rows), total, page: q.page, pageSize: q.pageSize };
    },

    async overdue(ctx: RequestContext, q: { node?: number | undefined }) {
      const actor = actorOf(ctx);
      const scopes = readScopes(actor);
      if (scopes.length === 0) throw forbidden();
      // Every place the caller reads, or the one ?node= narrows to.
      const under = q.node === undefined ? scopes : [(await listNode(db, scopes, q.node)).path];
      const rows = await repo.overdueByGrid(db, under, localDate(now()));
      const names = await namesFor(db, { nodes: rows.map((r) => r.node_id) });
      return {
        items: rows
          .map((r) => ({
            node: names.node(r.node_id),
            onRoster: Number(r.on_roster),
            overdue: Number(r.overdue),
          }))
          .sort((a, b) => b.overdue - a.overdue || a.node.name.localeCompare(b.node.name)),
      };
    },

    async assignVisitor(ctx: RequestContext, id: number, b: z.infer<typeof assignVisitorBody>) {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        const r = await repo.findRoster(trx, id);
        if (!r) throw notFound('care_roster');
        assertCan(actor, 'services.assign', r.node_path);
        if (b.volunteerId !== null) {
          const v = await repo.findVolunteer(trx, b.volunteerId);
          if (!v) throw notFound('volunteer');
          if (v.status !== 'active') throw conflict('services.volunteer_inactive');
        }
        await repo.updateRoster(trx, r.id, { visitor_id: b.volunteerId });
        await audit(trx, ctx, {
          action: 'care.visitor',
          entityType: 'care_roster',
          entityId: r.id,
          nodePath: r.node_path,
          detail: { volunteerId: b.volunteerId },
        });
      });
      poke();
      const row = (await repo.findRoster(db, id))!;
      return (await rosterViews(db, actor, [row]))[0]!;
    },

    async recordVisit(
      ctx: RequestContext,
      id: number,
      b: {
        visitedOn?: string | undefined;
        note: string | null;
        lat: number | null;
        lng: number | null;
        need: RequestKind | null;
      },
    ) {
      const actor = actorOf(ctx);
      const at = now();
      const today = localDate(at);
      const out = await db.transaction().execute(async (trx) => {
        const r = await repo.findRoster(trx, id);
        if (!r) throw notFound('care_roster');
        const me = await repo.volunteerOfUser(trx, actor.userId);
        const visitor = me !== undefined && r.visitor_id === me.id;
        if (!visitor && !visitsAt(actor, r.node_path)) throw forbidden();
        const on = b.visitedOn ?? today;
        if (on > today) throw badRequest('services.visit_future', { today });
        if (on < r.started_on) throw badRequest('services.visit_before_roster', { start: r.started_on });
        const { id: visitId } = await repo.insertVisit(trx, {
          roster_id: r.id,
          volunteer_id: me?.id ?? null,
          user_id: actor.userId,
          visited_on: on,
          note: b.note,
          lat: b.lat,
          lng: b.lng,
          created_at: at,
        });
        const last = r.last_visit_on !== null && r.last_visit_on > on ? r.last_visit_on : on;
        const next = addDays(last, r.every_days);
        await repo.updateRoster(trx, r.id, { last_visit_on: last, next_due_on: next });
        let requestId: number | null = null;
        if (b.need !== null) {
          const p = (await repo.personForTask(trx, r.person_id))!;
          requestId = await raiseRequest(trx, ctx, {
            person: p,
            kind: b.need,
            details: b.note,
            source: 'carer',
            followUpId: null,
            createdBy: actor.userId,
            at,
          });
        }
        await audit(trx, ctx, {
          action: 'care.visit',
          entityType: 'care_roster',
          entityId: r.id,
          nodePath: r.node_path,
          detail: { visitedOn: on, requestId },
        });
        return { visitId, on, next, requestId };
      });
      poke();
      return {
        id: out.visitId,
        rosterId: id,
        visitedOn: out.on,
        visitor: actor.displayName ?? actor.username,
        note: b.note,
        nextDueOn: out.next,
        requestId: out.requestId,
      };
    },

    async syncRoster() {
      const changed = await db.transaction().execute((trx) => syncRoster(trx, localDate(now())));
      if (changed.added + changed.changed + changed.removed > 0) poke();
      return changed;
    },

    // ---------------------------------------------------------------- hours
    async rankings(ctx: RequestContext, q: z.infer<typeof rankingQuery>) {
      const actor = actorOf(ctx);
      const scopes = readScopes(actor);
      if (scopes.length === 0) throw forbidden();
      const narrowed = q.node === undefined ? scopes : [(await listNode(db, scopes, q.node)).path];
      const rows =
        q.by === 'org'
          ? (await repo.rankOrgs(db, { scopes: narrowed, period: q.period, limit: q.limit })).map((r) => ({
              ...r,
              org_name: null,
            }))
          : await repo.rankVolunteers(db, {
              scopes: narrowed,
              period: q.period,
              orgId: q.org,
              limit: q.limit,
            });
      return {
        items: rows.map((r, i) => ({
          rank: i + 1,
          id: r.id,
          name: r.name,
          org: r.org_name,
          hours: minutesToHours(Number(r.minutes)),
        })),
      };
    },

    /** The rankings as a workbook, headed in the language asked. */
    async rankingsWorkbook(ctx: RequestContext, q: z.infer<typeof rankingQuery>) {
      const { items } = await this.rankings(ctx, q);
      const lang = ctx.lang ?? DEFAULT_LANG;
      const h = (c: MessageCode) => renderMessage(c, undefined, lang);
      const head =
        q.by === 'org'
          ? [h('services.hours.col.rank'), h('services.hours.col.org_name'), h('services.hours.col.hours')]
          : [
              h('services.hours.col.rank'),
              h('services.hours.col.name'),
              h('services.hours.col.org'),
              h('services.hours.col.hours'),
            ];
      const rows = items.map((i) =>
        q.by === 'org' ? [i.rank, i.name, i.hours] : [i.rank, i.name, i.org, i.hours],
      );
      return {
        file: await writeWorkbook(h('services.hours.sheet'), head, rows),
        name: `volunteer-hours-${q.period}-${q.by}.xlsx`,
      };
    },

    /** What a certificate carries: the volunteer, their organisation, their hours in all and by year. */
    async certificateData(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const v = await loadVolunteer(db, actor, id);
      const months = await repo.hoursByMonth(db, v.id);
      const org = v.org_id === null ? null : await repo.findOrg(db, v.org_id);
      const district = await repo.districtName(db);
      const byYear = new Map<string, number>();
      for (const m of months)
        byYear.set(m.month.slice(0, 4), (byYear.get(m.month.slice(0, 4)) ?? 0) + m.minutes);
      return {
        id: v.id,
        name: v.name,
        org: org?.name ?? null,
        district: district ?? '',
        minutes: v.minutes_total,
        years: [...byYear.entries()].map(([year, minutes]) => ({ year, minutes })),
        issuedAt: now(),
      };
    },
  };

  /**
   * Makes the roster match the registry's care tags: one row a person, the tag whose rhythm is the
   * shortest; a new row is first due a rhythm after today, a changed rhythm counts from the last
   * visit (or the start); people no longer tagged leave it.
   */
  async function syncRoster(trx: Executor, today: string) {
    const days = await rhythm(trx);
    const tagged = await repo.taggedPeople(trx, CARE_TAGS);
    const want = new Map<number, { node_id: number; node_path: string; tag: CareTag; every: number }>();
    for (const t of tagged) {
      const tag = t.tag_code as CareTag;
      const cur = want.get(t.id);
      if (
        !cur ||
        days[tag] < cur.every ||
        (days[tag] === cur.every && CARE_TAGS.indexOf(tag) < CARE_TAGS.indexOf(cur.tag))
      )
        want.set(t.id, { node_id: t.node_id, node_path: t.node_path, tag, every: days[tag] });
    }
    const have = await repo.rosterRows(trx);
    const seen = new Set<number>();
    let changed = 0;
    const gone: number[] = [];
    for (const h of have) {
      const w = want.get(h.person_id);
      if (!w) {
        gone.push(h.id);
        continue;
      }
      seen.add(h.person_id);
      if (w.tag !== h.tag_code || w.every !== h.every_days) {
        await repo.updateRoster(trx, h.id, {
          tag_code: w.tag,
          every_days: w.every,
          next_due_on: addDays(h.last_visit_on ?? h.started_on, w.every),
        });
        changed++;
      }
    }
    const fresh = [...want.entries()]
      .filter(([pid]) => !seen.has(pid))
      .map(([pid, w]) => ({
        person_id: pid,
        tag_code: w.tag,
        every_days: w.every,
        node_id: w.node_id,
        node_path: w.node_path,
        visitor_id: null,
        started_on: today,
        last_visit_on: null,
        next_due_on: addDays(today, w.every),
      }));
    await repo.insertRoster(trx, fresh);
    await repo.deleteRoster(trx, gone);
    return { added: fresh.length, changed, removed: gone.length };
  }
}

export type ServicesService = ReturnType<typeof createServicesService>;

/** Care visits overdue (due before today) under a node and each child: the cockpit's figure, from the due-day index. */
export function careOverdueUnder(x: Executor, paths: readonly string[], today: string) {
  return repo.countOverdueByPlace(x, paths, today);
}
