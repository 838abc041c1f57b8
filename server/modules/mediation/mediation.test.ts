// Joint mediation and micro courts over HTTP, on both databases: a party's refusal ends the case
// (Art. 17); a 77-claimant wage case gives one agreement whose Chinese PDF carries the content hash
// the audit chain recorded, every claimant signing through their own one-time link; a family case is
// mediated in caucus until both sides meet jointly; a micro-court point's computer is never booked
// twice; the statistics give a hand-worked answer; parties and mediators see only their own cases;
// one case goes the whole way from a resident's application to a follow-up visit and the counters
// follow it; bad input is a 400 and nothing answers 500.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgreementView,
  CaseView,
  ConfirmationView,
  EvidenceView,
  FollowUpView,
  HearingView,
  MediatorView,
  MessageView,
  OrgView,
  SessionView,
  StatsFigures,
  StatsView,
} from '../../../common/contracts/mediation.js';
import { localDate } from '../../../common/worktime.js';
import type { DB } from '../../db/index.js';
import { rebuildMediationStats } from './index.js';
import { spellName } from '../../platform/spelling.js';
import { counterAt, makeCast, makeTree, makeUser, type Tree, type TreeNode } from '../../test/factories.js';
import { buildTestApp, type Client, type TestApp, type TestResponse } from '../../test/harness.js';
import { multipart, nthIdNumber, scratchChild, userIdOf } from '../../test/routes.js';
import { pdfText } from '../../test/pdf-text.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client, commander: Client, cadre: Client, cadre2: Client;
let mediator1: Client, mediator2: Client, judge: Client, invited: Client, invited2: Client;
/** The village of the whole flow: its own committee and cadre, so that its counters are its case's alone. */
let flowVillage: TreeNode;
let villageCommittee: OrgView, townCommittee: OrgView, point: OrgView, court: OrgView;
/** mediator1's and mediator2's registrations (mediators.id). */
let m1: MediatorView, m2: MediatorView;
/** Every answer of 500 or above, wherever it came from. */
const serverErrors: string[] = [];

interface Problem {
  code: string;
  issues?: { path: string; code: string }[];
}
interface PartyCase {
  dossierNo: string;
  status: string;
  you: { id: number; name: string; consent: string };
  others: { side: string; name: string }[];
  caucus: boolean;
  sessions: { kind: string }[];
  messages: MessageView[];
}
interface Links {
  items: { partyId: number; name: string; token: string }[];
}

let seq = 0;
/** A distinct valid ID number for every party of the suite. */
const idNo = () => nthIdNumber(7000 + ++seq, '330185');
const person = (side: 'applicant' | 'respondent', name: string, extra: object = {}) => ({
  side,
  kind: 'person' as const,
  name,
  idNumber: idNo(),
  phone: null,
  ...extra,
});

/** The answer's status as expected (its body in the failure message), and its body. */
async function ok<T>(p: Promise<TestResponse<T>>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}
/** The answer's status and problem code. */
async function refused(p: Promise<TestResponse<unknown>>, status: number, code?: string) {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  if (code) expect((res.body as Problem).code).toBe(code);
  return res.body as Problem;
}
/** Runs the calls a few at a time. */
async function inBatches<T, R>(items: readonly T[], size: number, f: (x: T, i: number) => Promise<R>) {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map((x, k) => f(x, i + k)))));
  return out;
}

const newCase = (c: Client, node: TreeNode, disputeType: string, parties: object[], extra: object = {}) =>
  ok(
    c.post<CaseView>('/api/mediation/cases', {
      nodeId: node.id,
      source: 'initiative',
      disputeType,
      facts: '双方因琐事发生纠纷。',
      claims: '请求调解。',
      parties,
      ...extra,
    }),
    201,
  );
const consent = (c: Client, caseId: number, partyId: number, answer: 'yes' | 'no') =>
  c.post<CaseView>(`/api/mediation/cases/${caseId}/consent`, { partyId, consent: answer });
const assign = (c: Client, caseId: number, mediatorId: number) =>
  c.post<CaseView>(`/api/mediation/cases/${caseId}/assign`, { mediatorId });
const schedule = (c: Client, caseId: number, body: object = {}) =>
  c.post<SessionView>(`/api/mediation/cases/${caseId}/sessions`, {
    startsAt: '2030-03-01T02:00:00Z',
    mode: 'in_person',
    ...body,
  });
/** A case every party consented to, with mediator1 designated: mediating. */
async function mediatingCase(node: TreeNode, disputeType: string, parties: object[]) {
  const c = await newCase(mediator1, node, disputeType, parties);
  for (const p of c.parties) await ok(consent(mediator1, c.id, p.id, 'yes'));
  const v = await ok(assign(mediator1, c.id, m1.id));
  expect(v.status).toBe('mediating');
  return v;
}

const pdfOf = (res: TestResponse<unknown>) => res.raw.rawPayload;
const verifyPdf = (pdf: Buffer) => {
  const m = multipart([
    { name: 'file', filename: 'agreement.pdf', contentType: 'application/pdf', data: pdf },
  ]);
  return t.anon().request<{ matches: boolean; agreementId?: number }>({
    method: 'POST',
    url: '/api/mediation/agreements/verify',
    payload: m.payload,
    headers: m.headers,
  });
};

beforeAll(async () => {
  t = await buildTestApp();
  // Every answer passes here: the last test says none was a server error.
  const inject = t.app.inject.bind(t.app) as (opts: InjectOptions) => Promise<LightMyRequestResponse>;
  Object.assign(t.app, {
    inject: async (opts: InjectOptions) => {
      const res = await inject(opts);
      if (res.statusCode >= 500) serverErrors.push(`${res.statusCode} ${res.body.slice(0, 300)}`);
      return res;
    },
  });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  flowVillage = await scratchChild(db, tree.towns[0]!, 'village');
  await makeUser(db, 'cadre2', [{ role: 'village_cadre', node: flowVillage }]);
  await makeUser(db, 'mediator1', [{ role: 'mediator', node: tree.towns[0]! }]);
  await makeUser(db, 'mediator2', [{ role: 'mediator', node: tree.towns[1]! }]);
  await makeUser(db, 'judge', [{ role: 'judge', node: tree.district }]);
  // The invited mediators sit at another village's micro-court point than the flow's case.
  const invitedId = await makeUser(db, 'invited', [{ role: 'invited_mediator', node: tree.villages[1]! }]);
  await makeUser(db, 'invited2', [{ role: 'invited_mediator', node: tree.villages[1]! }]);
  [admin, commander, cadre, cadre2, mediator1, mediator2, judge, invited, invited2] = await Promise.all([
    t.login('admin'),
    t.login('commander'),
    t.login('cadre'),
    t.login('cadre2'),
    t.login('mediator1'),
    t.login('mediator2'),
    t.login('judge'),
    t.login('invited'),
    t.login('invited2'),
  ]);
  const org = (body: object) => ok(admin.post<OrgView>('/api/mediation/orgs', body), 201);
  villageCommittee = await org({
    kind: 'committee',
    name: '镇1村1人民调解委员会',
    nodeId: tree.villages[0]!.id,
  });
  townCommittee = await org({ kind: 'committee', name: '镇1人民调解委员会', nodeId: tree.towns[0]!.id });
  await org({ kind: 'committee', name: '镇2人民调解委员会', nodeId: tree.towns[1]!.id });
  await org({ kind: 'committee', name: '流程村人民调解委员会', nodeId: flowVillage.id });
  point = await org({
    kind: 'micro_court',
    name: '镇1村2微法庭',
    nodeId: tree.villages[1]!.id,
    address: '村委会二楼',
    equipment: '一体机一台',
    inChargeUserId: invitedId,
  });
  court = await org({ kind: 'court', name: '测试区人民法院', nodeId: tree.district.id });
  expect(point.inCharge?.id).toBe(invitedId);
  m1 = await ok(
    admin.post<MediatorView>('/api/mediation/mediators', {
      userId: await userIdOf(db, 'mediator1'),
      orgId: townCommittee.id,
      specialties: ['labour_wages', 'neighbour', 'marriage_family'],
    }),
    201,
  );
  const town2 = (await ok(admin.get<{ items: OrgView[] }>('/api/mediation/orgs?kind=committee'))).items.find(
    (o) => o.node.id === tree.towns[1]!.id,
  )!;
  m2 = await ok(
    admin.post<MediatorView>('/api/mediation/mediators', {
      userId: await userIdOf(db, 'mediator2'),
      orgId: town2.id,
      specialties: ['neighbour'],
    }),
    201,
  );
});
afterAll(async () => t?.close());

