// Joint mediation's SQL: organisations, mediators, cases and their parties, evidence, sessions,
// messages, agreements and signatures, confirmations, hearings and follow-ups. Lists filter by the
// caller's scopes here, in SQL; the figures for the statistics are aggregated here too.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { daysBetweenSql, dialectOf, subtreeRange } from '../../db/dialect.js';
import type { Executor } from '../../db/index.js';
import { insertRows } from '../../db/insert-rows.js';
import type {
  MediationAgreementsTable,
  MediationCasesTable,
  MediationConfirmationsTable,
  MediationEvidenceTable,
  MediationFollowUpsTable,
  MediationMessagesTable,
  MediationOrgsTable,
  MediationPartiesTable,
  MediationSessionsTable,
  MediationSignaturesTable,
  MediatorsTable,
  MicroHearingsTable,
} from '../../db/schema.js';
import { ancestorPaths } from '../../../common/tree.js';
import { inScopes } from '../../platform/actor.js';

// Multi-row inserts whose SQL is written once per shape (a wage case's 77 parties, 79 signatures).
const partyInsert = insertRows('mediation_parties');
const signatureInsert = insertRows('mediation_signatures');
const followUpInsert = insertRows('mediation_follow_ups');

export type CaseRow = Selectable<MediationCasesTable>;
export type PartyRow = Selectable<MediationPartiesTable>;
export type AgreementRow = Selectable<MediationAgreementsTable>;
export type SessionRow = Selectable<MediationSessionsTable>;
export type HearingRow = Selectable<MicroHearingsTable>;

// ------------------------------------------------------------------ organisations and mediators
export function orgsIn(x: Executor, scopes: readonly string[], kind?: string, under?: string, id?: number) {
  let q = x
    .selectFrom('mediation_orgs as o')
    .innerJoin('nodes as n', 'n.id', 'o.node_id')
    .leftJoin('users as u', 'u.id', 'o.in_charge_user_id')
    .select([
      'o.id',
      'o.kind',
      'o.name',
      'o.node_id',
      'n.name as node_name',
      'o.address',
      'o.equipment',
      'o.hours',
      'o.in_charge_user_id',
      'u.display_name as in_charge_name',
      (eb) =>
        eb
          .selectFrom('mediators as m')
          .select((e) => e.fn.countAll<number>().as('c'))
          .whereRef('m.org_id', '=', 'o.id')
          .as('mediators'),
    ])
    .where((eb) => inScopes(eb, 'o.node_path', scopes));
  if (kind) q = q.where('o.kind', '=', kind as never);
  if (id !== undefined) q = q.where('o.id', '=', id);
  if (under) {
    const [lo, hi] = subtreeRange(under);
    q = q.where('o.node_path', '>=', lo).where('o.node_path', '<', hi);
  }
  return q.orderBy('o.node_path').orderBy('o.id').execute();
}
export function findOrg(x: Executor, id: number) {
  return x.selectFrom('mediation_orgs').selectAll().where('id', '=', id).executeTakeFirst();
}
/**
 * Lock an organisation's row (PostgreSQL; SQLite writes one at a time): two bookings of a point's
 * computer, or two dossier numbers of a committee, are decided one at a time.
 */
