// Psychological care over HTTP, on both databases: the scales (shipped and an administrator's own);
// one-time links a grid worker sends to a person in home observation and nobody else; the person's
// page without an account, its draft surviving a closed page, used once, expiring; a crisis (PHQ-9
// item 9) reaching the town's counsellor over the live stream within a second, the village told only
// that it exists; escalation after 30 minutes, once; acknowledging, the caseload and its contacts;
// answers read only by counsellors in scope, every read audited; FHIR out; figures with "<5".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../../common/worktime.js';
import type { DB } from '../../db/index.js';
import { counterAt, makeCast, makeTree, makeUser, type Tree, type TreeNode } from '../../test/factories.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeIdNumber } from '../../test/routes.js';
import { openSse } from '../../test/sse.js';

let t: TestApp;
let db: DB;
let tree: Tree;
// 10:00 in Shanghai on 2026-03-07.
let clock = '2026-03-07T02:00:00.000Z';
const plusMinutes = (iso: string, m: number) => new Date(Date.parse(iso) + m * 60_000).toISOString();
let admin: Client,
  towncmd: Client,
  cadre: Client,
  gridworker: Client,
  counsellor: Client,
  counsellorB: Client,
  volunteer: Client;
let counsellorId: number;
let seq = 0;

interface Problem {
  code: string;
  title: string;
  issues?: { path: string; code: string }[];
}
interface Label {
  zh: string;
  en: string;
}
interface Scale {
  code: string;
  loinc: string | null;
  builtin: boolean;
  itemCount: number;
  maxTotal: number;
}
interface Link {
  id: number;
  token: string;
  url: string;
  expiresAt: string;
}
interface PublicScale {
  code: string;
  greeting: string;
  expiresAt: string;
  definition: { items: { key: string }[] };
  draft: (number | null)[] | null;
}
interface AnsweredItem {
  key: string;
  value: number | null;
  answer: Label | null;
  scored: boolean;
}
interface Alert {
  id: number;
  person: { id: number; name: string };
  status: 'open' | 'acknowledged';
  ackBy: string;
  escalatedAt: string | null;
  acknowledgedBy: { id: number; name: string } | null;
  caseId: number | null;
  detail: {
    responseId: number;
    scale: string;
    total: number;
    reasons: { kind: string; key?: string; value?: number }[];
    triggers: AnsweredItem[];
  } | null;
  abilities: { acknowledge: boolean };
}
interface Case {
  id: number;
  person: { id: number };
  status: 'open' | 'referred' | 'closed';
  risk: string;
  nextContactOn: string | null;
  lastContactAt: string | null;
  openAlerts: number;
  referral: { kind: string; note: string } | null;
  closedAt: string | null;
  contacts: { kind: string; note: string; by: { id: number } }[];
  responses: { id: number; scale: string; total: number; crisis: boolean }[];
  abilities: Record<string, boolean>;
}
type Shown = number | '<5';
interface Figures {
  sent: Shown;
  submitted: Shown;
  crisis: Shown;
  openAlerts: Shown;
  openCases: Shown;
}