describe('organisations and mediators', () => {
  it('lists the organisations by kind and refuses a second registration of a mediator', async () => {
    const courts = await ok(commander.get<{ items: OrgView[] }>('/api/mediation/orgs?kind=court'));
    expect(courts.items.map((o) => o.id)).toEqual([court.id]);
    const atTown = await ok(
      mediator1.get<{ items: OrgView[] }>(`/api/mediation/orgs?node=${tree.towns[0]!.id}`),
    );
    expect(atTown.items.map((o) => o.id)).toEqual(
      expect.arrayContaining([villageCommittee.id, townCommittee.id, point.id]),
    );
    expect(atTown.items.some((o) => o.id === court.id)).toBe(false);
    await refused(
      admin.post('/api/mediation/mediators', { userId: m1.userId, orgId: townCommittee.id }),
      409,
      'mediation.mediator_taken',
    );
    // Setting up organisations is mediation.manage's: a cadre may not.
    await refused(
      cadre.post('/api/mediation/orgs', { kind: 'committee', name: '另设', nodeId: tree.villages[0]!.id }),
      403,
    );
  });
});

describe('a party who refuses (Art. 17)', () => {
  it('ends the case as refused: no session, no mediator, no further consent', async () => {
    const c = await newCase(cadre, tree.villages[0]!, 'neighbour', [
      person('applicant', '周一'),
      person('respondent', '吴二'),
    ]);
    expect(c.status).toBe('received');
    const [applicant, respondent] = c.parties;
    await ok(consent(mediator1, c.id, applicant!.id, 'yes'));
    const after = await ok(consent(mediator1, c.id, respondent!.id, 'no'));
    expect(after.status).toBe('refused');
    expect(after.parties.find((p) => p.id === respondent!.id)!.consent).toBe('no');
    expect(after.abilities.schedule).toBe(false);
    expect(after.abilities.assign).toBe(false);
    await refused(schedule(mediator1, c.id), 409, 'mediation.transition');
    await refused(assign(cadre, c.id, m1.id), 409, 'mediation.transition');
    await refused(consent(mediator1, c.id, respondent!.id, 'yes'), 409, 'mediation.transition');
    const stored = await db
      .selectFrom('mediation_cases')
      .select(['status', 'mediator_id'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'refused', mediator_id: null });
    expect(
      await db.selectFrom('mediation_sessions').select('id').where('case_id', '=', c.id).execute(),
    ).toEqual([]);
  });

  it('ends it the same way when the party refuses through their own link', async () => {
    const c = await newCase(mediator1, tree.villages[0]!, 'neighbour', [
      person('applicant', '郑三'),
      person('respondent', '王四'),
    ]);
    const links = await ok(mediator1.post<Links>(`/api/mediation/cases/${c.id}/party-links`));
    const respondent = links.items.find((l) => l.name === '王四')!;
    const view = await ok(
      t.anon().post<PartyCase>(`/api/public/mediation/party/${respondent.token}/consent`, { consent: 'no' }),
    );
    expect(view.status).toBe('refused');
    await refused(assign(mediator1, c.id, m1.id), 409, 'mediation.transition');
    await refused(schedule(mediator1, c.id, { mode: 'video', meetingLink: 'https://meet.example/x' }), 409);
  });

  it('refuses to designate a mediator until every party said yes', async () => {
    const c = await newCase(cadre, tree.villages[0]!, 'neighbour', [
      person('applicant', '冯五'),
      person('respondent', '陈六'),
    ]);
    await ok(consent(mediator1, c.id, c.parties[0]!.id, 'yes'));
    await refused(assign(cadre, c.id, m1.id), 409, 'mediation.consent_missing');
    await refused(schedule(mediator1, c.id), 409, 'mediation.transition');
    // The village committee itself asks the other party (the cadre holds no mediation.mediate) and designates.
    const asked = await ok(consent(cadre, c.id, c.parties[1]!.id, 'yes'));
    expect(asked.abilities.consent).toBe(true);
    expect((await ok(assign(cadre, c.id, m1.id))).status).toBe('mediating');
  });
});