export async function lockOrg(x: Executor, id: number, postgres: boolean) {
  if (postgres) await sql`select id from mediation_orgs where id = ${id} for update`.execute(x);
}
export async function insertOrg(x: Executor, v: Insertable<MediationOrgsTable>) {
  return (await x.insertInto('mediation_orgs').values(v).returning('id').executeTakeFirstOrThrow()).id;
}
/** The committee of a node (the case's place): its own, else the nearest above. */
export function committeeFor(x: Executor, ancestorPaths: readonly string[]) {
  return x
    .selectFrom('mediation_orgs')
    .selectAll()
    .where('kind', '=', 'committee')
    .where('node_path', 'in', [...ancestorPaths])
    .orderBy(sql`length(node_path)`, 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function mediatorsWhere(
  x: Executor,
  f: { scopes?: readonly string[]; ids?: number[]; userId?: number },
) {
  let q = x
    .selectFrom('mediators as m')
    .innerJoin('mediation_orgs as o', 'o.id', 'm.org_id')
    .innerJoin('nodes as n', 'n.id', 'o.node_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([
      'm.id',
      'm.user_id',
      'u.display_name as name',
      'm.org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.node_id',
      'o.node_path',
      'n.name as node_name',
      'm.specialties',
      'm.qualification',
      'm.profile',
      (eb) =>
        eb
          .selectFrom('mediation_cases as c')
          .select((e) => e.fn.countAll<number>().as('c'))
          .whereRef('c.mediator_id', '=', 'm.id')
          .where('c.status', 'in', ['received', 'mediating', 'signing'])
          .as('load'),
    ]);
  if (f.scopes) {
    const scopes = f.scopes;
    q = q.where((eb) => inScopes(eb, 'o.node_path', scopes));
  }
  if (f.ids) q = q.where('m.id', 'in', f.ids.length ? f.ids : [0]);
  if (f.userId !== undefined) q = q.where('m.user_id', '=', f.userId);
  return q.orderBy('o.node_path').orderBy('m.id').execute();
}
export async function insertMediator(x: Executor, v: Insertable<MediatorsTable>) {
  return (await x.insertInto('mediators').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

// ------------------------------------------------------------------ cases
export async function nextDossierSeq(x: Executor, orgId: number, year: number) {
  const r = await x
    .selectFrom('mediation_cases')
    .select((eb) => eb.fn.max('dossier_seq').as('s'))
    .where('org_id', '=', orgId)
    .where('dossier_year', '=', year)
    .executeTakeFirst();
  return Number(r?.s ?? 0) + 1;
}
export async function insertCase(x: Executor, v: Insertable<MediationCasesTable>) {
  return (await x.insertInto('mediation_cases').values(v).returning('id').executeTakeFirstOrThrow()).id;
}
export function findCase(x: Executor, id: number) {
  return x.selectFrom('mediation_cases').selectAll().where('id', '=', id).executeTakeFirst();
}
export function updateCase(x: Executor, id: number, v: Updateable<MediationCasesTable>) {
  return x.updateTable('mediation_cases').set(v).where('id', '=', id).execute();
}
export async function insertParties(x: Executor, rows: Insertable<MediationPartiesTable>[]) {
  await partyInsert(x, rows);
}
export function partiesOf(x: Executor, caseId: number) {
  return x.selectFrom('mediation_parties').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
}
export function partyByAccess(x: Executor, hash: string) {
  return x.selectFrom('mediation_parties').selectAll().where('access_hash', '=', hash).executeTakeFirst();
}
export function updateParty(x: Executor, id: number, v: Updateable<MediationPartiesTable>) {
  return x.updateTable('mediation_parties').set(v).where('id', '=', id).execute();
}

export interface CaseFilter {
  scopes: readonly string[];
  under?: string;
  status?: string;
  mediatorUserId?: number;
}
function caseQuery(x: Executor, f: CaseFilter) {
  let q = x.selectFrom('mediation_cases as c').where((eb) => inScopes(eb, 'c.node_path', f.scopes));
  if (f.under) {
    const [lo, hi] = subtreeRange(f.under);
    q = q.where('c.node_path', '>=', lo).where('c.node_path', '<', hi);
  }
  if (f.status) q = q.where('c.status', '=', f.status);
  if (f.mediatorUserId !== undefined) {
    const uid = f.mediatorUserId;
    q = q.where('c.mediator_id', 'in', (eb) =>
      eb.selectFrom('mediators').select('mediators.id').where('mediators.user_id', '=', uid),
    );
  }
  return q;
}
/** One case with the names a view shows. */
export function caseWithNames(x: Executor, id: number) {
  return x
    .selectFrom('mediation_cases as c')
    .innerJoin('nodes as n', 'n.id', 'c.node_id')
    .innerJoin('mediation_orgs as o', 'o.id', 'c.org_id')
    .leftJoin('mediators as m', 'm.id', 'c.mediator_id')
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .selectAll('c')
    .select(['n.name as node_name', 'o.name as org_name', 'u.display_name as mediator_name'])
    .where('c.id', '=', id)
    .execute();
}
export async function nodeAt(x: Executor, path: string) {
  return x.selectFrom('nodes').selectAll().where('path', '=', path).executeTakeFirstOrThrow();
}
export function childrenOf(x: Executor, nodeId: number) {
  return x
    .selectFrom('nodes')
    .select(['id', 'name', 'path'])
    .where('parent_id', '=', nodeId)
    .orderBy('path')
    .execute();
}
export async function countCases(x: Executor, f: CaseFilter) {
  const r = await caseQuery(x, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
export function listCases(x: Executor, f: CaseFilter, limit: number, offset: number) {
  return caseQuery(x, f)
    .innerJoin('nodes as n', 'n.id', 'c.node_id')
    .innerJoin('mediation_orgs as o', 'o.id', 'c.org_id')
    .leftJoin('mediators as m', 'm.id', 'c.mediator_id')
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .selectAll('c')
    .select(['n.name as node_name', 'o.name as org_name', 'u.display_name as mediator_name'])
    .orderBy('c.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}
/** For a list's lines: each case's party counts, its first applicant and respondent, its next session. */
export async function caseLines(x: Executor, ids: number[]) {
  if (ids.length === 0) return { parties: [], sessions: [] };
  const parties = await x
    .selectFrom('mediation_parties')
    .select(['case_id', 'side', 'name', 'seq'])
    .where('case_id', 'in', ids)
    .orderBy('case_id')
    .orderBy('seq')
    .execute();
  const sessions = await x
    .selectFrom('mediation_sessions')
    .select(['case_id', (eb) => eb.fn.min('starts_at').as('next')])
    .where('case_id', 'in', ids)
    .where('status', '=', 'scheduled')
    .groupBy('case_id')
    .execute();
  return { parties, sessions };
}

// ------------------------------------------------------------------ evidence, sessions, messages
export function evidenceOf(x: Executor, caseId: number) {
  return x
    .selectFrom('mediation_evidence')
    .select(['id', 'name', 'sha256', 'size', 'party_id', 'created_at', 'mime'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}
export function findEvidence(x: Executor, id: number) {
  return x.selectFrom('mediation_evidence').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function insertEvidence(x: Executor, v: Insertable<MediationEvidenceTable>) {
  return (await x.insertInto('mediation_evidence').values(v).returning('id').executeTakeFirstOrThrow()).id;
}
export function sessionsOf(x: Executor, caseId: number) {
  return x
    .selectFrom('mediation_sessions as s')
    .leftJoin('mediation_orgs as o', 'o.id', 's.point_id')
    .selectAll('s')
    .select('o.name as point_name')
    .where('s.case_id', '=', caseId)
    .orderBy('s.starts_at')
    .execute();
}
/** One session with its point's name: what scheduling it answers. */
export function sessionWithPoint(x: Executor, id: number) {
  return x
    .selectFrom('mediation_sessions as s')
    .leftJoin('mediation_orgs as o', 'o.id', 's.point_id')
    .selectAll('s')
    .select('o.name as point_name')
    .where('s.id', '=', id)
    .executeTakeFirstOrThrow();
}
export async function insertSession(x: Executor, v: Insertable<MediationSessionsTable>) {
  return (await x.insertInto('mediation_sessions').values(v).returning('id').executeTakeFirstOrThrow()).id;
}
export function findSession(x: Executor, id: number) {
  return x.selectFrom('mediation_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}
export function updateSession(x: Executor, id: number, v: Updateable<MediationSessionsTable>) {
  return x.updateTable('mediation_sessions').set(v).where('id', '=', id).execute();
}
/** The sessions of a mediator (by user) from a time on: their day's work. */
export function sessionsOfMediator(x: Executor, userId: number, from: string, to: string) {
  return x
    .selectFrom('mediation_sessions as s')
    .innerJoin('mediation_cases as c', 'c.id', 's.case_id')
    .innerJoin('mediators as m', 'm.id', 'c.mediator_id')
    .leftJoin('mediation_orgs as o', 'o.id', 's.point_id')
    .select([
      's.id',
      's.case_id',
      's.starts_at',
      's.mode',
      's.kind',
      's.point_id',
      'o.name as point_name',
      'c.dossier_no',
    ])
    .where('m.user_id', '=', userId)
    .where('s.status', '=', 'scheduled')
    .where('s.starts_at', '>=', from)
    .where('s.starts_at', '<', to)
    .orderBy('s.starts_at')
    .execute();
}
/**
 * The messages a reader may see: the mediator all of them; a party those to everyone, their own,
 * and the mediator's to them.
 */
export function messagesOf(x: Executor, caseId: number, partyId: number | null, id?: number) {
  let q = x
    .selectFrom('mediation_messages as msg')
    .leftJoin('mediation_parties as p', 'p.id', 'msg.party_id')
    .leftJoin('users as u', 'u.id', 'msg.user_id')
    .select([
      'msg.id',
      'msg.party_id',
      'msg.to_all',
      'msg.body',
      'msg.created_at',
      'p.name as party_name',
      'u.display_name as user_name',
    ])
    .where('msg.case_id', '=', caseId);
  if (id !== undefined) q = q.where('msg.id', '=', id);
  if (partyId !== null)
    q = q.where((eb) =>
      eb.or([
        eb('msg.to_all', '=', 1),
        eb('msg.party_id', '=', partyId),
        eb('msg.to_party_id', '=', partyId),
      ]),
    );
  return q.orderBy('msg.id').execute();
}
export async function insertMessage(x: Executor, v: Insertable<MediationMessagesTable>) {
  return (await x.insertInto('mediation_messages').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

// ------------------------------------------------------------------ agreements and signatures
export async function insertAgreement(x: Executor, v: Insertable<MediationAgreementsTable>) {
  return (await x.insertInto('mediation_agreements').values(v).returning('id').executeTakeFirstOrThrow()).id;
}
export function findAgreement(x: Executor, id: number) {
  return x.selectFrom('mediation_agreements').selectAll().where('id', '=', id).executeTakeFirst();
}
export function currentAgreement(x: Executor, caseId: number) {
  return x
    .selectFrom('mediation_agreements')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', '!=', 'void')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}
export function agreementByPdfHash(x: Executor, hash: string) {
  return x
    .selectFrom('mediation_agreements')
    .select(['id', 'status'])
    .where('pdf_sha256', '=', hash)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}
export function updateAgreement(x: Executor, id: number, v: Updateable<MediationAgreementsTable>) {
  return x.updateTable('mediation_agreements').set(v).where('id', '=', id).execute();
}
export async function insertSignatures(x: Executor, rows: Insertable<MediationSignaturesTable>[]) {
  await signatureInsert(x, rows);
}
export function signaturesOf(x: Executor, agreementId: number) {
  return x
    .selectFrom('mediation_signatures')
    .selectAll()
    .where('agreement_id', '=', agreementId)
    .orderBy('id')
    .execute();
}
export function signatureByLink(x: Executor, hash: string) {
  return x.selectFrom('mediation_signatures').selectAll().where('link_hash', '=', hash).executeTakeFirst();
}
/** Marks one signature signed unless it already is; answers whether this call signed it. */
export async function markSigned(
  x: Executor,
  id: number,
  v: { method: 'online' | 'assisted'; checked_by_user_id: number | null; signed_at: string },
) {
  const r = await x
    .updateTable('mediation_signatures')
    .set({ ...v, link_hash: null })
    .where('id', '=', id)
    .where('signed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
export async function unsignedCount(x: Executor, agreementId: number) {
  const r = await x
    .selectFrom('mediation_signatures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('agreement_id', '=', agreementId)
    .where('signed_at', 'is', null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
export function setLinkHash(x: Executor, signatureId: number, hash: string) {
  return x
    .updateTable('mediation_signatures')
    .set({ link_hash: hash })
    .where('id', '=', signatureId)
    .execute();
}
/** Agreements of cases in scope, or submitted for confirmation to the given courts. */
export function agreementsWhere(
  x: Executor,
  f: { scopes: readonly string[]; courts: number[]; status?: string; confirmation?: string },
) {
  let q = x
    .selectFrom('mediation_agreements as a')
    .innerJoin('mediation_cases as c', 'c.id', 'a.case_id')
    .leftJoin('mediation_confirmations as f', 'f.agreement_id', 'a.id')
    .select([
      'a.id',
      'a.case_id',
      'a.status',
      'a.content_sha256',
      'a.pdf_sha256',
      'a.created_at',
      'a.effective_at',
      'c.dossier_no',
      'c.node_path',
      'f.id as confirmation_id',
      (eb) =>
        eb
          .selectFrom('mediation_signatures as s')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('s.agreement_id', '=', 'a.id')
          .where('s.signed_at', 'is not', null)
          .as('signed'),
      (eb) =>
        eb
          .selectFrom('mediation_signatures as s')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('s.agreement_id', '=', 'a.id')
          .as('to_sign'),
    ])
    .where((eb) =>
      eb.or([
        inScopes(eb, 'c.node_path', f.scopes),
        eb('f.court_id', 'in', f.courts.length ? f.courts : [0]),
      ]),
    );
  if (f.status) q = q.where('a.status', '=', f.status as never);
  if (f.confirmation) q = q.where('f.status', '=', f.confirmation as never);
  return q.orderBy('a.id', 'desc').limit(500).execute();
}

// ------------------------------------------------------------------ confirmations
export async function insertConfirmation(x: Executor, v: Insertable<MediationConfirmationsTable>) {
  return (await x.insertInto('mediation_confirmations').values(v).returning('id').executeTakeFirstOrThrow())
    .id;
}
export function findConfirmation(x: Executor, id: number) {
  return x.selectFrom('mediation_confirmations').selectAll().where('id', '=', id).executeTakeFirst();
}
export function confirmationOf(x: Executor, agreementId: number) {
  return x
    .selectFrom('mediation_confirmations')
    .selectAll()
    .where('agreement_id', '=', agreementId)
    .executeTakeFirst();
}
export function updateConfirmation(x: Executor, id: number, v: Updateable<MediationConfirmationsTable>) {
  return x.updateTable('mediation_confirmations').set(v).where('id', '=', id).execute();
}
export function confirmationsWhere(
  x: Executor,
  f: { scopes: readonly string[]; courts: number[]; status?: string },
) {
  let q = x
    .selectFrom('mediation_confirmations as f')
    .innerJoin('mediation_agreements as a', 'a.id', 'f.agreement_id')
    .innerJoin('mediation_cases as c', 'c.id', 'a.case_id')
    .innerJoin('mediation_orgs as o', 'o.id', 'f.court_id')
    .selectAll('f')
    .select(['a.case_id', 'c.dossier_no', 'c.dispute_type', 'c.node_path', 'o.name as court_name'])
    .where((eb) =>
      eb.or([
        inScopes(eb, 'c.node_path', f.scopes),
        eb('f.court_id', 'in', f.courts.length ? f.courts : [0]),
      ]),
    );
  if (f.status) q = q.where('f.status', '=', f.status as never);
  return q.orderBy('f.id', 'desc').limit(500).execute();
}

// ------------------------------------------------------------------ hearings
/** Hearings at the point overlapping [from, to), not cancelled. */
export function overlapping(x: Executor, pointId: number, from: string, to: string) {
  return x
    .selectFrom('micro_hearings')
    .select(['id', 'starts_at', 'ends_at'])
    .where('point_id', '=', pointId)
    .where('status', '!=', 'cancelled')
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .execute();
}
export async function insertHearing(x: Executor, v: Insertable<MicroHearingsTable>) {
  return (await x.insertInto('micro_hearings').values(v).returning('id').executeTakeFirstOrThrow()).id;
}
export function findHearing(x: Executor, id: number) {
  return x.selectFrom('micro_hearings').selectAll().where('id', '=', id).executeTakeFirst();
}
export function updateHearing(x: Executor, id: number, v: Updateable<MicroHearingsTable>) {
  return x.updateTable('micro_hearings').set(v).where('id', '=', id).execute();
}
export function hearingsWhere(
  x: Executor,
  f: { pointIds?: number[]; judgeUserId?: number; scopes?: readonly string[]; from: string; to: string },
) {
  let q = x
    .selectFrom('micro_hearings as h')
    .innerJoin('mediation_orgs as o', 'o.id', 'h.point_id')
    .innerJoin('users as u', 'u.id', 'h.judge_user_id')
    .selectAll('h')
    .select(['o.name as point_name', 'o.node_path', 'o.in_charge_user_id', 'u.display_name as judge_name'])
    .where('h.starts_at', '<', f.to)
    .where('h.ends_at', '>', f.from);
  q = q.where((eb) => {
    const ors = [];
    if (f.pointIds) ors.push(eb('h.point_id', 'in', f.pointIds.length ? f.pointIds : [0]));
    if (f.judgeUserId !== undefined) ors.push(eb('h.judge_user_id', '=', f.judgeUserId));
    if (f.scopes) ors.push(inScopes(eb, 'o.node_path', f.scopes));
    return ors.length ? eb.or(ors) : sql<boolean>`1 = 0`;
  });
  return q.orderBy('h.starts_at').limit(500).execute();
}

// ------------------------------------------------------------------ follow-ups
export async function insertFollowUps(x: Executor, rows: Insertable<MediationFollowUpsTable>[]) {
  await followUpInsert(x, rows);
}
/**
 * Follow-up visits in the scopes, or (with `mediatorUserId`) also those of that user's own cases
 * wherever they are: filtered here, before the limit.
 */
export function followUpsWhere(
  x: Executor,
  f: { scopes: readonly string[]; mediatorUserId?: number; caseId?: number; id?: number; due?: boolean },
) {
  let q = x
    .selectFrom('mediation_follow_ups as v')
    .innerJoin('mediation_cases as c', 'c.id', 'v.case_id')
    .leftJoin('mediation_confirmations as f', 'f.agreement_id', 'v.agreement_id')
    .selectAll('v')
    .select(['c.dossier_no', 'f.status as confirmation_status'])
    .where((eb) => {
      const inPlace = inScopes(eb, 'v.node_path', f.scopes);
      const uid = f.mediatorUserId;
      if (uid === undefined) return inPlace;
      return eb.or([
        inPlace,
        eb(
          'c.mediator_id',
          'in',
          eb.selectFrom('mediators as own').select('own.id').where('own.user_id', '=', uid),
        ),
      ]);
    });
  if (f.caseId !== undefined) q = q.where('v.case_id', '=', f.caseId);
  if (f.id !== undefined) q = q.where('v.id', '=', f.id);
  if (f.due) q = q.where('v.status', '=', 'due');
  return q.orderBy('v.due_on').orderBy('v.id').limit(500).execute();
}
export function findFollowUp(x: Executor, id: number) {
  return x.selectFrom('mediation_follow_ups').selectAll().where('id', '=', id).executeTakeFirst();
}
export function updateFollowUp(x: Executor, id: number, v: Updateable<MediationFollowUpsTable>) {
  return x
    .updateTable('mediation_follow_ups')
    .set(v)
    .where('id', '=', id)
    .where('status', '=', 'due')
    .executeTakeFirst();
}

// ------------------------------------------------------------------ statistics
export interface StatsFilter {
  under: string;
  from: string;
  to: string;
  orgId?: number;
  mediatorId?: number;
}
function statsBase(x: Executor, f: StatsFilter) {
  const [lo, hi] = subtreeRange(f.under);
  let q = x.selectFrom('mediation_cases as c').where('c.node_path', '>=', lo).where('c.node_path', '<', hi);
  if (f.orgId !== undefined) q = q.where('c.org_id', '=', f.orgId);
  if (f.mediatorId !== undefined) q = q.where('c.mediator_id', '=', f.mediatorId);
  return q;
}
/**
 * Received in the period (by received_at) and concluded in it (by concluded_at), per dispute type
 * and per place (the case's own node path: the service sums them into the node's children, whose
 * paths need not be of one length); days are summed for the mean.
 */
export async function statsRows(x: Executor, f: StatsFilter) {
  const group = sql<string>`c.node_path`;
  const days = sql<number>`sum(case when c.status in ('agreed','failed','withdrawn') then ${daysBetween(
    x,
  )} else 0 end)`;
  const concluded = await statsBase(x, f)
    .where('c.concluded_at', '>=', f.from)
    .where('c.concluded_at', '<', f.to)
    .select([
      'c.dispute_type',
      group.as('place'),
      sql<number>`sum(case when c.status = 'agreed' then 1 else 0 end)`.as('agreements'),
      sql<number>`sum(case when c.status = 'failed' then 1 else 0 end)`.as('failures'),
      sql<number>`sum(case when c.status = 'withdrawn' then 1 else 0 end)`.as('withdrawals'),
      days.as('days'),
    ])
    .groupBy(['c.dispute_type', group])
    .execute();
  const received = await statsBase(x, f)
    .where('c.received_at', '>=', f.from)
    .where('c.received_at', '<', f.to)
    .select(['c.dispute_type', group.as('place'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['c.dispute_type', group])
    .execute();
  const confirmations = await statsBase(x, f)
    .innerJoin('mediation_agreements as a', 'a.case_id', 'c.id')
    .innerJoin('mediation_confirmations as k', 'k.agreement_id', 'a.id')
    .where('k.decided_at', '>=', f.from)
    .where('k.decided_at', '<', f.to)
    .where('k.status', 'in', ['confirmed', 'refused'])
    .select([
      'c.dispute_type',
      group.as('place'),
      (eb) => eb.fn.countAll<number>().as('decided'),
      sql<number>`sum(case when k.status = 'confirmed' then 1 else 0 end)`.as('confirmed'),
    ])
    .groupBy(['c.dispute_type', group])
    .execute();
  return { concluded, received, confirmations };
}
function daysBetween(x: Executor) {
  return daysBetweenSql(dialectOf(x), sql.ref('c.received_at'), sql.ref('c.concluded_at'));
}

// ------------------------------------------------------------------ the statistics' daily figures
export const STAT_FIELDS = [
  'received',
  'agreements',
  'failures',
  'withdrawals',
  'days_sum',
  'decided',
  'confirmed',
] as const;
export type StatField = (typeof STAT_FIELDS)[number];
export type StatDeltas = Partial<Record<StatField, number>>;
export interface StatChange {
  nodePath: string;
  disputeType: string;
  /** The local day the change counts on. */
  day: string;
  deltas: StatDeltas;
}
type StatRow = { node_path: string; dispute_type: string; day: string } & Record<StatField, number>;
/** Sums changes per place (the node and every ancestor) and type ('' and the type) and day. */
export function statRows(changes: readonly StatChange[]): StatRow[] {
  const sums = new Map<string, StatRow>();
  for (const ch of changes)
    for (const path of ancestorPaths(ch.nodePath))
      for (const type of ['', ch.disputeType]) {
        const k = `${path} ${type} ${ch.day}`;
        let row = sums.get(k);
        if (!row) {
          row = { node_path: path, dispute_type: type, day: ch.day, ...zeroStats() };
          sums.set(k, row);
        }
        for (const f of STAT_FIELDS) row[f] += ch.deltas[f] ?? 0;
      }
  return [...sums.values()];
}
const zeroStats = () => Object.fromEntries(STAT_FIELDS.map((f) => [f, 0])) as Record<StatField, number>;
/** Adds changes to the daily figures, in the caller's transaction. */
export async function bumpStats(x: Executor, changes: readonly StatChange[]) {
  const rows = statRows(changes);
  for (let i = 0; i < rows.length; i += 300)
    await x
      .insertInto('mediation_stats_daily')
      .values(rows.slice(i, i + 300))
      .onConflict((oc) =>
        oc
          .columns(['node_path', 'dispute_type', 'day'])
          .doUpdateSet((eb) =>
            Object.fromEntries(
              STAT_FIELDS.map((f) => [
                f,
                sql`${eb.ref(`mediation_stats_daily.${f}`)} + ${eb.ref(`excluded.${f}`)}`,
              ]),
            ),
          ),
      )
      .execute();
}
/** The daily figures summed over [from, to] (local days): at one place by type, or at places for all types. */
export function statsAt(
  x: Executor,
  paths: readonly string[],
  from: string,
  to: string,
  allTypesOnly: boolean,
) {
  let q = x
    .selectFrom('mediation_stats_daily')
    .select(['node_path', 'dispute_type'])
    .select((eb) => STAT_FIELDS.map((f) => eb.fn.sum<number>(f).as(f)))
    .where('node_path', 'in', paths.length ? [...paths] : [''])
    .where('day', '>=', from)
    .where('day', '<=', to);
  if (allTypesOnly) q = q.where('dispute_type', '=', '');
  return q.groupBy(['node_path', 'dispute_type']).execute();
}
/** Every case and decided confirmation, for rebuilding the daily figures from the records. */
export function statsSources(x: Executor) {
  return Promise.all([
    x
      .selectFrom('mediation_cases')
      .select(['node_path', 'dispute_type', 'status', 'received_at', 'concluded_at'])
      .execute(),
    x
      .selectFrom('mediation_confirmations as k')
      .innerJoin('mediation_agreements as a', 'a.id', 'k.agreement_id')
      .innerJoin('mediation_cases as c', 'c.id', 'a.case_id')
      .select(['c.node_path', 'c.dispute_type', 'k.status', 'k.decided_at'])
      .where('k.status', 'in', ['confirmed', 'refused'])
      .execute(),
  ]);
}
export function clearStats(x: Executor) {
  return x.deleteFrom('mediation_stats_daily').execute();
}