const today = () => localDate(clock);
async function personAt(c: Client, node: TreeNode): Promise<number> {
  const res = await c.post<{ id: number }>('/api/people', {
    name: `关爱对象${++seq}`,
    idNumber: makeIdNumber('330112', '19850101', 600 + seq),
    nodeId: node.id,
    residenceType: 'registered',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}
/** A person at the node in home observation from today, registered and ordered by `c`. */
async function observedAt(c: Client, node: TreeNode): Promise<number> {
  const personId = await personAt(c, node);
  const res = await c.post('/api/observations', {
    personId,
    startDate: today(),
    days: 14,
    reason: '密切接触者',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return personId;
}
const sendLink = (c: Client, personId: number, code = 'PHQ-9') =>
  c.post<Link & Problem>(`/api/scales/${code}/links`, { personId });
async function linkFor(c: Client, personId: number, code = 'PHQ-9'): Promise<Link> {
  const res = await sendLink(c, personId, code);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
/** PHQ-9 answers in item order: item 9 as given, the other scored ones 0, the tenth left out. */
const phq = (item9: number, others = 0): (number | null)[] => [...Array<number>(8).fill(others), item9, null];
const submit = (token: string, answers: (number | null)[]) =>
  t.anon().post<{ total: number; band: string } & Problem>(`/api/public/scales/${token}`, { answers });
async function userId(username: string) {
  return (
    await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()
  ).id;
}
async function alertOf(personId: number) {
  return db
    .selectFrom('care_alerts')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}
async function alertsAs(c: Client) {
  const res = await c.get<{ items: Alert[] }>('/api/care/alerts');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}
/** Who was told of an alert, by notification kind. */
async function toldOf(kind: string, alertId: number) {
  const rows = await db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select('u.username')
    .where('n.kind', '=', kind)
    .where('n.entity_type', '=', 'care_alert')
    .where('n.entity_id', '=', alertId)
    .execute();
  return rows.map((r) => r.username).sort();
}
/** Crisis alerts of earlier tests acknowledged, so a sweep finds only a test's own. */
async function acknowledgeAllOpen() {
  for (const a of await alertsAs(counsellor))
    if (a.status === 'open')
      expect((await counsellor.post(`/api/care/alerts/${a.id}/acknowledge`, {})).status).toBe(200);
}

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => clock });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  counsellorId = await makeUser(db, 'counsellor', [{ role: 'counsellor', node: tree.towns[0]! }]);
  await makeUser(db, 'counsellorB', [{ role: 'counsellor', node: tree.towns[1]! }]);
  await makeUser(db, 'volunteer', [{ role: 'volunteer', node: tree.villages[0]! }]);
  admin = await t.login('admin');
  towncmd = await t.login('towncmd');
  cadre = await t.login('cadre');
  gridworker = await t.login('gridworker');
  counsellor = await t.login('counsellor');
  counsellorB = await t.login('counsellorB');
  volunteer = await t.login('volunteer');
});
afterAll(async () => t.close());

describe('scales', () => {
  const yesNo = [
    { value: 0, label: { zh: '否', en: 'No' } },
    { value: 1, label: { zh: '是', en: 'Yes' } },
  ];
  const custom = (code: string, bands: { code: string; min: number; max: number }[]) => ({
    code,
    title: { zh: '睡眠两问', en: 'Two sleep questions' },
    definition: {
      intro: { zh: '最近一周', en: 'In the last week' },
      options: yesNo,
      items: [
        { key: 'a', label: { zh: '入睡困难', en: 'Trouble falling asleep' }, scored: true },
        { key: 'b', label: { zh: '早醒', en: 'Waking early' }, scored: true },
      ],
      bands: bands.map((b) => ({ ...b, label: { zh: b.code, en: b.code } })),
      crisis: [{ kind: 'band', code: 'high' }],
    },
  });

  it('lists PHQ-9 (LOINC 44249-1) and GAD-7 to anyone signed in', async () => {
    const res = await gridworker.get<{ items: Scale[] }>('/api/scales');
    expect(res.status).toBe(200);
    expect(res.body.items.slice(0, 2)).toEqual([
      expect.objectContaining({ code: 'GAD-7', loinc: '69737-5', builtin: true, itemCount: 7, maxTotal: 21 }),
      expect.objectContaining({
        code: 'PHQ-9',
        loinc: '44249-1',
        builtin: true,
        itemCount: 10,
        maxTotal: 27,
      }),
    ]);
    expect((await t.anon().get('/api/scales')).status).toBe(401);
  });

  it('an administrator adds a scale as data; a gap between bands is 400 with its issue; the same code 409', async () => {
    const good = custom('SLEEP-2', [
      { code: 'low', min: 0, max: 0 },
      { code: 'high', min: 1, max: 2 },
    ]);
    expect((await gridworker.post('/api/scales', good)).status).toBe(403);
    const made = await admin.post<Scale>('/api/scales', good);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ code: 'SLEEP-2', builtin: false, itemCount: 2, maxTotal: 2 });
    const list = await gridworker.get<{ items: Scale[] }>('/api/scales');
    expect(list.body.items.map((s) => s.code)).toEqual(['GAD-7', 'PHQ-9', 'SLEEP-2']);

    const gap = await admin.post<Problem>(
      '/api/scales',
      custom('SLEEP-3', [
        { code: 'low', min: 0, max: 0 },
        { code: 'high', min: 2, max: 2 },
      ]),
    );
    expect(gap.status).toBe(400);
    expect(String(gap.headers['content-type'])).toContain('application/problem+json');
    expect(gap.body.code).toBe('validation_failed');
    expect(gap.body.issues!.map((i) => [i.path, i.code])).toEqual([
      ['body.definition.bands.1.min', 'issue.scale.band_gap'],
    ]);
    expect(await db.selectFrom('care_scales').select('id').where('code', '=', 'SLEEP-3').execute()).toEqual(
      [],
    );

    const again = await admin.post<Problem>('/api/scales', good);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('care.scale_exists');
    // The shipped ones cannot be shadowed either.
    const shipped = await admin.post<Problem>(
      '/api/scales',
      custom('PHQ-9', [
        { code: 'low', min: 0, max: 0 },
        { code: 'high', min: 1, max: 2 },
      ]),
    );
    expect(shipped.status).toBe(409);
  });

  it('a scale as a FHIR Questionnaire', async () => {
    const res = await gridworker.get<{ resourceType: string; code: { code: string }[]; item: unknown[] }>(
      '/api/scales/PHQ-9/fhir',
    );
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('application/fhir+json');
    expect(res.body.resourceType).toBe('Questionnaire');
    expect(res.body.code[0]!.code).toBe('44249-1');
    // The intro, then the ten items.
    expect(res.body.item).toHaveLength(11);
    expect((await gridworker.get<Problem>('/api/scales/NOPE-1/fhir')).status).toBe(404);
  });
});