describe('a wage case of 77 claimants against one employer', () => {
  const CLAIMANTS = 77;
  const employer = { name: '临安某建筑工程有限公司', idNumber: idNo() };
  const claimants = Array.from({ length: CLAIMANTS }, (_, i) => ({
    name: `工人${String(i + 1).padStart(3, '0')}`,
    idNumber: idNo(),
  }));
  let wage: CaseView;
  let agreement: AgreementView;
  let links: Links['items'];
  const linkOf = (name: string) => links.find((l) => l.name === name)!.token;
  const sign = (token: string, body: { name: string; idNumber: string }) =>
    t.anon().post<Problem>(`/api/public/mediation/sign/${token}`, body);
  const current = () => ok(mediator1.get<AgreementView>(`/api/mediation/agreements/${agreement.id}`));

  beforeAll(async () => {
    wage = await newCase(
      cadre,
      tree.villages[0]!,
      'labour_wages',
      [
        ...claimants.map((c) => ({ side: 'applicant', kind: 'person', ...c, phone: null })),
        // The employer, with its legal representative's ID number to sign by.
        { side: 'respondent', kind: 'org', ...employer, agent: '法定代表人赵某' },
      ],
      { amountYuan: 77 * 12000, facts: '某工地拖欠七十七名工人工资。', claims: '请求支付拖欠工资。' },
    );
    expect(wage.applicants).toBe(CLAIMANTS);
    expect(wage.respondents).toBe(1);
    expect(wage.title).toBe(`工人001等${CLAIMANTS}人 — ${employer.name}`);
    await inBatches(wage.parties, 13, (p) => ok(consent(mediator1, wage.id, p.id, 'yes')));
    expect((await ok(assign(cadre, wage.id, m1.id))).status).toBe('mediating');
  });

  it('produces one agreement with an obligation per claimant, and a one-time link per party', async () => {
    const respondent = wage.parties.find((p) => p.side === 'respondent')!;
    const drafted = await ok(
      mediator1.post<AgreementView>(`/api/mediation/cases/${wage.id}/agreement`, {
        facts: '某工地拖欠七十七名工人工资，经调解双方自愿达成协议。',
        disputedPoints: '拖欠工资的数额与支付期限。',
        obligations: wage.parties
          .filter((p) => p.side === 'applicant')
          .map((p) => ({
            partyId: respondent.id,
            what: `向${p.name}支付拖欠工资`,
            amountYuan: 12000,
            manner: '银行转账',
            deadline: '2030-01-15',
          })),
        otherTerms: '本协议自各方签名之日起生效。',
      }),
      201,
    );
    // A create answers the new record: the agreement drafted, its case now signing.
    agreement = drafted;
    expect(agreement).toMatchObject({ caseId: wage.id, status: 'signing' });
    const signing = await ok(mediator1.get<CaseView>(`/api/mediation/cases/${wage.id}`));
    expect(signing.status).toBe('signing');
    expect(signing.agreement).toEqual(agreement);
    expect(agreement.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(agreement.obligations).toHaveLength(CLAIMANTS);
    expect(agreement.toSign).toBe(CLAIMANTS + 2);
    expect(agreement.signed).toBe(0);
    expect(
      await db.selectFrom('mediation_agreements').select('id').where('case_id', '=', wage.id).execute(),
    ).toEqual([{ id: agreement.id }]);

    links = (await ok(mediator1.post<Links>(`/api/mediation/agreements/${agreement.id}/links`))).items;
    expect(links).toHaveLength(CLAIMANTS + 1);
    expect(new Set(links.map((l) => l.token)).size).toBe(CLAIMANTS + 1);
    expect(new Set(links.map((l) => l.partyId))).toEqual(new Set(wage.parties.map((p) => p.id)));
    const page = await ok(
      t
        .anon()
        .get<{ name: string; sha256: string; signed: boolean; obligations: unknown[] }>(
          `/api/public/mediation/sign/${linkOf('工人001')}`,
        ),
    );
    expect(page).toMatchObject({ name: '工人001', sha256: agreement.sha256, signed: false });
    expect(page.obligations).toHaveLength(CLAIMANTS);
  });

  it('refuses a wrong ID number or name and signs nothing', async () => {
    const token = linkOf('工人001');
    const wrongId = await refused(
      sign(token, { name: '工人001', idNumber: claimants[1]!.idNumber }),
      400,
      'mediation.identity_mismatch',
    );
    expect(wrongId.code).toBe('mediation.identity_mismatch');
    await refused(
      sign(token, { name: '工人002', idNumber: claimants[0]!.idNumber }),
      400,
      'mediation.identity_mismatch',
    );
    // Someone else's link with one's own identity is refused the same way.
    await refused(sign(linkOf('工人003'), claimants[0]!), 400, 'mediation.identity_mismatch');
    expect((await current()).signed).toBe(0);
    const unsigned = await db
      .selectFrom('mediation_signatures')
      .select('id')
      .where('agreement_id', '=', agreement.id)
      .where('signed_at', 'is not', null)
      .execute();
    expect(unsigned).toEqual([]);
  });

  it('takes each claimant’s signature through their own link; a used link is gone', async () => {
    await inBatches(claimants, 10, async (c) => ok(sign(linkOf(c.name), c)));
    await refused(sign(linkOf('工人001'), claimants[0]!), 404, 'not_found');
    await refused(t.anon().get(`/api/public/mediation/sign/${linkOf('工人002')}`), 404, 'not_found');
    const a = await current();
    expect(a.status).toBe('signing');
    expect(a.signed).toBe(CLAIMANTS);
    expect(a.signatures.filter((s) => s.method === 'online')).toHaveLength(CLAIMANTS);
  });

  it('stays signing until the last signature, then is in effect and the case agreed', async () => {
    await ok(sign(linkOf(employer.name), employer));
    let a = await current();
    expect(a.status).toBe('signing');
    expect(a.signed).toBe(CLAIMANTS + 1);
    expect((await ok(mediator1.get<CaseView>(`/api/mediation/cases/${wage.id}`))).status).toBe('signing');
    // The mediator's own signature is theirs alone: another mediator in scope may not give it.
    await refused(mediator2.post(`/api/mediation/agreements/${agreement.id}/sign`), 403);
    a = await ok(mediator1.post<AgreementView>(`/api/mediation/agreements/${agreement.id}/sign`));
    expect(a.status).toBe('in_effect');
    expect(a.signed).toBe(CLAIMANTS + 2);
    expect(a.effectiveAt).not.toBeNull();
    const c = await ok(mediator1.get<CaseView>(`/api/mediation/cases/${wage.id}`));
    expect(c.status).toBe('agreed');
    expect(c.concludedAt).toBe(a.effectiveAt);
    await refused(mediator1.post(`/api/mediation/agreements/${agreement.id}/sign`), 409);
    agreement = a;
  });

  it('renders Chinese text in its PDF with the content hash the audit chain recorded', async () => {
    const res = await mediator1.get(`/api/mediation/agreements/${agreement.id}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = pdfOf(res);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('人民调解协议书');
    expect(flat).toContain(employer.name);
    expect(flat).toContain('工人001');
    expect(flat).toContain('工人077');
    expect(flat).toContain(agreement.sha256);
    expect(agreement.pdfSha256).toBe(
      (await import('node:crypto')).createHash('sha256').update(pdf).digest('hex'),
    );

    const rows = await db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('entity_type', '=', 'mediation_agreement')
      .where('entity_id', '=', String(agreement.id))
      .where('action', 'in', ['mediation.agreement.draft', 'mediation.agreement.sign'])
      .execute();
    expect(rows.filter((r) => r.action === 'mediation.agreement.draft')).toHaveLength(1);
    expect(rows.filter((r) => r.action === 'mediation.agreement.sign')).toHaveLength(CLAIMANTS + 2);
    for (const r of rows) expect((JSON.parse(r.detail!) as { sha256: string }).sha256).toBe(agreement.sha256);
  });

  it('verifies the PDF byte for byte', async () => {
    const pdf = pdfOf(await mediator1.get(`/api/mediation/agreements/${agreement.id}/pdf`));
    expect(await ok(verifyPdf(pdf))).toEqual({
      matches: true,
      agreementId: agreement.id,
      status: 'in_effect',
    });
    const altered = Buffer.from(pdf);
    const at = Math.floor(altered.length / 2);
    altered[at] = altered[at]! ^ 0x01;
    expect(await ok(verifyPdf(altered))).toEqual({ matches: false });
  });
});

describe('a family case (caucus)', () => {
  let fam: CaseView;
  let wife: string, husband: string;
  const partyView = (token: string) => ok(t.anon().get<PartyCase>(`/api/public/mediation/party/${token}`));
  const write = (token: string, body: string) =>
    ok(t.anon().post<MessageView>(`/api/public/mediation/party/${token}/messages`, { body }), 201);

  beforeAll(async () => {
    fam = await mediatingCase(tree.villages[0]!, 'marriage_family', [
      person('applicant', '林芳'),
      person('respondent', '黄强'),
    ]);
    const links = (await ok(mediator1.post<Links>(`/api/mediation/cases/${fam.id}/party-links`))).items;
    wife = links.find((l) => l.name === '林芳')!.token;
    husband = links.find((l) => l.name === '黄强')!.token;
  });

  it('defaults to caucus: sessions without a kind are caucus sessions', async () => {
    expect(fam.caucus).toBe(true);
    // A create answers the new record: the session scheduled.
    const caucus = await ok(schedule(mediator1, fam.id), 201);
    expect(caucus).toMatchObject({ kind: 'caucus', mode: 'in_person', status: 'scheduled' });
    const joint = await ok(
      schedule(mediator1, fam.id, { kind: 'joint', startsAt: '2030-03-02T02:00:00Z' }),
      201,
    );
    expect(joint.kind).toBe('joint');
    const v = await ok(mediator1.get<CaseView>(`/api/mediation/cases/${fam.id}`));
    expect(v.sessions.map((s) => [s.id, s.kind])).toEqual([
      [caucus.id, 'caucus'],
      [joint.id, 'joint'],
    ]);
  });

  it('keeps a party’s message from the other party but not from the mediator, until they meet jointly', async () => {
    const mine = await write(wife, '我只想和调解员单独谈谈孩子的事。');
    const wifeView = await partyView(wife);
    expect(mine).toMatchObject({ partyId: wifeView.you.id, author: '林芳', toAll: false });
    expect(wifeView.messages).toContainEqual(mine);
    expect(wifeView.caucus).toBe(true);
    const other = await partyView(husband);
    expect(other.messages.map((m) => m.body)).not.toContain('我只想和调解员单独谈谈孩子的事。');
    const all = await ok(mediator1.get<{ items: MessageView[] }>(`/api/mediation/cases/${fam.id}/messages`));
    const seen = all.items.find((m) => m.body === '我只想和调解员单独谈谈孩子的事。');
    expect(seen).toEqual(mine);

    const joint = await ok(mediator1.post<CaseView>(`/api/mediation/cases/${fam.id}/joint`));
    expect(joint.caucus).toBe(false);
    await write(wife, '我同意共同协商。');
    // The mediator's message answers as the new record, and reaches both parties.
    const note = await ok(
      mediator1.post<MessageView>(`/api/mediation/cases/${fam.id}/messages`, {
        body: '请双方下周二上午到村调委会面谈。',
        toAll: true,
      }),
      201,
    );
    expect(note).toMatchObject({
      partyId: null,
      author: 'mediator1',
      toAll: true,
      body: '请双方下周二上午到村调委会面谈。',
    });
    const both = await partyView(husband);
    expect(both.messages).toContainEqual(note);
    expect(both.caucus).toBe(false);
    expect(both.messages.map((m) => m.body)).toContain('我同意共同协商。');
    // The caucus message stays between her and the mediator.
    expect(both.messages.map((m) => m.body)).not.toContain('我只想和调解员单独谈谈孩子的事。');
    expect((await partyView(wife)).messages.map((m) => m.body)).toEqual(
      expect.arrayContaining(['我只想和调解员单独谈谈孩子的事。', '我同意共同协商。']),
    );
    // A session scheduled now without a kind is joint.
    const v = await ok(schedule(mediator1, fam.id, { startsAt: '2030-03-03T02:00:00Z' }), 201);
    expect(v.kind).toBe('joint');
  });
});

describe('intake', () => {
  it('numbers applications arriving together at one committee one after the other', async () => {
    // Village 3 has no committee of its own: the town 2 committee receives them.
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.anon().post<{ caseId: number; dossierNo: string }>('/api/public/mediation/applications', {
          nodeId: tree.villages[2]!.id,
          disputeType: 'neighbour',
          facts: '宅基地边界争议。',
          claims: '请求确认边界。',
          applicant: { name: `申请人${i}`, idNumber: idNo(), phone: '13900003333' },
          respondents: [{ name: `被申请人${i}` }],
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.dossierNo)).size).toBe(6);
    const view = await ok(mediator2.get<CaseView>(`/api/mediation/cases/${answers[0]!.body.caseId}`));
    expect(view.org.name).toBe('镇2人民调解委员会');
    // Nothing to apply at: a retired village, or the district itself.
    const gone = await scratchChild(db, tree.towns[1]!, 'village');
    await db
      .updateTable('nodes')
      .set({ retired_at: new Date().toISOString() })
      .where('id', '=', gone.id)
      .execute();
    await refused(
      t.anon().post('/api/public/mediation/applications', {
        nodeId: gone.id,
        disputeType: 'neighbour',
        facts: '事实',
        claims: '请求',
        applicant: { name: '某人', idNumber: idNo(), phone: '13900004444' },
        respondents: [{ name: '某乙' }],
      }),
      404,
    );
    await refused(
      t.anon().post('/api/public/mediation/applications', {
        nodeId: tree.district.id,
        disputeType: 'neighbour',
        facts: '事实',
        claims: '请求',
        applicant: { name: '某人', idNumber: idNo(), phone: '13900004444' },
        respondents: [{ name: '某乙' }],
      }),
      404,
    );
  });
});

describe('the mediation ladder', () => {
  it('hands a case up to the town committee, which registers it under its own dossier number', async () => {
    const town = await scratchChild(db, tree.district, 'town');
    const village = await scratchChild(db, town, 'village');
    await makeUser(db, 'laddermed', [{ role: 'mediator', node: town }]);
    const med = await t.login('laddermed');
    const org = (nodeId: number, name: string) =>
      ok(admin.post<OrgView>('/api/mediation/orgs', { kind: 'committee', name, nodeId }), 201);
    const townOrg = await org(town.id, '梯镇人民调解委员会');
    const villageOrg = await org(village.id, '梯村人民调解委员会');
    const registered = await ok(
      admin.post<MediatorView>('/api/mediation/mediators', {
        userId: await userIdOf(db, 'laddermed'),
        orgId: villageOrg.id,
      }),
      201,
    );
    // The first case of each committee: both are number 1 of the year in their own register.
    const atTown = await newCase(med, town, 'neighbour', [
      person('applicant', '梯甲'),
      person('respondent', '梯乙'),
    ]);
    const c = await newCase(med, village, 'land_housing', [
      person('applicant', '梯丙'),
      person('respondent', '梯丁'),
    ]);
    expect(atTown.org.id).toBe(townOrg.id);
    expect(c.org.id).toBe(villageOrg.id);
    for (const p of c.parties) await ok(consent(med, c.id, p.id, 'yes'));
    await ok(assign(med, c.id, registered.id));
    expect(await counterAt(db, 'mediation.open', village.path)).toBe(1);

    const up = await ok(med.post<CaseView>(`/api/mediation/cases/${c.id}/escalate`, { reason: '涉及面广' }));
    expect(up).toMatchObject({
      status: 'received',
      node: { id: town.id },
      org: { id: townOrg.id },
      mediator: null,
    });
    expect(up.dossierNo).not.toBe(atTown.dossierNo);
    expect(await counterAt(db, 'mediation.open', village.path)).toBe(0);
    expect(await counterAt(db, 'mediation.open', town.path)).toBe(2);
    // No committee at the district: the ladder ends here.
    await refused(
      med.post(`/api/mediation/cases/${c.id}/escalate`, { reason: '再上移' }),
      409,
      'mediation.no_committee',
    );
  });
});

describe('booking a micro-court point', () => {
  const at = (h: number, m = 0) => new Date(Date.UTC(2030, 5, 10, h, m)).toISOString();
  const book = (startsAt: string, endsAt: string, c = judge) =>
    c.post<HearingView & Problem>('/api/hearings', {
      pointId: point.id,
      title: '劳动争议云庭审',
      startsAt,
      endsAt,
      participants: [
        { name: '原告', place: 'point' },
        { name: '审判员', place: 'court' },
      ],
    });

  it('refuses an overlapping booking and takes one touching the end', async () => {
    const first = await ok(book(at(1), at(2)), 201);
    expect(first.point.id).toBe(point.id);
    const clash = await refused(book(at(1, 30), at(2, 30)), 409, 'mediation.point_booked');
    expect(clash.code).toBe('mediation.point_booked');
    await refused(book(at(0, 30), at(1, 1)), 409, 'mediation.point_booked');
    await ok(book(at(2), at(3)), 201);
    await ok(book(at(0), at(1)), 201);
    // Only a judge books (hearings.manage).
    await refused(book(at(5), at(6), cadre), 403);
  });

  it('lets exactly one of two overlapping bookings sent at once through', async () => {
    const answers = await Promise.all([book(at(8), at(9)), book(at(8, 30), at(9, 30))]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)!.body.code).toBe('mediation.point_booked');
    const won = answers.find((a) => a.status === 201)!.body;
    await ok(book(won.endsAt, at(11)), 201);
    const rows = await db
      .selectFrom('micro_hearings')
      .select(['starts_at', 'ends_at'])
      .where('point_id', '=', point.id)
      .orderBy('starts_at')
      .execute();
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.starts_at >= rows[i - 1]!.ends_at).toBe(true);
  });

  it('shows the point’s day to its invited mediator', async () => {
    const day = await ok(invited.get<{ items: HearingView[] }>('/api/hearings?day=2030-06-10'));
    expect(day.items.length).toBeGreaterThanOrEqual(5);
    expect(day.items.every((h) => h.point.id === point.id && h.abilities.attend)).toBe(true);
  });
});

describe('statistics', () => {
  // A scratch town with two villages (the second with a long id, so that the children's paths differ
  // in length) and a grid under the first; 200 cases concluded in March 2025 (local time):
  //   village A: 70 agreed labour_wages (10 days), 10 agreed neighbour at its grid (10 days),
  //              40 failed labour_wages (20 days)                      → 120, 1600 days
  //   village B: 40 agreed neighbour (10 days), 16 withdrawn neighbour (5 days),
  //              24 failed marriage_family (20 days)                   →  80,  960 days
  // total 200: 120 agreed, 16 withdrawn, 64 failed, 2560 days → mean 12.8; success 0.6; 调撤 0.68.
  // Besides: one agreed case concluded 00:30 on 1 April local time (received in March), one failed
  // concluded 23:59 on 28 February, one refused (village A) and one still mediating (village B), both
  // received in March, and one agreed in March in another town: none concluded in the period here.
  // Received in March: village A 120 + 2 = 122, village B 80 + 1 = 81, 203 in all.
  let town: TreeNode, villageA: TreeNode, villageB: TreeNode, gridA: TreeNode;
  let stats: StatsView;

  beforeAll(async () => {
    town = await scratchChild(db, tree.district, 'town');
    villageA = await scratchChild(db, town, 'village');
    gridA = await scratchChild(db, villageA, 'grid');
    const now = new Date().toISOString();
    const id = 900_001;
    await db
      .insertInto('nodes')
      .values({
        id,
        parent_id: town.id,
        level: 'village',
        code: '999',
        full_code: `${town.fullCode}999`,
        name: '统计村B',
        ...spellName('统计村B'),
        path: `${town.path}${id}/`,
        depth: town.path.split('/').filter(Boolean).length + 1,
        polygon: null,
        centroid_lat: null,
        centroid_lng: null,
        responsible_name: null,
        retired_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    villageB = {
      id,
      path: `${town.path}${id}/`,
      name: '统计村B',
      level: 'village',
      fullCode: `${town.fullCode}999`,
    };
    const committee = await ok(
      admin.post<OrgView>('/api/mediation/orgs', {
        kind: 'committee',
        name: '统计镇调委会',
        nodeId: town.id,
      }),
      201,
    );
    let n = 0;
    const rows: Record<string, unknown>[] = [];
    const add = (
      count: number,
      node: TreeNode,
      type: string,
      status: string,
      received: string,
      concluded: string | null,
    ) => {
      for (let i = 0; i < count; i++) {
        n++;
        rows.push({
          dossier_year: 2025,
          dossier_seq: n,
          dossier_no: `(2025)统人调字第${n}号`,
          org_id: committee.id,
          node_id: node.id,
          node_path: node.path,
          source: 'application',
          dispute_type: type,
          facts: '统计用案件',
          claims: '统计用案件',
          amount_cents: null,
          status,
          caucus: 0,
          mediator_id: null,
          event_id: null,
          failure_route: null,
          conclusion_note: null,
          received_at: received,
          concluded_at: concluded,
          created_by_user_id: null,
        });
      }
    };
    add(69, villageA, 'labour_wages', 'agreed', '2025-03-05T02:00:00.000Z', '2025-03-15T02:00:00.000Z');
    // The last minutes of the period, local time: inside it.
    add(1, villageA, 'labour_wages', 'agreed', '2025-03-21T15:30:00.000Z', '2025-03-31T15:30:00.000Z');
    add(10, gridA, 'neighbour', 'agreed', '2025-03-02T02:00:00.000Z', '2025-03-12T02:00:00.000Z');
    add(40, villageA, 'labour_wages', 'failed', '2025-03-05T02:00:00.000Z', '2025-03-25T02:00:00.000Z');
    add(40, villageB, 'neighbour', 'agreed', '2025-03-08T02:00:00.000Z', '2025-03-18T02:00:00.000Z');
    add(16, villageB, 'neighbour', 'withdrawn', '2025-03-15T02:00:00.000Z', '2025-03-20T02:00:00.000Z');
    add(24, villageB, 'marriage_family', 'failed', '2025-03-01T02:00:00.000Z', '2025-03-21T02:00:00.000Z');
    // Outside the period or not concluded.
    add(1, villageA, 'labour_wages', 'agreed', '2025-03-28T02:00:00.000Z', '2025-03-31T16:30:00.000Z');
    add(1, villageA, 'neighbour', 'failed', '2025-02-01T02:00:00.000Z', '2025-02-28T15:59:00.000Z');
    add(1, villageA, 'neighbour', 'refused', '2025-03-10T02:00:00.000Z', null);
    add(1, villageB, 'neighbour', 'mediating', '2025-03-10T02:00:00.000Z', null);
    for (let i = 0; i < rows.length; i += 50)
      await db
        .insertInto('mediation_cases')
        .values(rows.slice(i, i + 50) as never)
        .execute();
    // Elsewhere: another town's case in the same month.
    await db
      .insertInto('mediation_cases')
      .values({
        ...rows[0],
        dossier_seq: 10_000,
        dossier_no: '(2025)统人调字第10000号',
        node_id: tree.villages[3]!.id,
        node_path: tree.villages[3]!.path,
      } as never)
      .execute();
    // Written directly, as a bulk load would: the daily figures are rebuilt from the records.
    await rebuildMediationStats(db);
    stats = await ok(
      commander.get<StatsView>(`/api/mediation/stats?node=${town.id}&from=2025-03-01&to=2025-03-31`),
    );
    committeeId = committee.id;
  });
  let committeeId: number;

  const sum = (fs: StatsFigures[], k: 'concluded' | 'agreements' | 'failures' | 'withdrawals' | 'received') =>
    fs.reduce((a, f) => a + f[k], 0);

  it('gives the hand-worked figures for the place', () => {
    expect(stats.node.id).toBe(town.id);
    expect(stats.from).toBe('2025-03-01');
    expect(stats.to).toBe('2025-03-31');
    expect(stats.figures).toEqual({
      received: 203,
      concluded: 200,
      agreements: 120,
      failures: 64,
      withdrawals: 16,
      successRate: 0.6,
      settledRate: 0.68,
      meanDays: 12.8,
      confirmationsDecided: 0,
      confirmed: 0,
      confirmationRate: null,
    });
  });

  it('gives per-dispute-type figures that add up', () => {
    const by = new Map(stats.byType.map((b) => [b.disputeType, b.figures]));
    expect(by.get('labour_wages')).toMatchObject({
      concluded: 110,
      agreements: 70,
      failures: 40,
      withdrawals: 0,
      successRate: 0.6364,
      meanDays: 13.6,
    });
    expect(by.get('neighbour')).toMatchObject({
      concluded: 66,
      agreements: 50,
      withdrawals: 16,
      failures: 0,
      successRate: 0.7576,
      settledRate: 1,
      meanDays: 8.8,
    });
    expect(by.get('marriage_family')).toMatchObject({
      concluded: 24,
      failures: 24,
      successRate: 0,
      meanDays: 20,
    });
    expect(by.get('contract')).toMatchObject({ concluded: 0, successRate: null, meanDays: null });
    const types = stats.byType.map((b) => b.figures);
    for (const k of ['concluded', 'agreements', 'failures', 'withdrawals', 'received'] as const)
      expect(sum(types, k), k).toBe(stats.figures[k]);
  });

  it('gives per-child figures that add up, whatever the length of the children’s ids', () => {
    const by = new Map(stats.children.map((c) => [c.node.id, c.figures]));
    expect([...by.keys()].sort((a, b) => a - b)).toEqual([villageA.id, villageB.id].sort((a, b) => a - b));
    expect(by.get(villageA.id)).toMatchObject({
      received: 122,
      concluded: 120,
      agreements: 80,
      failures: 40,
      withdrawals: 0,
      successRate: 0.6667,
      meanDays: 13.3,
    });
    expect(by.get(villageB.id)).toMatchObject({
      received: 81,
      concluded: 80,
      agreements: 40,
      failures: 24,
      withdrawals: 16,
      successRate: 0.5,
      settledRate: 0.7,
      meanDays: 12,
    });
    const children = stats.children.map((c) => c.figures);
    for (const k of ['concluded', 'agreements', 'failures', 'withdrawals', 'received'] as const)
      expect(sum(children, k), k).toBe(stats.figures[k]);
  });

  it('reads the same from the cases themselves (narrowed to the committee) as from the daily figures', async () => {
    const direct = await ok(
      commander.get<StatsView>(
        `/api/mediation/stats?node=${town.id}&org=${committeeId}&from=2025-03-01&to=2025-03-31`,
      ),
    );
    expect(direct).toEqual(stats);
  });

  it('narrows to a child and refuses a place outside the caller’s scope', async () => {
    const b = await ok(
      commander.get<StatsView>(`/api/mediation/stats?node=${villageB.id}&from=2025-03-01&to=2025-03-31`),
    );
    expect(b.figures).toMatchObject({ concluded: 80, agreements: 40, withdrawals: 16, settledRate: 0.7 });
    await refused(cadre.get(`/api/mediation/stats?node=${town.id}&from=2025-03-01&to=2025-03-31`), 403);
    await refused(
      commander.get(`/api/mediation/stats?node=${town.id}&from=2025-03-31&to=2025-03-01`),
      400,
      'mediation.period',
    );
  });
});

describe('what a party and a mediator of another place can reach', () => {
  let a: CaseView, b: CaseView;
  let tokenA: string;
  let evidenceB: number;

  beforeAll(async () => {
    a = await newCase(mediator1, tree.villages[0]!, 'neighbour', [
      person('applicant', '甲方一'),
      person('respondent', '甲方二'),
    ]);
    b = await newCase(mediator1, tree.villages[0]!, 'neighbour', [
      person('applicant', '乙方一'),
      person('respondent', '乙方二'),
    ]);
    tokenA = (await ok(mediator1.post<Links>(`/api/mediation/cases/${a.id}/party-links`))).items[0]!.token;
    await ok(mediator1.post<Links>(`/api/mediation/cases/${b.id}/party-links`));
    const m = multipart([
      { name: 'file', filename: '欠条.txt', contentType: 'text/plain', data: '乙方二欠乙方一五千元。' },
    ]);
    const added = await ok(
      mediator1.request<EvidenceView>({
        method: 'POST',
        url: `/api/mediation/cases/${b.id}/evidence`,
        payload: m.payload,
        headers: m.headers,
      }),
      201,
    );
    // A create answers the new record: the piece of evidence with its hash, as the case lists it.
    expect(added).toMatchObject({
      name: '欠条.txt',
      partyId: null,
      size: Buffer.byteLength('乙方二欠乙方一五千元。'),
    });
    expect(added.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await ok(mediator1.get<CaseView>(`/api/mediation/cases/${b.id}`))).evidence).toEqual([added]);
    evidenceB = added.id;
  });

  it('shows a party their own case’s parties only, and no evidence', async () => {
    const v = await ok(
      t.anon().get<PartyCase & Record<string, unknown>>(`/api/public/mediation/party/${tokenA}`),
    );
    expect(v.dossierNo).toBe(a.dossierNo);
    expect(v.you.name).toBe('甲方一');
    expect(v.others).toEqual([{ side: 'respondent', name: '甲方二' }]);
    expect(JSON.stringify(v)).not.toMatch(/乙方|欠条/);
    expect(v).not.toHaveProperty('evidence');
  });

  it('answers 404 to a party token used elsewhere and to a made-up token', async () => {
    await refused(t.anon().get(`/api/public/mediation/sign/${tokenA}`), 404);
    await refused(
      t.anon().post(`/api/public/mediation/sign/${tokenA}`, { name: '甲方一', idNumber: idNo() }),
      404,
    );
    const madeUp = 'A'.repeat(43);
    await refused(t.anon().get(`/api/public/mediation/party/${madeUp}`), 404);
    await refused(t.anon().post(`/api/public/mediation/party/${madeUp}/messages`, { body: '你好' }), 404);
    await refused(t.anon().get(`/api/public/mediation/sign/${madeUp}`), 404);
    await refused(t.anon().get('/api/public/mediation/party/short'), 400);
  });

  it('keeps case B’s evidence out of case A’s path', async () => {
    const own = await mediator1.get(`/api/mediation/cases/${b.id}/evidence/${evidenceB}`);
    expect(own.status).toBe(200);
    expect(own.body).toBe('乙方二欠乙方一五千元。');
    await refused(mediator1.get(`/api/mediation/cases/${a.id}/evidence/${evidenceB}`), 404);
    await refused(mediator2.get(`/api/mediation/cases/${b.id}/evidence/${evidenceB}`), 403);
  });

  it('answers 403 to a mediation user of another town and leaves the case off their list', async () => {
    await refused(mediator2.get(`/api/mediation/cases/${a.id}`), 403, 'forbidden');
    await refused(consent(mediator2, a.id, a.parties[0]!.id, 'yes'), 403, 'forbidden');
    await refused(mediator2.post(`/api/mediation/cases/${a.id}/party-links`), 403, 'forbidden');
    await refused(mediator2.get(`/api/mediation/cases/${a.id}/messages`), 403, 'forbidden');
    const list = await ok(mediator2.get<{ items: { id: number }[]; total: number }>('/api/mediation/cases'));
    expect(list.items.map((c) => c.id)).not.toContain(a.id);
    await refused(mediator2.get(`/api/mediation/cases?node=${tree.villages[0]!.id}`), 403);
    const own = await ok(
      mediator1.get<{ items: { id: number }[] }>(`/api/mediation/cases?node=${tree.villages[0]!.id}`),
    );
    expect(own.items.map((c) => c.id)).toEqual(expect.arrayContaining([a.id, b.id]));
  });
});

describe('one case from application to follow-up', () => {
  let applied: { caseId: number; dossierNo: string; partyToken: string };
  let caseView: CaseView;
  let agreement: AgreementView;
  const applicant = { name: '张三', idNumber: idNo(), phone: '13900001111' };
  const respondent = { name: '李四', idNumber: idNo() };
  /** 李四's own link. */
  let respondentToken: string;

  it('takes a resident’s application without a login', async () => {
    applied = await ok(
      t.anon().post<typeof applied>('/api/public/mediation/applications', {
        nodeId: flowVillage.id,
        disputeType: 'neighbour',
        facts: '邻居李四修建围墙占用张三家通道。',
        claims: '请求李四拆除占用部分。',
        applicant,
        respondents: [{ kind: 'person', name: respondent.name, idNumber: respondent.idNumber, phone: null }],
      }),
      201,
    );
    expect(applied.partyToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const own = await ok(t.anon().get<PartyCase>(`/api/public/mediation/party/${applied.partyToken}`));
    expect(own).toMatchObject({ dossierNo: applied.dossierNo, status: 'received', caucus: false });
    expect(own.you).toMatchObject({ name: '张三', consent: 'yes' });
    caseView = await ok(cadre2.get<CaseView>(`/api/mediation/cases/${applied.caseId}`));
    expect(caseView.source).toBe('application');
    expect(caseView.node.id).toBe(flowVillage.id);
    expect(caseView.parties.map((p) => [p.name, p.side, p.consent])).toEqual([
      ['张三', 'applicant', 'yes'],
      ['李四', 'respondent', 'pending'],
    ]);
    expect(caseView.parties[0]!.idNumberMasked).not.toContain(applicant.idNumber.slice(6, 14));
    await refused(cadre.get(`/api/mediation/cases/${applied.caseId}`), 403);
  });

  it('has the cadre designate a suggested mediator once the respondent consents', async () => {
    const suggestions = await ok(
      cadre2.get<{
        items: (MediatorView & { inArea: boolean; specialtyMatch: boolean; conflict: boolean })[];
      }>(`/api/mediation/cases/${applied.caseId}/suggestions`),
    );
    const m = suggestions.items.find((s) => s.id === m1.id);
    expect(m).toMatchObject({ inArea: true, specialtyMatch: true, conflict: false });
    // A mediator of another town may be designated too (Art. 19), ranked below the place's own.
    const other = suggestions.items.find((s) => s.id === m2.id);
    expect(other).toMatchObject({ inArea: false });
    expect(suggestions.items.indexOf(other!)).toBeGreaterThan(suggestions.items.indexOf(m!));
    await refused(assign(cadre2, applied.caseId, m1.id), 409, 'mediation.consent_missing');

    const links = (await ok(mediator1.post<Links>(`/api/mediation/cases/${applied.caseId}/party-links`)))
      .items;
    // The new links replace the old: the applicant's first link stops working.
    await refused(t.anon().get(`/api/public/mediation/party/${applied.partyToken}`), 404);
    const token = (respondentToken = links.find((l) => l.name === '李四')!.token);
    const view = await ok(
      t
        .anon()
        .post<PartyCase>(`/api/public/mediation/party/${token}/consent`, { consent: 'yes', online: true }),
    );
    expect(view.you.consent).toBe('yes');
    caseView = await ok(assign(cadre2, applied.caseId, m1.id));
    expect(caseView.status).toBe('mediating');
    expect(caseView.mediator).toEqual({ id: m1.id, name: 'mediator1' });
    const mine = await ok(mediator1.get<{ items: { id: number }[] }>('/api/mediation/cases?mine=1'));
    expect(mine.items.map((c) => c.id)).toContain(applied.caseId);
  });

  it('names the mediator on the party’s own page, whose public profile a party reads without an account: no phone, no user id', async () => {
    const own = await ok(
      t
        .anon()
        .get<PartyCase & { mediator: { id: number; name: string } | null }>(
          `/api/public/mediation/party/${respondentToken}`,
        ),
    );
    expect(own.mediator).toEqual({ id: m1.id, name: 'mediator1' });
    const profile = await ok(
      t.anon().get<Record<string, unknown>>(`/api/public/mediation/mediators/${m1.id}`),
    );
    const open = await db
      .selectFrom('mediation_cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('mediator_id', '=', m1.id)
      .where('status', 'in', ['received', 'mediating', 'signing'])
      .executeTakeFirstOrThrow();
    expect(Number(open.n)).toBeGreaterThan(0);
    expect(profile).toEqual({
      id: m1.id,
      name: 'mediator1',
      organisation: townCommittee.name,
      area: tree.towns[0]!.name,
      specialties: ['labour_wages', 'neighbour', 'marriage_family'],
      qualification: null,
      profile: null,
      load: Number(open.n),
    });
    expect(profile).not.toHaveProperty('userId');
    // An unknown mediator is a 404 whose title is in the language asked, one language an answer.
    for (const [lang, title] of [
      ['zh-CN', '调解员不存在'],
      ['en', 'Mediator not found'],
    ] as const) {
      const res = await t.anon().request<{ code: string; title: string }>({
        method: 'GET',
        url: '/api/public/mediation/mediators/2147483647',
        headers: { 'accept-language': lang },
      });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'not_found', title });
    }
  });

  it('holds and minutes a session at the micro-court point', async () => {
    const session = await ok(
      schedule(mediator1, applied.caseId, {
        mode: 'micro_court',
        pointId: point.id,
        startsAt: '2030-04-01T01:00:00Z',
      }),
      201,
    );
    expect(session).toMatchObject({ kind: 'joint', mode: 'micro_court', status: 'scheduled' });
    expect(session.point).toEqual({ id: point.id, name: point.name });
    let v = await ok(mediator1.get<CaseView>(`/api/mediation/cases/${applied.caseId}`));
    expect(v.sessions).toEqual([session]);
    v = await ok(
      mediator1.post<CaseView>(`/api/mediation/cases/${applied.caseId}/sessions/${session.id}/minutes`, {
        attendance: v.parties.map((p) => p.id),
        attendees: ['张三', '李四', 'mediator1'],
        facts: '围墙占用通道约半米。',
        positions: '张三要求拆除；李四同意后退。',
        result: '双方同意签订协议。',
      }),
    );
    expect(v.sessions[0]!.status).toBe('held');
    expect(v.sessions[0]!.minutes?.result).toBe('双方同意签订协议。');
    caseView = v;
  });

  it('drafts the agreement and gathers the signatures, one assisted at the point', async () => {
    const [pa, pr] = caseView.parties;
    const drafted = await ok(
      mediator1.post<AgreementView>(`/api/mediation/cases/${applied.caseId}/agreement`, {
        facts: '李四修建围墙占用张三家通道。',
        disputedPoints: '围墙是否拆除。',
        obligations: [
          {
            partyId: pr!.id,
            what: '拆除占用通道的围墙部分',
            amountYuan: null,
            manner: '自行拆除',
            deadline: '2030-05-01',
          },
        ],
      }),
      201,
    );
    expect(drafted).toMatchObject({ caseId: applied.caseId, status: 'signing', signed: 0, toSign: 3 });
    agreement = drafted;
    const links = (await ok(mediator1.post<Links>(`/api/mediation/agreements/${agreement.id}/links`))).items;
    expect(links.map((l) => l.partyId).sort()).toEqual([pa!.id, pr!.id].sort());
    // Another invited mediator, not in charge of the point, may not record it.
    await refused(
      invited2.post(`/api/mediation/agreements/${agreement.id}/assisted-sign`, {
        partyId: pr!.id,
        idChecked: true,
      }),
      403,
    );
    await refused(
      invited.post(`/api/mediation/agreements/${agreement.id}/assisted-sign`, {
        partyId: pr!.id,
        idChecked: false,
      }),
      400,
    );
    const assisted = await ok(
      invited.post<AgreementView>(`/api/mediation/agreements/${agreement.id}/assisted-sign`, {
        partyId: pr!.id,
        idChecked: true,
      }),
    );
    expect(assisted.status).toBe('signing');
    expect(assisted.signatures.find((s) => s.partyId === pr!.id)).toMatchObject({ method: 'assisted' });
    const checked = await db
      .selectFrom('mediation_signatures')
      .select('checked_by_user_id')
      .where('agreement_id', '=', agreement.id)
      .where('party_id', '=', pr!.id)
      .executeTakeFirstOrThrow();
    expect(checked.checked_by_user_id).toBe(await userIdOf(db, 'invited'));
    // The respondent's one-time link went with the signature.
    await refused(
      t.anon().get(`/api/public/mediation/sign/${links.find((l) => l.partyId === pr!.id)!.token}`),
      404,
    );
    // The last two signatures at the same moment: the agreement takes effect once.
    await Promise.all([
      ok(
        t.anon().post(`/api/public/mediation/sign/${links.find((l) => l.partyId === pa!.id)!.token}`, {
          name: applicant.name,
          idNumber: applicant.idNumber,
        }),
      ),
      ok(mediator1.post<AgreementView>(`/api/mediation/agreements/${agreement.id}/sign`)),
    ]);
    agreement = await ok(mediator1.get<AgreementView>(`/api/mediation/agreements/${agreement.id}`));
    expect(agreement.status).toBe('in_effect');
    expect(agreement.signed).toBe(3);
    expect(agreement.abilities.apply).toBe(true);
    const effects = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'mediation.agreement.effect')
      .where('entity_id', '=', String(agreement.id))
      .execute();
    expect(effects).toHaveLength(1);
    expect(
      await db
        .selectFrom('mediation_follow_ups')
        .select('due_on')
        .where('agreement_id', '=', agreement.id)
        .execute(),
    ).toEqual([{ due_on: '2030-05-04' }]);
    expect((await ok(cadre2.get<CaseView>(`/api/mediation/cases/${applied.caseId}`))).status).toBe('agreed');
  });

  it('sends it for judicial confirmation: the judge reads it only then, accepts and confirms', async () => {
    await refused(judge.get(`/api/mediation/agreements/${agreement.id}/pdf`), 403);
    await refused(judge.get(`/api/mediation/agreements/${agreement.id}`), 403);
    expect(
      (await ok(judge.get<{ items: ConfirmationView[] }>('/api/mediation/confirmations'))).items,
    ).toEqual([]);

    const applied2 = await ok(
      mediator1.post<ConfirmationView>(`/api/mediation/agreements/${agreement.id}/confirmation`, {
        courtId: court.id,
        materials: ['application_form', 'agreement', 'identity_documents'],
      }),
      201,
    );
    // A create answers the new record: the application, which the agreement now carries.
    expect(applied2).toMatchObject({
      agreementId: agreement.id,
      status: 'submitted',
      court: { id: court.id },
      abilities: { accept: false, decide: false },
    });
    expect(
      (await ok(mediator1.get<AgreementView>(`/api/mediation/agreements/${agreement.id}`))).confirmation,
    ).toEqual(applied2);
    await refused(
      mediator1.post(`/api/mediation/agreements/${agreement.id}/confirmation`, {
        courtId: court.id,
        materials: ['agreement'],
      }),
      409,
      'mediation.confirmation_exists',
    );

    const list = await ok(judge.get<{ items: ConfirmationView[] }>('/api/mediation/confirmations'));
    expect(list.items.map((c) => c.agreementId)).toEqual([agreement.id]);
    const conf = list.items[0]!;
    expect(conf.abilities).toEqual({ accept: true, decide: false });
    const pdf = await judge.get(`/api/mediation/agreements/${agreement.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdfOf(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Ruling before accepting is out of turn; a cadre is no judge.
    await refused(
      judge.post(`/api/mediation/confirmations/${conf.id}/decide`, { confirm: true, ruling: '确认有效' }),
      409,
      'mediation.confirmation_state',
    );
    await refused(cadre2.post(`/api/mediation/confirmations/${conf.id}/accept`, { accept: true }), 403);
    const accepted = await ok(
      judge.post<ConfirmationView>(`/api/mediation/confirmations/${conf.id}/accept`, { accept: true }),
    );
    expect(accepted.status).toBe('accepted');
    const confirmed = await ok(
      judge.post<ConfirmationView>(`/api/mediation/confirmations/${conf.id}/decide`, {
        confirm: true,
        ruling: '经审查，该调解协议合法有效，予以确认。',
      }),
    );
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      ruling: '经审查，该调解协议合法有效，予以确认。',
    });
    expect(confirmed.decidedAt).not.toBeNull();
  });

  it('records the follow-up visit', async () => {
    const due = await ok(mediator1.get<{ items: FollowUpView[] }>('/api/mediation/follow-ups'));
    const visit = due.items.find((f) => f.caseId === applied.caseId)!;
    expect(visit).toMatchObject({ status: 'due', dueOn: '2030-05-04', flagged: false });
    // The district's mediator of another town does not see it.
    const other = await ok(mediator2.get<{ items: FollowUpView[] }>('/api/mediation/follow-ups'));
    expect(other.items.some((f) => f.caseId === applied.caseId)).toBe(false);
    await refused(
      mediator2.post(`/api/mediation/follow-ups/${visit.id}`, { performance: 'full', satisfaction: 5 }),
      403,
    );
    const done = await ok(
      mediator1.post<FollowUpView>(`/api/mediation/follow-ups/${visit.id}`, {
        performance: 'partial',
        satisfaction: 4,
        note: '围墙已拆除大部分。',
      }),
    );
    expect(done).toMatchObject({ status: 'done', performance: 'partial', satisfaction: 4 });
    // Confirmed by the court and not fully performed: flagged.
    expect(done.flagged).toBe(true);
    await refused(
      mediator1.post(`/api/mediation/follow-ups/${visit.id}`, { performance: 'full', satisfaction: 5 }),
      409,
      'mediation.follow_up_done',
    );
  });

  it('leaves the counters at the case’s place as the flow moved them', async () => {
    const month = localDate(agreement.effectiveAt!).slice(0, 7);
    expect(await counterAt(db, 'mediation.open', flowVillage.path)).toBe(0);
    expect(await counterAt(db, `mediation.concluded.${month}`, flowVillage.path)).toBe(1);
    expect(await counterAt(db, 'mediation.confirmations.pending', flowVillage.path)).toBe(0);
    // And everywhere in the town: the open counter is the open cases, the month's the month's conclusions.
    for (const n of [flowVillage, tree.villages[0]!, tree.towns[0]!]) {
      const cases = await db
        .selectFrom('mediation_cases')
        .select(['status', 'concluded_at'])
        .where('node_path', 'like', `${n.path}%`)
        .execute();
      const open = cases.filter((c) => ['received', 'mediating', 'signing'].includes(c.status)).length;
      const concluded = cases.filter(
        (c) =>
          ['agreed', 'failed', 'withdrawn'].includes(c.status) &&
          localDate(c.concluded_at!).slice(0, 7) === month,
      ).length;
      expect(await counterAt(db, 'mediation.open', n.path), `open at ${n.name}`).toBe(open);
      expect(await counterAt(db, `mediation.concluded.${month}`, n.path), `concluded at ${n.name}`).toBe(
        concluded,
      );
    }
  });

  it('keeps the statistics’ daily figures as a rebuild from the records would', async () => {
    const today = localDate(new Date().toISOString());
    const read = async () =>
      ok(
        commander.get<StatsView>(
          `/api/mediation/stats?node=${tree.towns[0]!.id}&from=2020-01-01&to=${today}`,
        ),
      );
    const kept = await read();
    expect(kept.figures.received).toBeGreaterThan(0);
    expect(kept.figures.agreements).toBeGreaterThan(0);
    await rebuildMediationStats(db);
    expect(await read()).toEqual(kept);
  });
});

describe('bad input', () => {
  const body = (parties: object[]) => ({
    nodeId: tree.villages[0]!.id,
    source: 'initiative',
    disputeType: 'neighbour',
    facts: '事实',
    claims: '请求',
    parties,
  });

  it('refuses a case with a single party, with the issue', async () => {
    const p = await refused(cadre.post('/api/mediation/cases', body([person('applicant', '孤一')])), 400);
    expect(p.issues?.map((i) => i.path)).toEqual(['body.parties']);
  });

  it('refuses an invalid ID number, naming the field', async () => {
    const p = await refused(
      cadre.post(
        '/api/mediation/cases',
        body([person('applicant', '某甲'), person('respondent', '某乙', { idNumber: '330185199001011234' })]),
      ),
      400,
    );
    expect(p.issues?.map((i) => i.path)).toEqual(['body.parties.1.idNumber']);
    const pub = await refused(
      t.anon().post('/api/public/mediation/applications', {
        nodeId: flowVillage.id,
        disputeType: 'neighbour',
        facts: '事实',
        claims: '请求',
        applicant: { name: '某丙', idNumber: '123', phone: '13900002222' },
        respondents: [{ name: '某丁' }],
      }),
      400,
    );
    expect(pub.issues?.map((i) => i.path)).toEqual(['body.applicant.idNumber']);
  });

  it('refuses a case without both sides, and unknown references, without a server error', async () => {
    await refused(
      cadre.post('/api/mediation/cases', body([person('applicant', '某戊'), person('applicant', '某己')])),
      400,
      'mediation.sides_missing',
    );
    await refused(
      admin.post('/api/mediation/orgs', {
        kind: 'micro_court',
        name: '无人值守',
        nodeId: tree.villages[2]!.id,
        inChargeUserId: 987_654,
      }),
      404,
    );
    await refused(admin.post('/api/mediation/mediators', { userId: 987_654, orgId: townCommittee.id }), 404);
    await refused(assign(cadre, 987_654, m1.id), 404);
    await refused(mediator1.get('/api/mediation/agreements/987654'), 404);
    await refused(
      judge.post('/api/hearings', {
        pointId: townCommittee.id,
        title: '错点',
        startsAt: '2030-07-01T01:00:00Z',
        endsAt: '2030-07-01T02:00:00Z',
        participants: [{ name: '原告', place: 'point' }],
      }),
      404,
    );
  });
});

describe('the whole suite', () => {
  it('answered no 500 anywhere', () => {
    expect(serverErrors).toEqual([]);
  });
});
