// Route-matrix cases: joint mediation (矛盾联调). The admin places every record through the API: a
// people's mediation committee and a court at the district (the committee takes a case anywhere:
// committeeFor picks the nearest committee at or above its place), one mediator of that committee
// (who signs agreements for it), and cases at the target node taken as far as a route needs:
// received (each with a piece of evidence), consented, refused, mediating (with a session), failed,
// signing, agreed (with its follow-up visits). A confirmation is placed at a court at the target node
// and a hearing at a micro-court point there: that is where those records are placed.
//
// A call expected to go through gets a record of its own; a call expected to be refused is aimed at
// the node's stock, placed once, and every refused call is shown to have changed nothing (the record
// before and after). The cast hold their permissions at the root of their scope, so holding one is
// holding it everywhere inside.
import { expect } from 'vitest';
import type {
  AgreementView,
  CaseView,
  ConfirmationView,
  EvidenceView,
  FollowUpView,
  MessageView,
  SessionView,
  HearingView,
  MediatorView,
  OrgView,
  StatsView,
} from '../../../common/contracts/mediation.js';
import { XLSX_MIME } from '../../platform/tabular.js';
import { makeUser, type TreeNode } from '../factories.js';
import type { Client } from '../harness.js';
import { isWithin, multipart, nthIdNumber, nthPhone, userIdOf } from '../routes.js';
import {
  adminClient,
  aimed,
  aims,
  answer,
  db,
  everywhere,
  inEachState,
  items,
  may,
  ok,
  onRecord,
  pathsOfIds,
  refused,
  stockOnce,
  t,
  tree,
  type Case,
  type Ctx,
  type Res,
} from './driver.js';

const reads = (x: Ctx) => may(x.c, 'mediation.read');
const mediates = (x: Ctx) => may(x.c, 'mediation.mediate');
/** Before a mediator is designated, the committee (whoever designates there) asks the parties, as whoever mediates does. */
const asksParties = async (x: Ctx) => (await mediates(x)) || (await may(x.c, 'mediation.assign'));

/** Promises made once per key (per node and state): the stock. */
const once = stockOnce();
let serial = 0;

// ---------------------------------------------------------------------------------------------
// Organisations and the matrix's mediator.

const KIND = { committee: '人民调解委员会', court: '人民法院', micro_court: '微法庭' } as const;
async function orgAt(n: TreeNode, kind: keyof typeof KIND): Promise<number> {
  const o = await answer(
    adminClient.post<OrgView>('/api/mediation/orgs', {
      kind,
      name: `矩阵${++serial}${KIND[kind]}`,
      nodeId: n.id,
    }),
    201,
  );
  return o.id;
}
interface Base {
  committee: number;
  court: number;
  /** The mediator's registration (mediators.id) and their own client: they sign for the committee. */
  mediator: number;
  mediatorClient: Client;
}
const base = () =>
  once('base', async (): Promise<Base> => {
    const committee = await orgAt(tree.district, 'committee');
    const court = await orgAt(tree.district, 'court');
    const userId = await makeUser(db, 'matrixmediator', [{ role: 'mediator', node: tree.district }]);
    const m = await answer(
      adminClient.post<MediatorView>('/api/mediation/mediators', {
        userId,
        orgId: committee,
        specialties: ['neighbour'],
      }),
      201,
    );
    return { committee, court, mediator: m.id, mediatorClient: await t.login('matrixmediator') };
  });
/** A court at the node: where a confirmation sent to it is placed. */
const courtAt = (n: TreeNode) => once(`court ${n.id}`, () => orgAt(n, 'court'));
/** A micro-court point at the node: where a hearing booked there is placed. */
const pointAt = (n: TreeNode) => once(`point ${n.id}`, () => orgAt(n, 'micro_court'));

// ---------------------------------------------------------------------------------------------
// Cases, taken through the API as far as a route needs.

interface Placed {
  id: number;
  node: TreeNode;
  parties: { id: number; name: string; idNumber: string }[];
  /** The piece of evidence every case is given at intake, and its text. */
  evidence: { id: number; text: string };
  session?: number;
  agreement?: number;
  /** The agreement's follow-up visits, by due day. */
  followUps?: number[];
  confirmation?: number;
}
type Stage = 'received' | 'consented' | 'refused' | 'mediating' | 'failed' | 'signing' | 'agreed';

const caseUrl = (p: { id: number }, rest = '') => `/api/mediation/cases/${p.id}${rest}`;
const agreementUrl = (p: Placed, rest = '') => `/api/mediation/agreements/${p.agreement}${rest}`;
const caseBody = (n: TreeNode, k: number, disputeType = 'neighbour') => ({
  nodeId: n.id,
  source: 'initiative',
  disputeType,
  facts: `矩阵纠纷${k}`,
  claims: '请求调解',
  parties: [
    {
      side: 'applicant',
      name: `矩阵甲${k}`,
      idNumber: nthIdNumber(2 * k, '330183'),
      phone: nthPhone(k, '135'),
    },
    { side: 'respondent', name: `矩阵乙${k}`, idNumber: nthIdNumber(2 * k + 1, '330183') },
  ],
});
const textFile = (text: string) =>
  multipart([{ name: 'file', filename: 'evidence.txt', contentType: 'text/plain', data: text }]);
const addEvidence = (c: Client, p: { id: number }, text: string) =>
  c.request<EvidenceView>({ method: 'POST', url: caseUrl(p, '/evidence'), ...textFile(text) });
const draftBody = (p: Placed, deadlines: string[]) => ({
  facts: '双方确认纠纷事实',
  disputedPoints: '赔偿数额',
  obligations: deadlines.map((deadline) => ({
    partyId: p.parties[1]!.id,
    what: '赔偿损失',
    amountYuan: 100,
    manner: '银行转账',
    deadline,
  })),
});
const minutesBody = (p: Placed) => ({
  attendance: [p.parties[0]!.id],
  attendees: [p.parties[0]!.name],
  facts: '双方陈述',
  positions: '各执一词',
  result: '继续调解',
});
const asAdmin = (url: string, payload?: unknown) => adminClient.post<CaseView>(url, payload);

/** A case at n taken to the stage asked; `deadlines`: its agreement's obligations, a follow-up visit each. */
async function caseAt(
  n: TreeNode,
  stage: Stage,
  opts: { disputeType?: string; deadlines?: string[] } = {},
): Promise<Placed> {
  const { mediator, mediatorClient } = await base();
  const k = ++serial;
  const b = caseBody(n, k, opts.disputeType);
  const v = await answer(adminClient.post<CaseView>('/api/mediation/cases', b), 201);
  const text = `矩阵证据${k}`;
  const e = await answer(addEvidence(adminClient, v, text), 201);
  const p: Placed = {
    id: v.id,
    node: n,
    parties: v.parties.map((x, i) => ({ id: x.id, name: x.name, idNumber: b.parties[i]!.idNumber })),
    evidence: { id: e.id, text },
  };
  if (stage === 'received') return p;
  if (stage === 'refused') {
    ok(await asAdmin(caseUrl(p, '/consent'), { partyId: p.parties[1]!.id, consent: 'no' }));
    return p;
  }
  for (const party of p.parties)
    ok(await asAdmin(caseUrl(p, '/consent'), { partyId: party.id, consent: 'yes' }));
  if (stage === 'consented') return p;
  ok(await asAdmin(caseUrl(p, '/assign'), { mediatorId: mediator }));
  const s = await answer(
    adminClient.post<SessionView>(caseUrl(p, '/sessions'), {
      startsAt: '2031-03-01T02:00:00Z',
      mode: 'in_person',
    }),
    201,
  );
  p.session = s.id;
  if (stage === 'mediating') return p;
  if (stage === 'failed') {
    ok(await asAdmin(caseUrl(p, '/fail'), { route: 'litigation', note: '调解不成' }));
    return p;
  }
  const d = await answer(
    adminClient.post<AgreementView>(caseUrl(p, '/agreement'), draftBody(p, opts.deadlines ?? ['2031-06-01'])),
    201,
  );
  p.agreement = d.id;
  if (stage === 'signing') return p;
  for (const party of p.parties)
    ok(await adminClient.post(agreementUrl(p, '/assisted-sign'), { partyId: party.id, idChecked: true }));
  const a = await answer(mediatorClient.post<AgreementView>(agreementUrl(p, '/sign')));
  expect(a.status).toBe('in_effect');
  p.followUps = (
    await db
      .selectFrom('mediation_follow_ups')
      .select('id')
      .where('case_id', '=', p.id)
      .orderBy('due_on')
      .execute()
  ).map((r) => r.id);
  return p;
}
/** An agreed case at n whose agreement went to the court at n for confirmation, taken to the stage asked. */
async function confirmationAt(n: TreeNode, stage: 'submitted' | 'accepted' | 'confirmed'): Promise<Placed> {
  const p = await caseAt(n, 'agreed');
  const a = await answer(
    adminClient.post<ConfirmationView>(agreementUrl(p, '/confirmation'), {
      courtId: await courtAt(n),
      materials: ['application_form', 'agreement'],
    }),
    201,
  );
  p.confirmation = a.id;
  const url = `/api/mediation/confirmations/${p.confirmation}`;
  if (stage !== 'submitted') ok(await adminClient.post(`${url}/accept`, { accept: true }));
  if (stage === 'confirmed')
    ok(await adminClient.post(`${url}/decide`, { confirm: true, ruling: '确认有效' }));
  return p;
}