describe('links and the person’s page', () => {
  let personId: number;
  let link: Link;

  it('a grid worker sends a PHQ-9 link to a person in home observation in their grid', async () => {
    personId = await observedAt(gridworker, tree.grids[0]!);
    const res = await sendLink(gridworker, personId);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    link = res.body;
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.url).toBe(`/s/${link.token}`);
    expect(link.expiresAt).toBe(plusMinutes(clock, 72 * 60));
    // Only the token's hash is kept.
    const row = await db
      .selectFrom('care_links')
      .select(['token_hash', 'person_id'])
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(row.person_id).toBe(personId);
    expect(row.token_hash).not.toContain(link.token);
  });

  it('nobody else: a person neither observed nor reached, or one outside the grid, is 404 alike', async () => {
    const notObserved = await personAt(gridworker, tree.grids[0]!);
    const outside = await observedAt(admin, tree.grids[1]!);
    const a = await sendLink(gridworker, notObserved);
    const b = await sendLink(gridworker, outside);
    expect([a.status, b.status]).toEqual([404, 404]);
    expect(a.body.code).toBe('not_found');
    // The same answer but for the request's own id.
    expect({ ...b.body, requestId: null }).toEqual({ ...a.body, requestId: null });
    expect((await sendLink(gridworker, 999_999)).status).toBe(404);
    expect(
      await db
        .selectFrom('care_links')
        .select('id')
        .where('person_id', 'in', [notObserved, outside])
        .execute(),
    ).toEqual([]);
    // A volunteer sends nothing at all.
    expect((await sendLink(volunteer, personId)).status).toBe(403);
  });

  it('the page opens without an account; a half-filled form survives closing it', async () => {
    const page = await t.anon().get<PublicScale>(`/api/public/scales/${link.token}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.code).toBe('PHQ-9');
    expect(page.body.definition.items).toHaveLength(10);
    expect(page.body.draft).toBeNull();
    expect(page.body.expiresAt).toBe(link.expiresAt);
    // The name masked: the first and last characters only.
    const name = `关爱对象${seq - 2}`;
    expect(page.body.greeting).toBe(`关***${name.slice(-1)}`);

    const half = [1, 0, 2, 0, 1, null, null, null, null, null];
    const saved = await t.anon().put<{ savedAt: string }>(`/api/public/scales/${link.token}/draft`, {
      answers: half,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.savedAt).toBe(clock);
    const reopened = await t.anon().get<PublicScale>(`/api/public/scales/${link.token}`);
    expect(reopened.body.draft).toEqual(half);
    // Kept encrypted.
    const row = await db
      .selectFrom('care_links')
      .select(['draft_enc', 'draft_at'])
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(row.draft_at).toBe(clock);
    expect(row.draft_enc).not.toContain('[1,0,2');
    const bad = await t.anon().put<Problem>(`/api/public/scales/${link.token}/draft`, {
      answers: [7, ...half.slice(1)],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues!.map((i) => [i.path, i.code])).toEqual([
      ['body.answers.0', 'issue.scale.answer_option'],
    ]);
    // The sender sees that it was started, nothing of the answers.
    const links = await gridworker.get<{ items: { id: number; state: string }[] }>('/api/scale-links');
    expect(links.body.items.find((l) => l.id === link.id)!.state).toBe('started');
  });

  it('submitting scores it once: item 9 at 1 is total 1, minimal; a second submit and the page are 410', async () => {
    const incomplete = await submit(link.token, [0, 0, 0, 0, null, 0, 0, 0, 1, null]);
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.issues!.map((i) => [i.path, i.code])).toEqual([
      ['body.answers.4', 'issue.scale.unanswered'],
    ]);
    const wrongCount = await submit(link.token, [0, 0, 0]);
    expect(wrongCount.status).toBe(400);
    expect(wrongCount.body.issues!.map((i) => i.code)).toEqual(['issue.scale.answer_count']);

    const res = await submit(link.token, phq(1));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ total: 1, band: 'minimal' });
    const twice = await submit(link.token, phq(0));
    expect(twice.status).toBe(410);
    expect(twice.body.code).toBe('care.link_used');
    const page = await t.anon().get<Problem>(`/api/public/scales/${link.token}`);
    expect(page.status).toBe(410);
    expect(page.body.code).toBe('care.link_used');
    expect((await t.anon().put(`/api/public/scales/${link.token}/draft`, { answers: phq(0) })).status).toBe(
      410,
    );
    // One response, scored as answered the first time; the draft gone.
    const rows = await db
      .selectFrom('care_responses')
      .select(['total', 'band', 'answers_enc'])
      .where('link_id', '=', link.id)
      .execute();
    expect(rows.map((r) => [r.total, r.band])).toEqual([[1, 'minimal']]);
    expect(rows[0]!.answers_enc).not.toContain('[0,0,0');
    const l = await db
      .selectFrom('care_links')
      .select(['draft_enc', 'used_at'])
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(l).toEqual({ draft_enc: null, used_at: clock });
    // The log says a scale came back and raised an alert; never the answers or the score.
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'scale.submit')
      .where('node_path', '=', tree.grids[0]!.path)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ linkId: link.id, scale: 'PHQ-9', alert: true });
  });

  it('two submissions of one link at the same moment: one is scored, the other 410', async () => {
    const other = await observedAt(gridworker, tree.grids[0]!);
    const l = await linkFor(gridworker, other, 'GAD-7');
    const both = await Promise.all([
      submit(l.token, [0, 0, 0, 0, 0, 0, 0]),
      submit(l.token, [1, 1, 1, 1, 1, 1, 1]),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 410]);
    const rows = await db.selectFrom('care_responses').select('total').where('link_id', '=', l.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.total).toBe(both.find((r) => r.status === 200)!.body.total);
  });

  it('an unknown token of the right shape is 404; of the wrong shape 400', async () => {
    expect((await t.anon().get<Problem>(`/api/public/scales/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await submit('A'.repeat(43), phq(0))).status).toBe(404);
    expect((await t.anon().get(`/api/public/scales/short`)).status).toBe(400);
  });

  it('the grid worker sees the link submitted, and nothing it may call shows answers', async () => {
    const links = await gridworker.get<{
      items: { id: number; state: string; submittedAt: string | null }[];
    }>('/api/scale-links');
    expect(links.status).toBe(200);
    const mine = links.body.items.find((l) => l.id === link.id)!;
    expect(mine).toMatchObject({ state: 'submitted', submittedAt: clock });
    expect(Object.keys(mine).sort()).toEqual(
      ['expiresAt', 'id', 'person', 'scale', 'sentAt', 'sentBy', 'state', 'submittedAt'].sort(),
    );
    const alertId = (await alertOf(personId)).id;
    const responseId = (
      await db
        .selectFrom('care_responses')
        .select('id')
        .where('link_id', '=', link.id)
        .executeTakeFirstOrThrow()
    ).id;
    for (const url of [
      '/api/care/alerts',
      `/api/care/responses/${responseId}`,
      `/api/care/responses/${responseId}/fhir`,
      '/api/care/cases',
      '/api/care/people',
      `/api/care/alerts/${alertId}/acknowledge`,
    ]) {
      const res = url.endsWith('acknowledge') ? await gridworker.post(url, {}) : await gridworker.get(url);
      expect(res.status, url).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('"value"');
    }
  });
});

describe('a crisis alert', () => {
  let personId: number;
  let alertId: number;
  let responseId: number;

  it('reaches the town’s counsellor over the live stream within a second (not another town’s)', async () => {
    personId = await observedAt(gridworker, tree.grids[0]!);
    const link = await linkFor(gridworker, personId);
    const stream = await openSse(t.app, { client: counsellor });
    const other = await openSse(t.app, { client: counsellorB });
    try {
      expect([stream.status, other.status]).toEqual([200, 200]);
      const sent = Date.now();
      const res = await submit(link.token, phq(1));
      expect(res.status).toBe(200);
      const e = await stream.waitFor((x) => x.kind === 'care.alert.raised', 1000);
      expect(Date.now() - sent).toBeLessThan(1000);
      alertId = (await alertOf(personId)).id;
      expect(e.json?.payload).toEqual({ id: alertId });
      await new Promise((r) => setTimeout(r, 150));
      expect(other.events.filter((x) => x.kind === 'care.alert.raised')).toEqual([]);
    } finally {
      stream.close();
      other.close();
    }
    const row = await alertOf(personId);
    responseId = row.response_id;
    expect(row).toMatchObject({
      status: 'open',
      raised_at: clock,
      ack_by: plusMinutes(clock, 30),
      escalated_at: null,
    });
    // The first of those granted counselling.work at the nearest place that has any: the town (the
    // town's administrator holds every permission).
    expect([counsellorId, await userId('townadmin')]).toContain(row.counsellor_id);
    // The on-duty counsellors of the town and the village's managers are told; the town commander
    // only if nobody acknowledges it.
    const told = await toldOf('care.alert', alertId);
    expect(told).toEqual(expect.arrayContaining(['cadre', 'counsellor']));
    expect(told).not.toContain('towncmd');
    expect(told).not.toContain('counsellorB');
  });

  it('the counsellor sees the answers that raised it; the village cadre that it exists; a volunteer nothing', async () => {
    const mine = (await alertsAs(counsellor)).find((a) => a.id === alertId)!;
    expect(mine).toMatchObject({
      status: 'open',
      person: { id: personId },
      abilities: { acknowledge: true },
    });
    expect(mine.detail).toMatchObject({
      responseId,
      scale: 'PHQ-9',
      total: 1,
      reasons: [{ kind: 'item', key: '9', value: 1 }],
    });
    expect(mine.detail!.triggers).toEqual([
      expect.objectContaining({ key: '9', value: 1, answer: { zh: '好几天', en: 'Several days' } }),
    ]);

    const village = (await alertsAs(cadre)).find((a) => a.id === alertId)!;
    expect(village).toMatchObject({ status: 'open', detail: null, abilities: { acknowledge: false } });
    expect(JSON.stringify(village)).not.toContain('Several days');
    expect((await cadre.post(`/api/care/alerts/${alertId}/acknowledge`, {})).status).toBe(403);

    expect((await volunteer.get('/api/care/alerts')).status).toBe(403);
    expect((await alertsAs(counsellorB)).map((a) => a.id)).not.toContain(alertId);
    expect((await counsellorB.post(`/api/care/alerts/${alertId}/acknowledge`, {})).status).toBe(403);
  });

  it('answers are read by a counsellor in scope only, and every read is audited', async () => {
    for (const c of [volunteer, gridworker, cadre, towncmd]) {
      expect((await c.get(`/api/care/responses/${responseId}`)).status).toBe(403);
      expect((await c.get(`/api/care/responses/${responseId}/fhir`)).status).toBe(403);
    }
    expect((await counsellorB.get(`/api/care/responses/${responseId}`)).status).toBe(403);
    expect((await counsellor.get('/api/care/responses/999999')).status).toBe(404);
    // The counsellor has no registry.
    expect((await counsellor.get('/api/people')).status).toBe(403);

    const auditRows = () =>
      db
        .selectFrom('audit_log')
        .select(['action', 'actor_user_id', 'detail'])
        .where('entity_type', '=', 'care_response')
        .where('entity_id', '=', String(responseId))
        .where('action', 'in', ['care.response.read', 'care.response.export'])
        .execute();
    expect(await auditRows()).toEqual([]);
    const res = await counsellor.get<{ total: number; maxTotal: number; items: AnsweredItem[] }>(
      `/api/care/responses/${responseId}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.maxTotal).toBe(27);
    expect(res.body.items.map((i) => i.value)).toEqual(phq(1));
    expect(res.body.items[8]).toMatchObject({ key: '9', value: 1, answer: { en: 'Several days' } });
    expect(res.body.items[9]).toMatchObject({ key: '10', value: null, answer: null, scored: false });
    expect(await auditRows()).toEqual([
      { action: 'care.response.read', actor_user_id: counsellorId, detail: null },
    ]);

    const fhir = await counsellor.get<{
      resourceType: string;
      entry: { resource: { resourceType: string; valueInteger?: number } }[];
    }>(`/api/care/responses/${responseId}/fhir`);
    expect(fhir.status).toBe(200);
    expect(String(fhir.headers['content-type'])).toContain('application/fhir+json');
    expect(fhir.body.resourceType).toBe('Bundle');
    expect(fhir.body.entry.map((e) => e.resource.resourceType)).toEqual([
      'QuestionnaireResponse',
      'Observation',
    ]);
    expect(fhir.body.entry[1]!.resource.valueInteger).toBe(1);
    expect((await auditRows()).map((r) => r.action).sort()).toEqual([
      'care.response.export',
      'care.response.read',
    ]);
  });

  it('acknowledging opens a case (once); contacts, risk, next contact, referral and closing follow', async () => {
    const ack = await counsellor.post<Alert & Problem>(`/api/care/alerts/${alertId}/acknowledge`, {});
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    expect(ack.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: { id: counsellorId, name: 'counsellor' },
      abilities: { acknowledge: false },
    });
    const caseId = ack.body.caseId!;
    expect(caseId).toEqual(expect.any(Number));
    const twice = await counsellor.post<Problem>(`/api/care/alerts/${alertId}/acknowledge`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('care.alert_acknowledged');

    const opened = await counsellor.get<Case>(`/api/care/cases/${caseId}`);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      person: { id: personId },
      status: 'open',
      risk: 'high',
      nextContactOn: today(),
      openAlerts: 0,
      contacts: [],
      responses: [{ id: responseId, scale: 'PHQ-9', total: 1, crisis: true }],
    });

    const note = '电话联系，本人情绪较前平稳，家属在旁';
    const contact = await counsellor.post<Case>(`/api/care/cases/${caseId}/contacts`, {
      kind: 'call',
      note,
      nextContactOn: today(),
      risk: 'high',
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    expect(contact.body).toMatchObject({ risk: 'high', nextContactOn: today(), lastContactAt: clock });
    expect(contact.body.contacts).toEqual([expect.objectContaining({ kind: 'call', note })]);
    expect(contact.body.contacts[0]!.by.id).toBe(counsellorId);
    const stored = await db
      .selectFrom('care_contacts')
      .select('note_enc')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(stored.note_enc).not.toContain('电话');

    const due = async () =>
      (await counsellor.get<{ items: Case[] }>('/api/care/cases?due=1')).body.items.map((c) => c.id);
    expect(await due()).toContain(caseId);
    const later = await counsellor.patch<Case>(`/api/care/cases/${caseId}`, {
      nextContactOn: localDate(plusMinutes(clock, 24 * 60)),
      risk: 'moderate',
    });
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect(later.body.risk).toBe('moderate');
    expect(await due()).not.toContain(caseId);
    const all = await counsellor.get<{ items: Case[] }>('/api/care/cases');
    expect(all.body.items.map((c) => c.id)).toContain(caseId);
    // Another town's counsellor neither lists nor changes it; a cadre has no caseloads.
    expect(
      (await counsellorB.get<{ items: Case[] }>('/api/care/cases')).body.items.map((c) => c.id),
    ).not.toContain(caseId);
    expect((await counsellorB.patch(`/api/care/cases/${caseId}`, { risk: 'low' })).status).toBe(403);
    expect((await cadre.get(`/api/care/cases/${caseId}`)).status).toBe(403);

    const referred = await counsellor.post<Case>(`/api/care/cases/${caseId}/refer`, {
      kind: 'community_health',
      note: '转社区卫生服务中心精神科随访',
    });
    expect(referred.status, JSON.stringify(referred.body)).toBe(200);
    expect(referred.body.status).toBe('referred');
    expect(referred.body.referral).toMatchObject({
      kind: 'community_health',
      note: '转社区卫生服务中心精神科随访',
    });
    expect(referred.body.abilities).toMatchObject({ refer: false, contact: true });

    const closed = await counsellor.post<Case>(`/api/care/cases/${caseId}/close`, { note: '情况稳定，结案' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: clock, nextContactOn: null });
    expect(closed.body.abilities).toMatchObject({ contact: false, update: false, close: false });
    const after = await counsellor.post<Problem>(`/api/care/cases/${caseId}/contacts`, {
      kind: 'visit',
      note: '上门',
    });
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('care.case_closed');
    expect((await counsellor.post(`/api/care/cases/${caseId}/close`, { note: '再次' })).status).toBe(409);
    expect(
      (await counsellor.get<{ items: Case[] }>('/api/care/cases')).body.items.map((c) => c.id),
    ).not.toContain(caseId);

    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'care_case')
      .where('entity_id', '=', String(caseId))
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'care.case.open',
      'care.case.contact',
      'care.case.update',
      'care.case.refer',
      'care.case.close',
    ]);
  });
});

describe('two counsellors at once', () => {
  it('acknowledging one alert at the same moment: one wins, the other 409, one case', async () => {
    const townadmin = await t.login('townadmin');
    const personId = await observedAt(gridworker, tree.grids[0]!);
    const link = await linkFor(gridworker, personId);
    expect((await submit(link.token, phq(3))).status).toBe(200);
    const alertId = (await alertOf(personId)).id;
    const both = await Promise.all([
      counsellor.post<Problem>(`/api/care/alerts/${alertId}/acknowledge`, {}),
      townadmin.post<Problem>(`/api/care/alerts/${alertId}/acknowledge`, {}),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)!.body.code).toBe('care.alert_acknowledged');
    const cases = await db.selectFrom('care_cases').select('id').where('person_id', '=', personId).execute();
    expect(cases).toHaveLength(1);
    expect((await alertOf(personId)).case_id).toBe(cases[0]!.id);
    expect(await counterAt(db, 'care.alerts.open', tree.grids[0]!.path)).toBe(
      (
        await db
          .selectFrom('care_alerts')
          .select('id')
          .where('status', '=', 'open')
          .where('node_path', '=', tree.grids[0]!.path)
          .execute()
      ).length,
    );
  });
});

describe('the counsellor’s reach', () => {
  it('lists the people in home observation of their town and takes one onto the caseload', async () => {
    const personId = await observedAt(admin, tree.grids[1]!);
    const elsewhere = await observedAt(admin, tree.grids[4]!);
    const people = await counsellor.get<{
      items: { id: number; inObservation: boolean; caseId: number | null }[];
    }>('/api/care/people');
    expect(people.status).toBe(200);
    expect(people.body.items.find((p) => p.id === personId)).toMatchObject({
      inObservation: true,
      caseId: null,
    });
    expect(people.body.items.map((p) => p.id)).not.toContain(elsewhere);
    const opened = await counsellor.post<Case>('/api/care/cases', { personId });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', risk: 'low', person: { id: personId } });
    expect((await counsellor.post('/api/care/cases', { personId: elsewhere })).status).toBe(404);
    // The counsellor may send the person a scale too.
    expect((await sendLink(counsellor, personId, 'GAD-7')).status).toBe(201);
  });
});

describe('escalation', () => {
  it('an alert nobody acknowledged in 30 minutes goes to the town, once; one acknowledged in time never does', async () => {
    await acknowledgeAllOpen();
    const start = clock;
    const late = await observedAt(gridworker, tree.grids[0]!);
    const prompt = await observedAt(gridworker, tree.grids[0]!);
    // A GAD-7 at 15 (severe) and a PHQ-9 with item 9 at 2.
    const lateLink = await linkFor(gridworker, late, 'GAD-7');
    expect((await submit(lateLink.token, [3, 3, 3, 3, 3, 0, 0])).body).toEqual({ total: 15, band: 'severe' });
    const promptLink = await linkFor(gridworker, prompt);
    expect((await submit(promptLink.token, phq(2))).body).toEqual({ total: 2, band: 'minimal' });
    const lateId = (await alertOf(late)).id;
    const promptId = (await alertOf(prompt)).id;

    clock = plusMinutes(start, 10);
    expect((await counsellor.post(`/api/care/alerts/${promptId}/acknowledge`, {})).status).toBe(200);
    // Not yet due at 29 minutes.
    clock = plusMinutes(start, 29);
    expect(await t.app.linliCare.escalate({ actor: null, requestId: 'care-sweep-1' })).toEqual({
      escalated: 0,
    });

    clock = plusMinutes(start, 31);
    expect(await t.app.linliCare.escalate({ actor: null, requestId: 'care-sweep-2' })).toEqual({
      escalated: 1,
    });
    expect(await t.app.linliCare.escalate({ actor: null, requestId: 'care-sweep-3' })).toEqual({
      escalated: 0,
    });

    const row = await alertOf(late);
    expect(row).toMatchObject({ status: 'open', escalated_at: clock });
    expect((await alertOf(prompt)).escalated_at).toBeNull();
    const told = await toldOf('care.alert.escalated', lateId);
    expect(told).toEqual(expect.arrayContaining(['counsellor', 'towncmd']));
    expect(told).not.toContain('counsellorB');
    // Told once, whatever the sweeps.
    expect(told.filter((u) => u === 'towncmd')).toHaveLength(1);
    expect(await toldOf('care.alert.escalated', promptId)).toEqual([]);
    const listed = (await alertsAs(counsellor)).find((a) => a.id === lateId)!;
    expect(listed).toMatchObject({ status: 'open', escalatedAt: clock });
    expect(listed.detail!.reasons).toEqual([{ kind: 'band', band: 'severe' }]);
    // Escalated to the town: its commander sees that it exists, without the answers.
    const town = (await alertsAs(towncmd)).find((a) => a.id === lateId)!;
    expect(town.detail).toBeNull();
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('entity_type', '=', 'care_alert')
      .where('entity_id', '=', String(lateId))
      .where('action', '=', 'care.alert.escalate')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ to: tree.towns[0]!.path });
    // Acknowledged late still works, and a sweep after it does nothing.
    expect((await counsellor.post(`/api/care/alerts/${lateId}/acknowledge`, {})).status).toBe(200);
    expect(await t.app.linliCare.escalate({ actor: null, requestId: 'care-sweep-4' })).toEqual({
      escalated: 0,
    });
  });
});

describe('figures', () => {
  it('the cockpit’s open-alert counter at the village goes to 1 with a crisis and back to 0 when acknowledged', async () => {
    const village = tree.villages[1]!;
    const month = today().slice(0, 7);
    expect(await counterAt(db, 'care.alerts.open', village.path)).toBe(0);
    const personId = await observedAt(admin, tree.grids[2]!);
    const link = await linkFor(admin, personId);
    const townBefore = await counterAt(db, 'care.alerts.open', tree.towns[0]!.path);
    expect((await submit(link.token, phq(1, 1))).body).toEqual({ total: 9, band: 'mild' });
    expect(await counterAt(db, 'care.alerts.open', village.path)).toBe(1);
    expect(await counterAt(db, 'care.alerts.open', tree.towns[0]!.path)).toBe(townBefore + 1);
    expect(await counterAt(db, `care.submitted.${month}`, village.path)).toBe(1);
    expect(await counterAt(db, `care.crisis.${month}`, village.path)).toBe(1);
    const alertId = (await alertOf(personId)).id;
    expect((await counsellor.post(`/api/care/alerts/${alertId}/acknowledge`, {})).status).toBe(200);
    expect(await counterAt(db, 'care.alerts.open', village.path)).toBe(0);
    expect(await counterAt(db, 'care.alerts.open', tree.towns[0]!.path)).toBe(townBefore);
    // A filled scale without a crisis counts as submitted, not as a crisis.
    const calm = await linkFor(admin, personId, 'GAD-7');
    expect((await submit(calm.token, [0, 0, 0, 0, 0, 0, 0])).body).toEqual({ total: 0, band: 'minimal' });
    expect(await counterAt(db, `care.submitted.${month}`, village.path)).toBe(2);
    expect(await counterAt(db, `care.crisis.${month}`, village.path)).toBe(1);
    expect(await counterAt(db, 'care.alerts.open', village.path)).toBe(0);
  });

  it('the town commander sees the town’s counts exact and its villages’ 1–4 as "<5"', async () => {
    const res = await towncmd.get<{
      node: { id: number; level: string };
      totals: Figures;
      children: { id: number; level: string; figures: Figures }[];
    }>('/api/care/stats');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.node).toMatchObject({ id: tree.towns[0]!.id, level: 'town' });
    const count = async (table: 'care_links' | 'care_responses', under: string) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('node_path', 'like', `${under}%`)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const town = tree.towns[0]!.path;
    expect(res.body.totals.sent).toBe(await count('care_links', town));
    expect(res.body.totals.submitted).toBe(await count('care_responses', town));
    expect(res.body.totals.sent).toBeGreaterThanOrEqual(5);
    // Every crisis so far was acknowledged.
    expect(res.body.totals.openAlerts).toBe(0);
    const villageA = res.body.children.find((c) => c.id === tree.villages[0]!.id)!;
    expect(villageA.level).toBe('village');
    // Village 2 of town 1: two scales sent and filled, one crisis, one case open: all masked.
    const villageB = res.body.children.find((c) => c.id === tree.villages[1]!.id)!;
    expect(villageB.figures).toEqual({
      sent: '<5',
      submitted: '<5',
      crisis: '<5',
      openAlerts: 0,
      openCases: '<5',
    });
    expect(res.body.children.map((c) => c.id).sort()).toEqual(
      [tree.villages[0]!.id, tree.villages[1]!.id].sort(),
    );
    // Another town's figures are not theirs; a grid worker has none.
    expect((await towncmd.get(`/api/care/stats?node=${tree.towns[1]!.id}`)).status).toBe(403);
    expect((await gridworker.get('/api/care/stats')).status).toBe(403);
    // The cockpit shows the same counter.
    const cockpit = await towncmd.get<{ figures: { careAlertsOpen: Shown } }>(
      `/api/cockpit?node=${tree.towns[0]!.id}`,
    );
    expect(cockpit.status).toBe(200);
    expect(cockpit.body.figures.careAlertsOpen).toBe(0);
  });
});

describe('expiry', () => {
  it('a link past its expiry is 410 care.link_expired on the page, the draft and the submit', async () => {
    const personId = await observedAt(gridworker, tree.grids[0]!);
    const link = await linkFor(gridworker, personId);
    expect((await t.anon().get(`/api/public/scales/${link.token}`)).status).toBe(200);
    clock = plusMinutes(link.expiresAt, 1);
    for (const res of [
      await t.anon().get<Problem>(`/api/public/scales/${link.token}`),
      await t.anon().put<Problem>(`/api/public/scales/${link.token}/draft`, { answers: phq(0) }),
      await submit(link.token, phq(0)),
    ]) {
      expect(res.status).toBe(410);
      expect(res.body.code).toBe('care.link_expired');
    }
    expect(
      await db.selectFrom('care_responses').select('id').where('person_id', '=', personId).execute(),
    ).toEqual([]);
    const links = await gridworker.get<{ items: { id: number; state: string }[] }>(
      `/api/scale-links?personId=${personId}`,
    );
    expect(links.body.items.map((l) => [l.id, l.state])).toEqual([[link.id, 'expired']]);
  });
});