// ---------------------------------------------------------------------------------------------
// Hearings: booked by the admin (the judge) at the node's micro-court point.

interface Hearing {
  id: number;
  point: number;
}
let slot = 0;
/** Days of the hearings lists' own. */
let listDays = 0;
/** An hour of its own: no two bookings the cases make overlap. */
function nextSlot() {
  const from = Date.UTC(2031, 0, 1) + slot++ * 3_600_000;
  return { startsAt: new Date(from).toISOString(), endsAt: new Date(from + 1_800_000).toISOString() };
}
const hearingBody = (
  pointId: number,
  when: { startsAt: string; endsAt: string },
  caseId: number | null = null,
) => ({
  pointId,
  caseId,
  title: `矩阵庭审${++serial}`,
  ...when,
  participants: [{ name: '矩阵当事人', place: 'point' }],
});
async function hearingAt(n: TreeNode, stage: 'scheduled' | 'held' | 'cancelled'): Promise<Hearing> {
  const point = await pointAt(n);
  const h = await answer(adminClient.post<HearingView>('/api/hearings', hearingBody(point, nextSlot())), 201);
  if (stage === 'held')
    ok(await adminClient.post(`/api/hearings/${h.id}/attendance`, { present: [0], idChecked: true }));
  if (stage === 'cancelled') ok(await adminClient.post(`/api/hearings/${h.id}/cancel`));
  return { id: h.id, point };
}
const hearingRow = (id: number) => db.selectFrom('micro_hearings').selectAll().where('id', '=', id).execute();

// ---------------------------------------------------------------------------------------------
// The stock: records in each state at a node, placed once, for calls that must be refused.

const stocked = (n: TreeNode, stage: Stage) => once(`${stage} ${n.id}`, () => caseAt(n, stage));
const caseStates = async (n: TreeNode) => ({
  received: await stocked(n, 'received'),
  refused: await stocked(n, 'refused'),
  mediating: await stocked(n, 'mediating'),
  failed: await stocked(n, 'failed'),
  agreed: await stocked(n, 'agreed'),
});
/** The states of a case that holds a session. */
const sessionStates = async (n: TreeNode) => ({
  mediating: await stocked(n, 'mediating'),
  failed: await stocked(n, 'failed'),
  agreed: await stocked(n, 'agreed'),
});
/** A drafted agreement voided by a revision (its case mediating again). */
const voided = (n: TreeNode) =>
  once(`void ${n.id}`, async () => {
    const p = await caseAt(n, 'signing');
    ok(await asAdmin(caseUrl(p, '/revise')));
    return p;
  });
const agreementStates = async (n: TreeNode) => ({
  signing: await stocked(n, 'signing'),
  in_effect: await stocked(n, 'agreed'),
  void: await voided(n),
});
const confirmationStock = (n: TreeNode, stage: 'submitted' | 'accepted' | 'confirmed') =>
  once(`confirmation ${stage} ${n.id}`, () => confirmationAt(n, stage));
const confirmationStates = async (n: TreeNode) => ({
  submitted: await confirmationStock(n, 'submitted'),
  accepted: await confirmationStock(n, 'accepted'),
  confirmed: await confirmationStock(n, 'confirmed'),
});
const hearingStock = (n: TreeNode, stage: 'scheduled' | 'held' | 'cancelled') =>
  once(`hearing ${stage} ${n.id}`, () => hearingAt(n, stage));
const hearingStates = async (n: TreeNode) => ({
  scheduled: await hearingStock(n, 'scheduled'),
  held: await hearingStock(n, 'held'),
  cancelled: await hearingStock(n, 'cancelled'),
});
type Visit = Placed & { followUp: number };
/** An agreement with two deadlines: one follow-up visit still due, the other recorded. */
const followUpStates = (n: TreeNode) =>
  once(`follow-ups ${n.id}`, async (): Promise<{ due: Visit; done: Visit }> => {
    const p = await caseAt(n, 'agreed', { deadlines: ['2031-06-01', '2031-07-01'] });
    const [due, done] = p.followUps!;
    ok(await adminClient.post(`/api/mediation/follow-ups/${done}`, { performance: 'full', satisfaction: 5 }));
    return { due: { ...p, followUp: due! }, done: { ...p, followUp: done! } };
  });

/** Everything a call may change about a case, its agreements, confirmations, visits and audit trail. */
async function snapCase(caseId: number) {
  const agreements = await db
    .selectFrom('mediation_agreements')
    .select(['id', 'status', 'effective_at'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  const aIds = agreements.map((a) => a.id);
  const signatures = aIds.length
    ? await db
        .selectFrom('mediation_signatures')
        .select(['id', 'signed_at', 'link_hash'])
        .where('agreement_id', 'in', aIds)
        .orderBy('id')
        .execute()
    : [];
  const confirmations = aIds.length
    ? await db
        .selectFrom('mediation_confirmations')
        .select(['id', 'status', 'decided_at'])
        .where('agreement_id', 'in', aIds)
        .orderBy('id')
        .execute()
    : [];
  const audited = [
    ['mediation_case', String(caseId)],
    ...aIds.map((id) => ['mediation_agreement', String(id)]),
    ...confirmations.map((f) => ['mediation_confirmation', String(f.id)]),
  ];
  let audits = 0;
  for (const [type, id] of audited)
    audits += (
      await db
        .selectFrom('audit_log')
        .select('id')
        .where('entity_type', '=', type!)
        .where('entity_id', '=', id!)
        .execute()
    ).length;
  return {
    case: await db.selectFrom('mediation_cases').selectAll().where('id', '=', caseId).execute(),
    parties: await db
      .selectFrom('mediation_parties')
      .select(['id', 'consent', 'online', 'access_hash'])
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute(),
    sessions: await db.selectFrom('mediation_sessions').selectAll().where('case_id', '=', caseId).execute(),
    evidence: await db.selectFrom('mediation_evidence').select('id').where('case_id', '=', caseId).execute(),
    messages: await db.selectFrom('mediation_messages').select('id').where('case_id', '=', caseId).execute(),
    agreements,
    signatures,
    confirmations,
    followUps: await db
      .selectFrom('mediation_follow_ups')
      .select(['id', 'status', 'visited_at'])
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute(),
    audits,
  };
}
const caseRow = (id: number) =>
  db.selectFrom('mediation_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

// ---------------------------------------------------------------------------------------------
// A node case on a case placed at the target.

/** A node case on a case at the target in the stage given (a read reuses the stock). */
function onCase(o: {
  goes: (x: Ctx) => Promise<boolean>;
  at: Stage;
  read?: true;
  disputeType?: string;
  call: (c: Client, p: Placed, n: TreeNode) => Promise<Res>;
  done: (res: Res, p: Placed, n: TreeNode, x: Ctx) => Promise<void> | void;
  cross?: (c: Client, own: Placed, foreign: Placed) => Promise<Res>;
}) {
  return onRecord<Placed>({
    goes: o.goes,
    fresh: (n) =>
      o.read ? stocked(n, o.at) : caseAt(n, o.at, o.disputeType ? { disputeType: o.disputeType } : {}),
    stock: (n) => stocked(n, o.at),
    snap: (p) => snapCase(p.id),
    call: o.call,
    done: o.done,
    ...(o.cross ? { cross: o.cross } : {}),
  });
}
const statusOf = async (id: number) => (await caseRow(id)).status;

// ---------------------------------------------------------------------------------------------
// Lists: what the items are placed at.

const casePaths = async (ids: number[]) =>
  new Map(
    ids.length
      ? (
          await db
            .selectFrom('mediation_cases')
            .select(['id', 'node_path'])
            .where('id', 'in', [...new Set(ids)])
            .execute()
        ).map((r) => [r.id, r.node_path])
      : [],
  );
const orgPaths = async (ids: number[]) =>
  new Map(
    ids.length
      ? (
          await db
            .selectFrom('mediation_orgs')
            .select(['id', 'node_path'])
            .where('id', 'in', [...new Set(ids)])
            .execute()
        ).map((r) => [r.id, r.node_path])
      : [],
  );
/** The courts a caller judges at: courts placed within their mediation.confirm scope. */
async function courtsOf(x: Ctx): Promise<number[]> {
  if (!(await may(x.c, 'mediation.confirm'))) return [];
  const rows = await db
    .selectFrom('mediation_orgs')
    .select(['id', 'node_path'])
    .where('kind', '=', 'court')
    .execute();
  return rows.filter((r) => isWithin(r.node_path, x.actor.scope().path)).map((r) => r.id);
}

/** 500 follow-up visits due long ago in town B, as a busy district would have: placed once, straight in the database. */
const backlog = () =>
  once('backlog', async () => {
    const p = await caseAt(tree.towns[1]!, 'agreed');
    const rows = Array.from({ length: 500 }, () => ({
      agreement_id: p.agreement!,
      case_id: p.id,
      node_path: tree.towns[1]!.path,
      due_on: '2000-01-01',
      status: 'due' as const,
      performance: null,
      satisfaction: null,
      note: null,
      visited_by_user_id: null,
      visited_at: null,
    }));
    for (let i = 0; i < rows.length; i += 100)
      await db
        .insertInto('mediation_follow_ups')
        .values(rows.slice(i, i + 100))
        .execute();
  });

/** The public application form's body, for a resident at n, with its parties. */
function application(n: TreeNode) {
  const k = ++serial;
  const applicant = {
    name: `矩阵申请人${k}`,
    idNumber: nthIdNumber(2 * k, '330184'),
    phone: nthPhone(k, '136'),
  };
  const respondent = { name: `矩阵被申请人${k}`, phone: nthPhone(k, '137') };
  return {
    body: {
      nodeId: n.id,
      disputeType: 'neighbour',
      facts: `矩阵申请${k}`,
      claims: '请求调解',
      applicant,
      respondents: [respondent],
    },
    applicant,
    respondent,
  };
}
interface Applied {
  caseId: number;
  dossierNo: string;
  partyToken: string;
}
interface PartyCase {
  status: string;
  you: { id: number; name: string; consent: string };
  others: { side: string; name: string }[];
  messages: MessageView[];
}
interface Links {
  items: { partyId: number; name: string; token: string }[];
}
const NO_SUCH_TOKEN = 'A'.repeat(43);

// ---------------------------------------------------------------------------------------------

export const mediationCases: Record<string, Case> = {
  // ---- organisations and mediators
  'GET /api/mediation/orgs': {
    unscoped:
      'organisations are public knowledge to anyone signed in (a party chooses a mediator, a judge books any point): listed district-wide',
    wholeCast: true,
    check: async ({ c }) => {
      const { committee, court } = await base();
      const res = await c.get('/api/mediation/orgs');
      ok(res);
      expect((items(res) as OrgView[]).map((o) => o.id)).toEqual(expect.arrayContaining([committee, court]));
      refused(await c.get('/api/mediation/orgs?node=999999'), 404);
    },
  },
  'POST /api/mediation/orgs': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const name = `矩阵设点${++serial}`;
        const res = await c.post('/api/mediation/orgs', { kind: 'micro_court', name, nodeId: n.id });
        aims.set(res, { p: name, before: null });
        return [res];
      },
      inside: (res, _x, n) => {
        ok(res, 201);
        expect((res.body as OrgView).node.id).toBe(n.id);
      },
      outside: async (res) => {
        refused(res);
        const name = aimed<string>(res).p;
        expect(await db.selectFrom('mediation_orgs').select('id').where('name', '=', name).execute()).toEqual(
          [],
        );
      },
    },
  },
  'GET /api/mediation/mediators': {
    unscoped:
      'mediators and their public profiles are listed district-wide to anyone signed in, for parties to choose',
    wholeCast: true,
    check: async ({ c }) => {
      const { mediator } = await base();
      const res = await c.get('/api/mediation/mediators');
      ok(res);
      expect((items(res) as MediatorView[]).map((m) => m.id)).toContain(mediator);
    },
  },
  'POST /api/mediation/mediators': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const orgId = await pointAt(n);
        const userId = await makeUser(db, `matrixmed${++serial}`, [{ role: 'mediator', node: n }]);
        const res = await c.post('/api/mediation/mediators', { userId, orgId });
        aims.set(res, { p: { userId, orgId }, before: null });
        return [res];
      },
      inside: (res) => {
        ok(res, 201);
        const { userId, orgId } = aimed<{ userId: number; orgId: number }>(res).p;
        expect(res.body as MediatorView).toMatchObject({ userId, org: { id: orgId } });
      },
      outside: async (res) => {
        refused(res);
        const { userId } = aimed<{ userId: number }>(res).p;
        expect(await db.selectFrom('mediators').select('id').where('user_id', '=', userId).execute()).toEqual(
          [],
        );
      },
    },
  },

  // ---- cases
  'GET /api/mediation/cases': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await stocked(n, 'received');
        return x.c.get('/api/mediation/cases?pageSize=200');
      },
      check: async (res, x) => {
        if (!(await reads(x)) && !(await mediates(x))) return refused(res);
        ok(res);
        const list = items(res) as CaseView[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(isWithin(p, x.actor.scope().path), p).toBe(true);
      },
    },
    node: {
      call: async (x, n, where) => {
        const p =
          where === 'inside' && (await reads(x)) ? await caseAt(n, 'received') : await stocked(n, 'received');
        const res = await x.c.get(`/api/mediation/cases?node=${n.id}&pageSize=200`);
        aims.set(res, { p, before: null });
        return [res];
      },
      inside: async (res, x, n) => {
        if (!(await reads(x))) return refused(res);
        ok(res);
        const list = items(res) as CaseView[];
        expect(list.map((i) => i.id)).toContain(aimed<Placed>(res).p.id);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(isWithin(p, n.path), p).toBe(true);
      },
    },
  },
  'POST /api/mediation/cases': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        await base();
        const b = caseBody(n, ++serial);
        const res = await c.post('/api/mediation/cases', b);
        aims.set(res, { p: b.facts, before: null });
        return [res];
      },
      inside: async (res, _x, n) => {
        ok(res, 201);
        const v = res.body as CaseView;
        expect(v.node.id).toBe(n.id);
        expect((await caseRow(v.id)).facts).toBe(aimed<string>(res).p);
      },
      outside: async (res) => {
        refused(res);
        const facts = aimed<string>(res).p;
        expect(
          await db.selectFrom('mediation_cases').select('id').where('facts', '=', facts).execute(),
        ).toEqual([]);
      },
    },
  },
  'GET /api/mediation/cases/:id': {
    wholeCast: true,
    states: async ({ c }, n) => inEachState(await caseStates(n), (p) => c.get(caseUrl(p))),
    node: onCase({
      goes: reads,
      at: 'received',
      read: true,
      call: (c, p) => c.get(caseUrl(p)),
      done: (res, p) => {
        ok(res);
        expect((res.body as CaseView).id).toBe(p.id);
        // The parties' ID numbers and phones are masked in the case's view.
        for (const party of p.parties) expect(JSON.stringify(res.body)).not.toContain(party.idNumber);
      },
    }),
  },
  'GET /api/mediation/cases/:id/suggestions': {
    wholeCast: true,
    states: async ({ c }, n) => inEachState(await caseStates(n), (p) => c.get(caseUrl(p, '/suggestions'))),
    node: onCase({
      goes: reads,
      at: 'received',
      read: true,
      call: (c, p) => c.get(caseUrl(p, '/suggestions')),
      done: async (res) => {
        ok(res);
        expect((items(res) as MediatorView[]).map((m) => m.id)).toContain((await base()).mediator);
      },
    }),
  },
  'POST /api/mediation/cases/:id/consent': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) =>
        c.post(caseUrl(p, '/consent'), { partyId: p.parties[0]!.id, consent: 'yes' }),
      ),
    node: onCase({
      goes: asksParties,
      at: 'received',
      call: (c, p) => c.post(caseUrl(p, '/consent'), { partyId: p.parties[0]!.id, consent: 'yes' }),
      done: (res, p) => {
        ok(res);
        const v = res.body as CaseView;
        expect(v.parties.find((x) => x.id === p.parties[0]!.id)?.consent).toBe('yes');
        expect(v.status).toBe('received');
      },
    }),
  },
  'POST /api/mediation/cases/:id/assign': {
    wholeCast: true,
    states: async ({ c }, n) => {
      const { mediator } = await base();
      return inEachState(await caseStates(n), (p) => c.post(caseUrl(p, '/assign'), { mediatorId: mediator }));
    },
    node: onCase({
      goes: (x) => may(x.c, 'mediation.assign'),
      at: 'consented',
      call: async (c, p) => c.post(caseUrl(p, '/assign'), { mediatorId: (await base()).mediator }),
      done: async (res, p) => {
        ok(res);
        expect((res.body as CaseView).status).toBe('mediating');
        expect((await caseRow(p.id)).mediator_id).toBe((await base()).mediator);
      },
    }),
  },
  'POST /api/mediation/cases/:id/withdraw': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) => c.post(caseUrl(p, '/withdraw'), { reason: '申请人撤回' })),
    node: onCase({
      goes: mediates,
      at: 'received',
      call: (c, p) => c.post(caseUrl(p, '/withdraw'), { reason: '申请人撤回' }),
      done: async (res, p) => {
        ok(res);
        expect(await statusOf(p.id)).toBe('withdrawn');
      },
    }),
  },
  'POST /api/mediation/cases/:id/escalate': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) => c.post(caseUrl(p, '/escalate'), { reason: '案情复杂' })),
    node: onCase({
      goes: mediates,
      at: 'received',
      call: (c, p) => c.post(caseUrl(p, '/escalate'), { reason: '案情复杂' }),
      done: async (res, p, n) => {
        const row = await caseRow(p.id);
        // The top of the ladder: nowhere to hand it.
        if (n.level === 'district') {
          refused(res, 409);
          expect((res.body as { code: string }).code).toBe('mediation.ladder_top');
          return expect(row.node_id).toBe(n.id);
        }
        // Handed up one level: the committee above receives it and designates its own mediator.
        expect(row.status).toBe('received');
        expect(isWithin(n.path, row.node_path) && row.node_path !== n.path).toBe(true);
        // The step taken is answered 200 with the case as it now stands, even when it now sits above
        // the caller's scope (a town's administrator escalating a town case to the district).
        expect(
          res.status,
          `escalate answered ${res.status} after committing: ${JSON.stringify(res.body)}`,
        ).toBe(200);
      },
    }),
  },
  'POST /api/mediation/cases/:id/refer': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) => c.post(caseUrl(p, '/refer'), { reason: '转交公安' })),
    node: onCase({
      goes: mediates,
      at: 'received',
      call: (c, p) => c.post(caseUrl(p, '/refer'), { reason: '转交公安' }),
      done: async (res, p) => {
        ok(res);
        expect(await statusOf(p.id)).toBe('referred');
      },
    }),
  },
  'POST /api/mediation/cases/:id/fail': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) =>
        c.post(caseUrl(p, '/fail'), { route: 'litigation', note: '调解不成' }),
      ),
    node: onCase({
      goes: mediates,
      at: 'mediating',
      call: (c, p) => c.post(caseUrl(p, '/fail'), { route: 'litigation', note: '调解不成' }),
      done: async (res, p) => {
        ok(res);
        expect(res.body as CaseView).toMatchObject({ status: 'failed', failureRoute: 'litigation' });
        expect(await statusOf(p.id)).toBe('failed');
      },
    }),
  },
  'POST /api/mediation/cases/:id/joint': {
    wholeCast: true,
    states: async ({ c }, n) => inEachState(await caseStates(n), (p) => c.post(caseUrl(p, '/joint'))),
    node: onCase({
      goes: mediates,
      at: 'received',
      // A family case: mediated in caucus until both sides agree to meet.
      disputeType: 'marriage_family',
      call: (c, p) => c.post(caseUrl(p, '/joint')),
      done: async (res, p) => {
        ok(res);
        expect((res.body as CaseView).caucus).toBe(false);
        expect((await caseRow(p.id)).caucus).toBe(0);
      },
    }),
  },
  'POST /api/mediation/cases/:id/parties/:partyId/reveal': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) => c.post(caseUrl(p, `/parties/${p.parties[0]!.id}/reveal`))),
    node: onCase({
      goes: mediates,
      at: 'received',
      read: true,
      call: (c, p) => c.post(caseUrl(p, `/parties/${p.parties[0]!.id}/reveal`)),
      done: async (res, p) => {
        ok(res);
        expect((res.body as { idNumber: string }).idNumber).toBe(p.parties[0]!.idNumber);
        const last = await db
          .selectFrom('audit_log')
          .select(['action'])
          .where('entity_type', '=', 'mediation_case')
          .where('entity_id', '=', String(p.id))
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        expect(last.action).toBe('mediation.party.reveal');
      },
      cross: (c, own, foreign) => c.post(caseUrl(own, `/parties/${foreign.parties[0]!.id}/reveal`)),
    }),
  },
  'POST /api/mediation/cases/:id/party-links': {
    wholeCast: true,
    states: async ({ c }, n) => inEachState(await caseStates(n), (p) => c.post(caseUrl(p, '/party-links'))),
    node: onCase({
      goes: asksParties,
      at: 'received',
      call: (c, p) => c.post(caseUrl(p, '/party-links')),
      done: async (res, p) => {
        ok(res);
        const links = (res.body as Links).items;
        expect(links.map((l) => l.partyId).sort()).toEqual(p.parties.map((x) => x.id).sort());
        const hashes = await db
          .selectFrom('mediation_parties')
          .select('access_hash')
          .where('case_id', '=', p.id)
          .execute();
        for (const h of hashes) expect(h.access_hash).not.toBeNull();
      },
    }),
  },
  'POST /api/mediation/cases/:id/evidence': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) => addEvidence(c, p, '矩阵补充证据') as Promise<Res>),
    node: onCase({
      goes: mediates,
      at: 'received',
      call: (c, p) => addEvidence(c, p, '矩阵补充证据'),
      done: async (res, p) => {
        ok(res, 201);
        // The new record: the second piece of the case, kept byte for byte.
        const e = res.body as EvidenceView;
        expect(e).toMatchObject({ name: 'evidence.txt', size: Buffer.byteLength('矩阵补充证据') });
        const kept = await db
          .selectFrom('mediation_evidence')
          .select(['id', 'sha256', 'content'])
          .where('case_id', '=', p.id)
          .orderBy('id')
          .execute();
        expect(kept.map((r) => r.id)).toEqual([p.evidence.id, e.id]);
        expect(kept[1]!.sha256).toBe(e.sha256);
        expect(Buffer.from(kept[1]!.content).toString()).toBe('矩阵补充证据');
      },
    }),
  },
  'GET /api/mediation/cases/:id/evidence/:evidenceId': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) => c.get(caseUrl(p, `/evidence/${p.evidence.id}`))),
    node: onCase({
      goes: reads,
      at: 'received',
      read: true,
      call: (c, p) => c.get(caseUrl(p, `/evidence/${p.evidence.id}`)),
      done: (res, p) => {
        ok(res);
        expect(res.raw.body).toBe(p.evidence.text);
      },
      cross: (c, own, foreign) => c.get(caseUrl(own, `/evidence/${foreign.evidence.id}`)),
    }),
  },

  // ---- sessions and messages
  'POST /api/mediation/cases/:id/sessions': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) =>
        c.post(caseUrl(p, '/sessions'), { startsAt: '2031-04-01T02:00:00Z', mode: 'in_person' }),
      ),
    node: onCase({
      goes: mediates,
      at: 'mediating',
      call: (c, p) =>
        c.post(caseUrl(p, '/sessions'), {
          startsAt: '2031-04-01T02:00:00Z',
          mode: 'video',
          meetingLink: 'https://meeting.example.cn/matrix',
        }),
      done: async (res, p) => {
        ok(res, 201);
        // The new record: the video session, the case's second.
        const s = res.body as SessionView;
        expect(s).toMatchObject({
          mode: 'video',
          status: 'scheduled',
          meetingLink: 'https://meeting.example.cn/matrix',
        });
        const kept = await db
          .selectFrom('mediation_sessions')
          .select('id')
          .where('case_id', '=', p.id)
          .orderBy('id')
          .execute();
        expect(kept.map((r) => r.id)).toEqual([p.session, s.id]);
      },
    }),
  },
  'POST /api/mediation/cases/:id/sessions/:sessionId/minutes': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await sessionStates(n), (p) =>
        c.post(caseUrl(p, `/sessions/${p.session}/minutes`), minutesBody(p)),
      ),
    node: onCase({
      goes: mediates,
      at: 'mediating',
      call: (c, p) => c.post(caseUrl(p, `/sessions/${p.session}/minutes`), minutesBody(p)),
      done: (res, p) => {
        ok(res);
        expect((res.body as CaseView).sessions.find((s) => s.id === p.session)?.status).toBe('held');
      },
      cross: (c, own, foreign) =>
        c.post(caseUrl(own, `/sessions/${foreign.session}/minutes`), minutesBody(own)),
    }),
  },
  'GET /api/mediation/cases/:id/messages': {
    wholeCast: true,
    states: async ({ c }, n) => inEachState(await caseStates(n), (p) => c.get(caseUrl(p, '/messages'))),
    node: onCase({
      goes: mediates,
      at: 'received',
      read: true,
      call: (c, p) => c.get(caseUrl(p, '/messages')),
      done: (res) => {
        ok(res);
        expect(Array.isArray(items(res))).toBe(true);
      },
    }),
  },
  'POST /api/mediation/cases/:id/messages': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) =>
        c.post(caseUrl(p, '/messages'), { body: '矩阵留言', toAll: true }),
      ),
    node: onCase({
      goes: mediates,
      at: 'received',
      call: (c, p) => c.post(caseUrl(p, '/messages'), { body: '矩阵留言', toAll: true }),
      done: async (res, p) => {
        ok(res, 201);
        // The new record: the message, kept with the case.
        const m = res.body as MessageView;
        expect(m).toMatchObject({ partyId: null, toAll: true, body: '矩阵留言' });
        const kept = await db
          .selectFrom('mediation_messages')
          .select(['id', 'case_id'])
          .where('id', '=', m.id)
          .execute();
        expect(kept).toEqual([{ id: m.id, case_id: p.id }]);
      },
    }),
  },

  // ---- agreements
  'POST /api/mediation/cases/:id/agreement': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await caseStates(n), (p) => c.post(caseUrl(p, '/agreement'), draftBody(p, ['2031-06-01']))),
    node: onCase({
      goes: mediates,
      at: 'mediating',
      call: (c, p) => c.post(caseUrl(p, '/agreement'), draftBody(p, ['2031-06-01'])),
      done: async (res, p) => {
        ok(res, 201);
        // The new record: the agreement, its case now signing.
        const a = res.body as AgreementView;
        expect(a).toMatchObject({ caseId: p.id, status: 'signing', signed: 0 });
        expect(await statusOf(p.id)).toBe('signing');
      },
    }),
  },
  'POST /api/mediation/cases/:id/revise': {
    wholeCast: true,
    states: async ({ c }, n) => inEachState(await agreementStates(n), (p) => c.post(caseUrl(p, '/revise'))),
    node: onCase({
      goes: mediates,
      at: 'signing',
      call: (c, p) => c.post(caseUrl(p, '/revise')),
      done: async (res, p) => {
        ok(res);
        expect((res.body as CaseView).status).toBe('mediating');
        const a = await db
          .selectFrom('mediation_agreements')
          .select('status')
          .where('id', '=', p.agreement!)
          .executeTakeFirstOrThrow();
        expect(a.status).toBe('void');
      },
    }),
  },
  'GET /api/mediation/agreements': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) {
          await stocked(n, 'signing');
          await confirmationStock(n, 'submitted');
        }
        return x.c.get('/api/mediation/agreements');
      },
      check: async (res, x) => {
        ok(res);
        const list = items(res) as (Omit<AgreementView, 'signatures' | 'obligations'> & {
          confirmation: ConfirmationView | null;
        })[];
        const readable = await reads(x);
        const courts = await courtsOf(x);
        const paths = await casePaths(list.map((i) => i.caseId));
        for (const i of list) {
          const inPlace = readable && isWithin(paths.get(i.caseId)!, x.actor.scope().path);
          const atCourt = i.confirmation !== null && courts.includes(i.confirmation.court.id);
          expect(inPlace || atCourt, `agreement ${i.id} of a case at ${paths.get(i.caseId)}`).toBe(true);
        }
        if (readable) expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        else if (courts.length === 0) expect(list).toEqual([]);
      },
    },
  },
  'GET /api/mediation/agreements/:id': {
    wholeCast: true,
    states: async ({ c }, n) => inEachState(await agreementStates(n), (p) => c.get(agreementUrl(p))),
    node: onCase({
      goes: reads,
      at: 'signing',
      read: true,
      call: (c, p) => c.get(agreementUrl(p)),
      done: (res, p) => {
        ok(res);
        expect((res.body as AgreementView).id).toBe(p.agreement);
      },
    }),
  },
  'GET /api/mediation/agreements/:id/pdf': {
    wholeCast: true,
    states: async ({ c }, n) => inEachState(await agreementStates(n), (p) => c.get(agreementUrl(p, '/pdf'))),
    node: onCase({
      goes: reads,
      at: 'signing',
      read: true,
      call: (c, p) => c.get(agreementUrl(p, '/pdf')),
      done: (res) => {
        ok(res);
        expect(String(res.headers['content-type'])).toContain('application/pdf');
        expect(res.raw.rawPayload.subarray(0, 4).toString('latin1')).toBe('%PDF');
      },
    }),
  },
  'POST /api/mediation/agreements/:id/links': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await agreementStates(n), (p) => c.post(agreementUrl(p, '/links'))),
    node: onCase({
      goes: mediates,
      at: 'signing',
      call: (c, p) => c.post(agreementUrl(p, '/links')),
      done: async (res, p) => {
        ok(res);
        expect((res.body as Links).items.map((l) => l.partyId).sort()).toEqual(
          p.parties.map((x) => x.id).sort(),
        );
        const hashes = await db
          .selectFrom('mediation_signatures')
          .select('link_hash')
          .where('agreement_id', '=', p.agreement!)
          .where('party_id', 'is not', null)
          .execute();
        for (const h of hashes) expect(h.link_hash).not.toBeNull();
      },
    }),
  },
  'POST /api/mediation/agreements/:id/sign': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await agreementStates(n), (p) => c.post(agreementUrl(p, '/sign'))),
    // Only the case's own mediator signs for the committee: nobody of the cast, wherever the case is.
    node: onCase({
      goes: () => Promise.resolve(false),
      at: 'signing',
      call: (c, p) => c.post(agreementUrl(p, '/sign')),
      done: () => undefined,
    }),
  },
  'POST /api/mediation/agreements/:id/assisted-sign': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await agreementStates(n), (p) =>
        c.post(agreementUrl(p, '/assisted-sign'), { partyId: p.parties[0]!.id, idChecked: true }),
      ),
    node: onCase({
      goes: async (x) => (await mediates(x)) || (await may(x.c, 'hearings.assist')),
      at: 'signing',
      call: (c, p) =>
        c.post(agreementUrl(p, '/assisted-sign'), { partyId: p.parties[0]!.id, idChecked: true }),
      done: (res, p) => {
        ok(res);
        const a = res.body as AgreementView;
        expect(a.signed).toBe(1);
        expect(a.signatures.find((s) => s.partyId === p.parties[0]!.id)?.method).toBe('assisted');
      },
    }),
  },
  'POST /api/mediation/agreements/verify': {
    unscoped:
      'public: whether a PDF is an agreement exactly as generated; answers its id and nothing of its content',
    check: async ({ actor }) => {
      const p = await stocked(actor.scope(), 'signing');
      const pdf = (await adminClient.get(agreementUrl(p, '/pdf'))).raw.rawPayload;
      const send = (data: Buffer) =>
        t.anon().request({
          method: 'POST',
          url: '/api/mediation/agreements/verify',
          ...multipart([{ name: 'file', filename: 'agreement.pdf', contentType: 'application/pdf', data }]),
        });
      expect(await answer(send(pdf))).toMatchObject({ matches: true, agreementId: p.agreement });
      // One byte more is another file: nothing matches, and nothing is said of any agreement.
      expect(await answer(send(Buffer.concat([pdf, Buffer.from('\n')])))).toEqual({ matches: false });
    },
  },
  'POST /api/mediation/agreements/:id/confirmation': {
    wholeCast: true,
    states: async ({ c }, n) => {
      const { court } = await base();
      return inEachState(await agreementStates(n), (p) =>
        c.post(agreementUrl(p, '/confirmation'), { courtId: court, materials: ['application_form'] }),
      );
    },
    node: onCase({
      goes: mediates,
      at: 'agreed',
      call: async (c, p) =>
        c.post(agreementUrl(p, '/confirmation'), {
          courtId: (await base()).court,
          materials: ['application_form', 'agreement'],
        }),
      done: (res, p) => {
        ok(res, 201);
        // The new record: the application for confirmation of the case's agreement.
        expect(res.body as ConfirmationView).toMatchObject({
          agreementId: p.agreement,
          caseId: p.id,
          status: 'submitted',
        });
      },
    }),
  },

  // ---- judicial confirmation: placed at the court's node
  'GET /api/mediation/confirmations': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await confirmationStock(n, 'submitted');
        return x.c.get('/api/mediation/confirmations');
      },
      check: async (res, x) => {
        ok(res);
        const list = items(res) as ConfirmationView[];
        const readable = await reads(x);
        const courts = await courtsOf(x);
        const paths = await casePaths(list.map((i) => i.caseId));
        for (const i of list) {
          const inPlace = readable && isWithin(paths.get(i.caseId)!, x.actor.scope().path);
          expect(
            inPlace || courts.includes(i.court.id),
            `confirmation ${i.id} at ${paths.get(i.caseId)}`,
          ).toBe(true);
        }
        if (readable || courts.length > 0)
          expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        else expect(list).toEqual([]);
      },
    },
  },
  'POST /api/mediation/confirmations/:id/accept': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await confirmationStates(n), (p) =>
        c.post(`/api/mediation/confirmations/${p.confirmation}/accept`, { accept: true }),
      ),
    node: onRecord<Placed>({
      goes: (x) => may(x.c, 'mediation.confirm'),
      fresh: (n) => confirmationAt(n, 'submitted'),
      stock: (n) => confirmationStock(n, 'submitted'),
      snap: (p) => snapCase(p.id),
      call: (c, p) => c.post(`/api/mediation/confirmations/${p.confirmation}/accept`, { accept: true }),
      done: (res) => {
        ok(res);
        expect((res.body as ConfirmationView).status).toBe('accepted');
      },
    }),
  },
  'POST /api/mediation/confirmations/:id/decide': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await confirmationStates(n), (p) =>
        c.post(`/api/mediation/confirmations/${p.confirmation}/decide`, {
          confirm: true,
          ruling: '确认有效',
        }),
      ),
    node: onRecord<Placed>({
      goes: (x) => may(x.c, 'mediation.confirm'),
      fresh: (n) => confirmationAt(n, 'accepted'),
      stock: (n) => confirmationStock(n, 'accepted'),
      snap: (p) => snapCase(p.id),
      call: (c, p) =>
        c.post(`/api/mediation/confirmations/${p.confirmation}/decide`, {
          confirm: true,
          ruling: '确认有效',
        }),
      done: (res) => {
        ok(res);
        expect((res.body as ConfirmationView).status).toBe('confirmed');
      },
    }),
  },

  // ---- hearings at micro-court points: placed at the point's node, booked by the admin as the judge
  'GET /api/hearings': {
    wholeCast: true,
    list: {
      call: async (x) => {
        // A day of the list's own, with one hearing at the point of every place the list is read at.
        const day = new Date(Date.UTC(2033, 0, 1) + listDays++ * 86_400_000).toISOString().slice(0, 10);
        const at = (minutes: number) =>
          new Date(Date.parse(`${day}T10:00:00+08:00`) + minutes * 60_000).toISOString();
        const placed: number[] = [];
        for (const n of everywhere(x)) {
          const h = await answer(
            adminClient.post<HearingView>(
              '/api/hearings',
              hearingBody(await pointAt(n), { startsAt: at(0), endsAt: at(30) }),
            ),
            201,
          );
          placed.push(h.id);
        }
        const res = await x.c.get(`/api/hearings?day=${day}`);
        aims.set(res, { p: placed[0], before: null });
        return res;
      },
      check: async (res, x) => {
        ok(res);
        const list = items(res) as HearingView[];
        const readable = await reads(x);
        const me = await userIdOf(db, x.actor.name);
        const paths = await orgPaths(list.map((h) => h.point.id));
        for (const h of list) {
          const inPlace = readable && isWithin(paths.get(h.point.id)!, x.actor.scope().path);
          expect(inPlace || h.judge.id === me, `hearing ${h.id} at ${paths.get(h.point.id)}`).toBe(true);
        }
        if (readable) expect(list.map((h) => h.id)).toContain(aimed<number>(res).p);
        else expect(list).toEqual([]);
      },
    },
  },
  'POST /api/hearings': {
    wholeCast: true,
    node: {
      call: async (x, n, where) => {
        const point = await pointAt(n);
        const b = hearingBody(point, nextSlot());
        const res = await x.c.post('/api/hearings', b);
        aims.set(res, { p: b.title, before: null });
        const out = [res];
        if (where === 'outside') {
          // The caller's own point, for a case outside their scope.
          const foreign = await stocked(n, 'received');
          const b2 = hearingBody(await pointAt(x.actor.scope()), nextSlot(), foreign.id);
          const res2 = await x.c.post('/api/hearings', b2);
          aims.set(res2, { p: b2.title, before: null });
          out.push(res2);
        }
        return out;
      },
      inside: async (res, _x, n) => {
        ok(res, 201);
        expect((res.body as HearingView).point.id).toBe(await pointAt(n));
      },
      outside: async (res) => {
        const title = aimed<string>(res).p;
        const written = await db
          .selectFrom('micro_hearings')
          .select('id')
          .where('title', '=', title)
          .execute();
        // hearings.manage is held at a place: a point, or a case, outside it is 403 and nothing is booked.
        expect(res.status, `booked outside the caller's scope: ${JSON.stringify(res.body)}`).toBe(403);
        expect(written).toEqual([]);
      },
    },
  },
  'POST /api/hearings/:id/attendance': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await hearingStates(n), (h) =>
        c.post(`/api/hearings/${h.id}/attendance`, { present: [0], idChecked: true }),
      ),
    // The point's invited mediator in charge or the judge who booked it records who came: nobody else.
    node: onRecord<Hearing>({
      goes: (x) => Promise.resolve(x.actor.name === 'admin'),
      fresh: (n) => hearingAt(n, 'scheduled'),
      stock: (n) => hearingStock(n, 'scheduled'),
      snap: (h) => hearingRow(h.id),
      call: (c, h) => c.post(`/api/hearings/${h.id}/attendance`, { present: [0], idChecked: true }),
      done: (res) => {
        ok(res);
        const h = res.body as HearingView;
        expect(h.status).toBe('held');
        expect(h.participants[0]?.present).toBe(true);
      },
    }),
  },
  'POST /api/hearings/:id/cancel': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await hearingStates(n), (h) => c.post(`/api/hearings/${h.id}/cancel`)),
    // Only the judge who booked it cancels a hearing.
    node: onRecord<Hearing>({
      goes: (x) => Promise.resolve(x.actor.name === 'admin'),
      fresh: (n) => hearingAt(n, 'scheduled'),
      stock: (n) => hearingStock(n, 'scheduled'),
      snap: (h) => hearingRow(h.id),
      call: (c, h) => c.post(`/api/hearings/${h.id}/cancel`),
      done: (res) => {
        ok(res);
        expect((res.body as HearingView).status).toBe('cancelled');
      },
    }),
  },

  // ---- follow-ups, statistics, the mediator's day
  'GET /api/mediation/follow-ups': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await followUpStates(n);
        await backlog();
        return x.c.get('/api/mediation/follow-ups');
      },
      check: async (res, x) => {
        ok(res);
        const list = items(res) as FollowUpView[];
        const paths = await casePaths(list.map((i) => i.caseId));
        for (const i of list)
          expect(
            isWithin(paths.get(i.caseId)!, x.actor.scope().path),
            `visit ${i.id} at ${paths.get(i.caseId)}`,
          ).toBe(true);
        // A list of the whole district may stop at its 500 first; a town's has its own visits in it.
        if (x.actor.scope().level === 'district') return;
        const own = await followUpStates(x.actor.scope());
        // Filtered by scope in SQL: 500 visits due earlier elsewhere never hide a town's own.
        expect(
          list.map((i) => i.id),
          `the caller's own visits are missing behind 500 of other places`,
        ).toEqual(expect.arrayContaining([own.due.followUp, own.done.followUp]));
      },
    },
  },
  'POST /api/mediation/follow-ups/:id': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await followUpStates(n), (v) =>
        c.post(`/api/mediation/follow-ups/${v.followUp}`, { performance: 'partial', satisfaction: 4 }),
      ),
    node: onRecord<Visit>({
      goes: mediates,
      fresh: async (n) => {
        const p = await caseAt(n, 'agreed');
        return { ...p, followUp: p.followUps![0]! };
      },
      stock: async (n) => (await followUpStates(n)).due,
      snap: (v) => snapCase(v.id),
      call: (c, v) =>
        c.post(`/api/mediation/follow-ups/${v.followUp}`, {
          performance: 'partial',
          satisfaction: 4,
          note: '部分履行',
        }),
      done: (res, v) => {
        ok(res);
        expect(res.body as FollowUpView).toMatchObject({
          id: v.followUp,
          status: 'done',
          performance: 'partial',
        });
      },
    }),
  },
  'GET /api/mediation/stats': {
    wholeCast: true,
    list: {
      call: ({ c }) => c.get('/api/mediation/stats'),
      check: (res, x) => {
        ok(res);
        // Without a node: the caller's own place.
        expect((res.body as StatsView).node.id).toBe(x.actor.scope().id);
      },
    },
    node: {
      call: async ({ c }, n) => {
        await stocked(n, 'agreed');
        return [await c.get(`/api/mediation/stats?node=${n.id}`)];
      },
      inside: (res, _x, n) => {
        ok(res);
        const s = res.body as StatsView;
        expect(s.node.id).toBe(n.id);
        expect(s.figures.agreements).toBeGreaterThan(0);
      },
    },
  },
  'GET /api/mediation/stats/export': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [await c.get(`/api/mediation/stats/export?node=${n.id}`)],
      inside: (res) => {
        expect(res.status, String(res.body).slice(0, 200)).toBe(200);
        expect(String(res.headers['content-type'])).toContain(XLSX_MIME);
        expect(res.raw.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
      },
    },
  },
  'GET /api/mediation/agenda': {
    unscoped: 'the caller’s own sessions today, as the mediator of their cases: nobody else’s',
    wholeCast: true,
    check: async (x) => {
      const { mediatorClient } = await base();
      // A session today on a case of the matrix's mediator.
      const session = await once('agenda', async () => {
        const p = await caseAt(tree.district, 'mediating');
        const v = await answer(
          adminClient.post<SessionView>(caseUrl(p, '/sessions'), {
            startsAt: new Date().toISOString(),
            mode: 'in_person',
          }),
          201,
        );
        return v.id;
      });
      const theirs = await answer(mediatorClient.get('/api/mediation/agenda'));
      expect((theirs as { items: { id: number }[] }).items.map((s) => s.id)).toContain(session);
      const res = await x.c.get('/api/mediation/agenda');
      if (!(await mediates(x))) return refused(res);
      ok(res);
      expect((items(res) as { id: number }[]).map((s) => s.id)).not.toContain(session);
    },
  },

  // ---- public: the resident's application, the party's own link, the one-time signing link
  'POST /api/public/mediation/applications': {
    unscoped:
      'public: a resident applies for mediation at their place; answers their own link and nothing else',
    check: async ({ actor }) => {
      await base();
      const anon = t.anon();
      const n = actor.scope();
      const a = application(n);
      const res = await anon.post<Applied>('/api/public/mediation/applications', a.body);
      ok(res, 201);
      expect(Object.keys(res.body).sort()).toEqual(['caseId', 'dossierNo', 'partyToken']);
      const row = await caseRow(res.body.caseId);
      expect({ node: row.node_id, status: row.status, source: row.source }).toEqual({
        node: n.id,
        status: 'received',
        source: 'application',
      });
      // Not at the district itself, nor at a place that does not exist.
      refused(await anon.post('/api/public/mediation/applications', application(tree.district).body), 404);
      refused(
        await anon.post('/api/public/mediation/applications', { ...application(n).body, nodeId: 999999 }),
        404,
      );
    },
  },
  'GET /api/public/mediation/party/:token': {
    stateless:
      'the party’s own link is their credential; the route is public and reaches that party’s case only',
    unscoped: 'public: a party follows their own case by their link; the others by side and name only',
    check: async ({ actor }) => {
      await base();
      const anon = t.anon();
      const a = application(actor.scope());
      const applied = await answer(anon.post<Applied>('/api/public/mediation/applications', a.body), 201);
      const res = await anon.get<PartyCase>(`/api/public/mediation/party/${applied.partyToken}`);
      ok(res);
      expect(res.body.you.name).toBe(a.applicant.name);
      expect(res.body.others).toEqual([{ side: 'respondent', name: a.respondent.name }]);
      for (const secret of [a.applicant.idNumber, a.applicant.phone, a.respondent.phone])
        expect(JSON.stringify(res.body)).not.toContain(secret);
      refused(await anon.get(`/api/public/mediation/party/${NO_SUCH_TOKEN}`), 404);
    },
  },
  'GET /api/public/mediation/mediators/:id': {
    stateless: 'a mediator’s public profile reads the same whatever their cases’ states: it is public',
    unscoped: 'public: a party reads the profile of the mediator their own page names',
    check: async ({ actor }) => {
      const { mediator } = await base();
      const anon = t.anon();
      // The party's own page names the designated mediator; the profile is read without signing in.
      const p = await caseAt(actor.scope(), 'mediating');
      const links = (await answer(adminClient.post<Links>(caseUrl(p, '/party-links')))).items;
      const own = await answer(
        anon.get<PartyCase & { mediator: { id: number; name: string } }>(
          `/api/public/mediation/party/${links[0]!.token}`,
        ),
      );
      expect(own.mediator).toEqual({ id: mediator, name: 'matrixmediator' });
      const res = await anon.get<Record<string, unknown>>(`/api/public/mediation/mediators/${mediator}`);
      ok(res);
      const open = await db
        .selectFrom('mediation_cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('mediator_id', '=', mediator)
        .where('status', 'in', ['received', 'mediating', 'signing'])
        .executeTakeFirstOrThrow();
      // What a party needs, and nothing of the account behind it.
      const committee = await db
        .selectFrom('mediation_orgs')
        .select('name')
        .where('id', '=', (await base()).committee)
        .executeTakeFirstOrThrow();
      expect(res.body).toEqual({
        id: mediator,
        name: 'matrixmediator',
        organisation: committee.name,
        area: tree.district.name,
        specialties: ['neighbour'],
        qualification: null,
        profile: null,
        load: Number(open.n),
      });
      refused(await anon.get('/api/public/mediation/mediators/2147483647'), 404);
    },
  },
  'POST /api/public/mediation/party/:token/consent': {
    stateless:
      'the party’s own link is their credential; the route is public and reaches that party’s case only',
    unscoped: 'public: a party says by their own link whether they are willing to mediate',
    check: async ({ actor }) => {
      const anon = t.anon();
      const p = await caseAt(actor.scope(), 'received');
      const links = (await answer(adminClient.post<Links>(caseUrl(p, '/party-links')))).items;
      const token = (partyId: number) => links.find((l) => l.partyId === partyId)!.token;
      const url = (partyId: number) => `/api/public/mediation/party/${token(partyId)}/consent`;
      const yes = await anon.post<PartyCase>(url(p.parties[1]!.id), { consent: 'yes' });
      ok(yes);
      expect(yes.body.you).toMatchObject({ id: p.parties[1]!.id, consent: 'yes' });
      // The other party refuses: the case ends (Art. 17) and nobody consents any more.
      const no = await anon.post<PartyCase>(url(p.parties[0]!.id), { consent: 'no' });
      ok(no);
      expect(no.body.status).toBe('refused');
      refused(await anon.post(url(p.parties[1]!.id), { consent: 'yes' }), 409);
      refused(
        await anon.post(`/api/public/mediation/party/${NO_SUCH_TOKEN}/consent`, { consent: 'yes' }),
        404,
      );
    },
  },
  'POST /api/public/mediation/party/:token/messages': {
    stateless:
      'the party’s own link is their credential; the route is public and reaches that party’s case only',
    unscoped: 'public: a party writes to the mediator by their own link',
    check: async ({ actor }) => {
      await base();
      const anon = t.anon();
      const form = application(actor.scope());
      const applied = await answer(anon.post<Applied>('/api/public/mediation/applications', form.body), 201);
      const url = `/api/public/mediation/party/${applied.partyToken}/messages`;
      const res = await anon.post<MessageView>(url, { body: '矩阵当事人留言' });
      ok(res, 201);
      // The new record: the party's message, which their own page now shows.
      expect(res.body).toMatchObject({ body: '矩阵当事人留言', author: form.applicant.name });
      const own = await answer(anon.get<PartyCase>(`/api/public/mediation/party/${applied.partyToken}`));
      expect(own.messages).toContainEqual(res.body);
      ok(await asAdmin(caseUrl({ id: applied.caseId }, '/withdraw'), { reason: '申请人撤回' }));
      refused(await anon.post(url, { body: '撤回后留言' }), 409);
    },
  },
  'GET /api/public/mediation/sign/:token': {
    stateless:
      'a one-time signing link is the party’s credential; the route is public and reaches one signature only',
    unscoped: 'public: what a one-time link asks its party to sign',
    check: async ({ actor }) => {
      const anon = t.anon();
      const p = await caseAt(actor.scope(), 'signing');
      const links = (await answer(adminClient.post<Links>(agreementUrl(p, '/links')))).items;
      const res = await anon.get<{ name: string; signed: boolean; status: string }>(
        `/api/public/mediation/sign/${links[0]!.token}`,
      );
      ok(res);
      expect(res.body).toMatchObject({
        name: links[0]!.name,
        signed: false,
        status: 'signing',
      });
      for (const party of p.parties) expect(JSON.stringify(res.body)).not.toContain(party.idNumber);
      refused(await anon.get(`/api/public/mediation/sign/${NO_SUCH_TOKEN}`), 404);
    },
  },
  'GET /api/public/mediation/sign/:token/pdf': {
    stateless:
      'a one-time signing link is the party’s credential; the route is public and reaches one agreement only',
    unscoped: 'public: the agreement a one-time link asks its party to sign, to read first',
    check: async ({ actor }) => {
      const anon = t.anon();
      const p = await caseAt(actor.scope(), 'signing');
      const links = (await answer(adminClient.post<Links>(agreementUrl(p, '/links')))).items;
      const res = await anon.get(`/api/public/mediation/sign/${links[0]!.token}/pdf`);
      ok(res);
      expect(String(res.headers['content-type'])).toContain('application/pdf');
      const stored = (await adminClient.get(agreementUrl(p, '/pdf'))).raw.rawPayload;
      expect(res.raw.rawPayload.equals(stored)).toBe(true);
      refused(await anon.get(`/api/public/mediation/sign/${NO_SUCH_TOKEN}/pdf`), 404);
    },
  },
  'POST /api/public/mediation/sign/:token': {
    stateless:
      'a one-time signing link is the party’s credential; the route is public and reaches one signature only',
    unscoped:
      'public: a party signs by their one-time link after giving the name and ID number the case holds',
    check: async ({ actor }) => {
      const anon = t.anon();
      const p = await caseAt(actor.scope(), 'signing');
      const links = (await answer(adminClient.post<Links>(agreementUrl(p, '/links')))).items;
      const party = p.parties.find((x) => x.id === links[0]!.partyId)!;
      const url = `/api/public/mediation/sign/${links[0]!.token}`;
      const other = p.parties.find((x) => x.id !== party.id)!;
      const wrong = await anon.post(url, { name: party.name, idNumber: other.idNumber });
      refused(wrong, 400);
      expect((wrong.body as { code: string }).code).toBe('mediation.identity_mismatch');
      ok(await anon.post(url, { name: party.name, idNumber: party.idNumber }));
      const signed = await db
        .selectFrom('mediation_signatures')
        .select('signed_at')
        .where('agreement_id', '=', p.agreement!)
        .where('party_id', '=', party.id)
        .executeTakeFirstOrThrow();
      expect(signed.signed_at).not.toBeNull();
      // A used link signs nothing more (gone, or already signed).
      const again = await anon.post(url, { name: party.name, idNumber: party.idNumber });
      expect([404, 409], JSON.stringify(again.body)).toContain(again.status);
      expect(String(again.headers['content-type'])).toMatch(/^application\/problem\+json/);
    },
  },
};
