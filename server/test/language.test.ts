// One language per answer (ADR 0010): every route is called as a district administrator in English
// and in Chinese, with an escalated event, a notification, an import with a bad row and two mediation
// cases (one a party refused, one whose agreement is being signed) in the database, and every text
// for people in the answers is in the language asked; so are the mediation statistics workbook and a
// micro-court point's booking clash.
//
// Texts for people, by where they are in an answer:
// - a problem (application/problem+json): `title`, `detail`, each `issues[].message`;
// - any other JSON answer: every `message` (import row errors), `text` (notifications, the cockpit's
//   escalations, directive histories), and an event history's `reason` and `actor` (written by the
//   system here: nobody typed them).
// Data is not text for people and is taken out before the check: names of nodes, people and
// departments, event titles, spreadsheet column names and usernames the test wrote, and the unknown
// field name the sweep sends. Record fields such as `title` and `name` are data and not checked.
// Codes are not words either: dotted codes, and the accepted values an `invalid_value` issue lists.
// A psychological scale's texts (its title, stem, items, options and bands) are data too: each is a
// {zh, en} pair in every answer, whichever language is asked, because the person's page shows the one
// they read; they sit in record fields (`label`, `intro`, `title`), which are not checked. A FHIR
// resource (application/fhir+json) is a document for a health service's system, not for people
// reading Linli: it declares its own language (`language: 'en'`, the Chinese in FHIR's translation
// extension), and its `text` elements are FHIR's, so such an answer is taken out whole.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../common/contracts/events.js';
import type { CaseView } from '../../common/contracts/mediation.js';
import type { Lang } from '../../common/messages/index.js';
import { buildTestApp, TEST_PASSWORD, type Client, type TestApp, type TestResponse } from './harness.js';
import { makeCast, makeTree, makeUser, type Tree } from './factories.js';
import { importPeople, insertPerson, nthIdNumber, PEOPLE_HEAD, toCsv } from './routes.js';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
// Latin a Chinese text may carry: format and protocol names that are not words of a language.
const LATIN_OK = new Set(
  (
    'JSON API HTTP UTF-8 xlsx csv json xml api_key multipart/form-data x-csrf-token Idempotency-Key lat long lng WGS84 W3C ' +
    'YYYY-MM-DD Open311 PDF Word Excel PowerPoint docx pptx JPEG PNG WebP txt MB service_request_id ' +
    'start_date end_date media_url service_code open closed http https lat/long'
  ).split(' '),
);
const UNKNOWN_FIELD = 'zzUnknownField';

let clock = '2026-10-16T08:00:00.000Z'; // Friday 16:00 in Shanghai
let t: TestApp;
let tree: Tree;
let admin: Client;
let cadre: Client;
let eventId: number;
/** Joint mediation: a case a party refused, one whose agreement is being signed, and a micro-court point. */
let mediation: { refused: CaseView; signing: CaseView; mediatorId: number; point: number };
/** Joint services: a call-out for one, filled by the first volunteer; a cancelled service request. */
let services: { callout: number; request: number; first: Client; second: Client };
/**
 * Psychological care: a filled PHQ-9 that raised an alert (acknowledged, so a case, then closed), the
 * link it was filled by (used), and a link still open.
 */
let care: { used: string; open: string; alert: number; response: number; caseId: number };
const data: string[] = [UNKNOWN_FIELD, ...PEOPLE_HEAD, 'admin', 'cadre', 'gridworker', 'towncmd'];

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => clock });
  const db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  admin = await t.login('admin');
  cadre = await t.login('cadre');
  const towncmd = await t.login('towncmd');
  const gridworker = await t.login('gridworker');
  for (const n of await db.selectFrom('nodes').select('name').execute()) data.push(n.name);
  const category = await db
    .selectFrom('event_categories')
    .select('id')
    .where('code', '=', 'environment.garbage')
    .executeTakeFirstOrThrow();
  const dept = await towncmd.post<{ id: number }>('/api/departments', {
    nodeId: tree.towns[0]!.id,
    kind: 'urban',
    name: '镇1综合执法队',
  });
  expect([200, 201], JSON.stringify(dept.body)).toContain(dept.status);
  data.push('镇1综合执法队');
  // An event nobody signs for: the sweep escalates it, with a reason, a history row and notifications.
  const made = await gridworker.post<{ event: EventDetail }>('/api/events', {
    categoryId: category.id,
    title: '无人签收的垃圾',
    description: '派出去没人管',
    nodeId: tree.grids[0]!.id,
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  data.push('无人签收的垃圾', '派出去没人管');
  eventId = made.body.event.id;
  for (const body of [{ action: 'accept' }, { action: 'dispatch', departmentId: dept.body.id }]) {
    const res = await cadre.post(`/api/events/${eventId}/actions`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  clock = '2026-10-20T03:00:00.000Z'; // past the sign-for limit
  expect((await admin.post<{ escalated: number }>('/api/events/sweep')).body.escalated).toBe(1);
  // An import with a row whose ID number has a wrong check character.
  const grid = tree.grids[0]!;
  const imported = await importPeople(
    admin,
    {
      name: 'p.csv',
      data: toCsv([
        [...PEOPLE_HEAD],
        ['好行', '', '', '', grid.fullCode, '户籍人口', '', '', ''],
        ['坏行', '110105194912310021', '', '', grid.fullCode, '户籍人口', '', '', ''],
      ]),
    },
    { mode: 'valid-rows', ref: 'lang-sweep' },
  );
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  data.push('好行', '坏行');
  // Joint mediation: a committee, a court's micro-court point and a mediator; a case a party refused
  // (each step on it answers 409 naming its state) and one whose agreement is being signed.
  const org = async (kind: string, name: string) => {
    const res = await admin.post<{ id: number }>('/api/mediation/orgs', {
      kind,
      name,
      nodeId: tree.district.id,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    data.push(name);
    return res.body.id;
  };
  await org('committee', '测试区人民调解委员会');
  const point = await org('micro_court', '测试区微法庭');
  const mediatorUser = await makeUser(db, 'langmediator', [{ role: 'mediator', node: tree.district }]);
  const committee = (
    await admin.get<{ items: { id: number; kind: string }[] }>('/api/mediation/orgs')
  ).body.items.find((o) => o.kind === 'committee')!;
  const registered = await admin.post<{ id: number }>('/api/mediation/mediators', {
    userId: mediatorUser,
    orgId: committee.id,
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  data.push('langmediator');
  const dispute = async (a: string, b: string, k: number) => {
    const res = await cadre.post<CaseView>('/api/mediation/cases', {
      nodeId: tree.villages[0]!.id,
      source: 'initiative',
      disputeType: 'neighbour',
      facts: '邻里纠纷',
      claims: '请求调解',
      parties: [
        { side: 'applicant', name: a, idNumber: nthIdNumber(k, '330183') },
        { side: 'respondent', name: b, idNumber: nthIdNumber(k + 1, '330183') },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    data.push(a, b);
    return res.body;
  };
  const step = async (url: string, body: unknown, status = 200) => {
    const res = await admin.post<CaseView>(url, body);
    expect(res.status, `${url} ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const refusedCase = await dispute('冯一', '陈二', 1);
  const refused = await step(`/api/mediation/cases/${refusedCase.id}/consent`, {
    partyId: refusedCase.parties[1]!.id,
    consent: 'no',
  });
  const signingCase = await dispute('褚三', '卫四', 3);
  for (const p of signingCase.parties)
    await step(`/api/mediation/cases/${signingCase.id}/consent`, { partyId: p.id, consent: 'yes' });
  await step(`/api/mediation/cases/${signingCase.id}/assign`, { mediatorId: registered.body.id });
  await step(
    `/api/mediation/cases/${signingCase.id}/agreement`,
    {
      facts: '双方确认',
      disputedPoints: '赔偿',
      obligations: [
        { partyId: signingCase.parties[1]!.id, what: '赔偿', manner: '转账', deadline: '2026-11-30' },
      ],
    },
    201,
  );
  // The draft answers the agreement; the case, now signing, is read as people see it.
  const signing = (await admin.get<CaseView>(`/api/mediation/cases/${signingCase.id}`)).body;
  expect(signing.status).toBe('signing');
  mediation = { refused, signing, mediatorId: registered.body.id, point };
  // Joint services: two volunteers of grid A joined by invitation (told of each call-out), a call-out
  // for one that the first filled (the second is told it is full), a service request cancelled (a
  // step on it answers 409 naming its state).
  const inv = await admin.post<{ token: string }>('/api/services/invitations', { nodeId: tree.towns[0]!.id });
  expect(inv.status, JSON.stringify(inv.body)).toBe(201);
  const joinAs = async (username: string, name: string, k: number) => {
    const res = await t.anon().post(`/api/public/join/${inv.body.token}`, {
      name,
      idNumber: nthIdNumber(k, '330185'),
      phone: `1381234${String(k).padStart(4, '0')}`,
      nodeId: tree.grids[0]!.id,
      username,
      password: TEST_PASSWORD,
      consent: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    data.push(name, username);
    return t.login(username);
  };
  const first = await joinAs('langvol1', '蒋志愿', 1);
  const second = await joinAs('langvol2', '沈志愿', 2);
  // The sweep below steps on call-out 1 (closing it): the full one is another.
  const body = (title: string) => ({
    nodeId: tree.villages[0]!.id,
    title,
    meetingPoint: '村委会门口',
    startsAt: '2026-10-21T01:00:00.000Z',
    endsAt: '2026-10-21T03:00:00.000Z',
    capacity: 1,
  });
  expect((await admin.post('/api/callouts', body('占位召集'))).status).toBe(201);
  const callout = await admin.post<{ id: number }>('/api/callouts', body('敬老院陪伴'));
  expect(callout.status, JSON.stringify(callout.body)).toBe(201);
  data.push('占位召集', '敬老院陪伴', '村委会门口');
  expect((await first.post(`/api/callouts/${callout.body.id}/signups`)).status).toBe(201);
  const personId = await insertPerson(db, tree.grids[0]!, { name: '韩老人' });
  data.push('韩老人');
  const request = await admin.post<{ id: number }>('/api/service-requests', { personId, kind: 'meals' });
  expect(request.status, JSON.stringify(request.body)).toBe(201);
  expect(
    (await admin.post(`/api/service-requests/${request.body.id}/cancel`, { reason: '家属已照料' })).status,
  ).toBe(200);
  // Its reference (FW and its number) is data, as people say it on the phone.
  data.push('家属已照料', `FW${String(request.body.id).padStart(6, '0')}`);
  services = { callout: callout.body.id, request: request.body.id, first, second };
  // Psychological care: a person of grid A in home observation filled PHQ-9 with item 9 at 1 (an
  // urgent alert, which village A's cadre is told of); the admin acknowledged it (a case), recorded a
  // call and closed the case.
  const observed = await insertPerson(db, tree.grids[0]!, { name: '朱观察' });
  data.push('朱观察');
  const ordered = await admin.post('/api/observations', {
    personId: observed,
    startDate: '2026-10-20',
    days: 14,
    reason: '密切接触者',
  });
  expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
  const link = async () => {
    const res = await admin.post<{ token: string }>('/api/scales/PHQ-9/links', { personId: observed });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.token;
  };
  const used = await link();
  const filled = await t.anon().post(`/api/public/scales/${used}`, {
    answers: [0, 0, 0, 0, 0, 0, 0, 0, 1, null],
  });
  expect(filled.status, JSON.stringify(filled.body)).toBe(200);
  const alert = await db
    .selectFrom('care_alerts')
    .select(['id', 'response_id'])
    .where('person_id', '=', observed)
    .executeTakeFirstOrThrow();
  const acked = await admin.post<{ caseId: number }>(`/api/care/alerts/${alert.id}/acknowledge`, {});
  expect(acked.status, JSON.stringify(acked.body)).toBe(200);
  const caseId = acked.body.caseId;
  const called = await admin.post(`/api/care/cases/${caseId}/contacts`, { kind: 'call', note: '电话联系' });
  expect(called.status, JSON.stringify(called.body)).toBe(201);
  expect((await admin.post(`/api/care/cases/${caseId}/close`, { note: '情况稳定' })).status).toBe(200);
  data.push('电话联系', '情况稳定');
  care = { used, open: await link(), alert: alert.id, response: alert.response_id, caseId };
});
afterAll(() => t.close());

/** Texts for people in one answer, with their place in it. */
function peopleTexts(res: TestResponse<unknown>): { at: string; text: string }[] {
  const out: { at: string; text: string }[] = [];
  const body = res.body;
  if (typeof body !== 'object' || body === null) return out;
  if (String(res.headers['content-type']).startsWith('application/problem+json')) {
    const p = body as {
      title?: string;
      detail?: string;
      issues?: { path: string; message: string; code: string }[];
    };
    if (p.title !== undefined) out.push({ at: 'title', text: p.title });
    if (p.detail !== undefined) out.push({ at: 'detail', text: p.detail });
    for (const i of p.issues ?? [])
      out.push({
        at: `issues ${i.path}`,
        // "one of: a, b": what follows the colon are the accepted values, codes of the API.
        text: i.code === 'invalid_value' ? i.message.replace(/[:：].*$/, '') : i.message,
      });
    return out;
  }
  // A FHIR resource: a document in the language it declares (see the head of this file).
  if (String(res.headers['content-type']).startsWith('application/fhir+json')) return out;
  const walk = (v: unknown, at: string, inHistory: boolean) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}.${i}`, inHistory));
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (
          typeof x === 'string' &&
          (k === 'message' || k === 'text' || (inHistory && (k === 'reason' || k === 'actor')))
        )
          out.push({ at: `${at}.${k}`, text: x });
        else walk(x, `${at}.${k}`, inHistory || k === 'history');
      }
  };
  walk(body, '', false);
  return out;
}

const withoutData = (text: string) =>
  [...data].sort((a, b) => b.length - a.length).reduce((s, d) => s.split(d).join(' '), text);

function foreignWords(text: string, lang: Lang): string[] {
  const s = withoutData(text);
  if (lang === 'en') return CJK.test(s) ? [s] : [];
  return (s.match(/[A-Za-z][A-Za-z0-9_./:-]*/g) ?? [])
    .map((w) => w.replace(/[.:/]+$/, ''))
    .filter((w) => w.length > 1 && !LATIN_OK.has(w) && !/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(w));
}

const say = (c: Client, lang: Lang, method: string, url: string, payload?: unknown) =>
  c.request({
    method: method,
    url,
    headers: { 'accept-language': lang },
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });

describe.each<Lang>(['en', 'zh-CN'])('every answer in %s', (lang) => {
  it('routes, problems and stored records speak one language', async () => {
    const urls = new Map<string, { method: string; url: string; payload?: unknown; as?: Client }>();
    for (const r of t.app.linliRoutes) {
      if (!r.url.startsWith('/api') || r.method === 'HEAD' || r.url === '/api/stream') continue;
      // Signing out would end the sweep's session; a delete is sent only for a record that does not exist.
      if (r.url === '/api/auth/logout') continue;
      for (const id of r.method === 'DELETE' ? ['999999'] : ['1', '999999']) {
        const url = r.url.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? id : `${name}${id}`));
        urls.set(`${r.method} ${url}`, {
          method: r.method,
          url,
          ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: { [UNKNOWN_FIELD]: 1 } }),
        });
      }
    }
    // The records this test made, read where people see them.
    for (const url of [
      `/api/events/${eventId}`,
      `/api/cockpit?node=${tree.district.id}`,
      '/api/people/imports/by-ref/lang-sweep',
    ])
      urls.set(`GET ${url}`, { method: 'GET', url });
    // The village hears of the escalation to it.
    urls.set('GET /api/notifications (cadre)', { method: 'GET', url: '/api/notifications', as: cadre });
    // Joint mediation: the cases read, and steps their state refuses (409 naming the state).
    const { refused, signing, mediatorId } = mediation;
    for (const url of [
      `/api/mediation/cases/${refused.id}`,
      `/api/mediation/cases/${signing.id}`,
      `/api/mediation/agreements/${signing.agreement!.id}`,
      `/api/mediation/stats?node=${tree.district.id}`,
    ])
      urls.set(`GET ${url}`, { method: 'GET', url });
    urls.set('POST consent on a refused case', {
      method: 'POST',
      url: `/api/mediation/cases/${refused.id}/consent`,
      payload: { partyId: refused.parties[0]!.id, consent: 'yes' },
    });
    urls.set('POST assign on a case being signed', {
      method: 'POST',
      url: `/api/mediation/cases/${signing.id}/assign`,
      payload: { mediatorId },
    });
    // Joint services: the records read, and steps their state refuses (a full call-out, a cancelled request).
    for (const url of [
      `/api/callouts/${services.callout}`,
      `/api/service-requests/${services.request}`,
      '/api/services/volunteers',
      '/api/care/roster',
      `/api/care/overdue?node=${tree.district.id}`,
    ])
      urls.set(`GET ${url}`, { method: 'GET', url });
    urls.set('POST a sign-up on a full call-out', {
      method: 'POST',
      url: `/api/callouts/${services.callout}/signups`,
      as: services.second,
    });
    urls.set('POST assign on a cancelled request', {
      method: 'POST',
      url: `/api/service-requests/${services.request}/assign`,
      payload: { volunteerId: 1 },
    });
    urls.set('GET /api/notifications (volunteer)', {
      method: 'GET',
      url: '/api/notifications',
      as: services.first,
    });
    // Psychological care: the records read, and steps their state refuses (an alert acknowledged, a
    // case closed, a link used), answers the scale does not allow and a definition with a gap.
    for (const url of [
      '/api/scales',
      '/api/scales/PHQ-9/fhir',
      `/api/public/scales/${care.open}`,
      `/api/public/scales/${care.used}`,
      '/api/scale-links',
      '/api/care/alerts',
      `/api/care/responses/${care.response}`,
      `/api/care/responses/${care.response}/fhir`,
      '/api/care/people',
      '/api/care/cases?status=closed',
      `/api/care/cases/${care.caseId}`,
      `/api/care/stats?node=${tree.district.id}`,
    ])
      urls.set(`GET ${url}`, { method: 'GET', url });
    urls.set('POST acknowledge an acknowledged alert', {
      method: 'POST',
      url: `/api/care/alerts/${care.alert}/acknowledge`,
      payload: {},
    });
    urls.set('POST a contact on a closed case', {
      method: 'POST',
      url: `/api/care/cases/${care.caseId}/contacts`,
      payload: { kind: 'call', note: '再次联系' },
    });
    urls.set('POST a used link', {
      method: 'POST',
      url: `/api/public/scales/${care.used}`,
      payload: { answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, null] },
    });
    urls.set('PUT a draft the scale does not allow', {
      method: 'PUT',
      url: `/api/public/scales/${care.open}/draft`,
      payload: { answers: [7, null, null, null, null, null, null, null, null, null] },
    });
    urls.set('PUT a draft of the wrong length', {
      method: 'PUT',
      url: `/api/public/scales/${care.open}/draft`,
      payload: { answers: [0] },
    });
    urls.set('POST a scale whose bands leave a gap', {
      method: 'POST',
      url: '/api/scales',
      payload: {
        code: 'LANG-1',
        title: { zh: '语言量表', en: 'Language scale' },
        definition: {
          intro: { zh: '请回答', en: 'Please answer' },
          options: [
            { value: 0, label: { zh: '否', en: 'No' } },
            { value: 3, label: { zh: '是', en: 'Yes' } },
          ],
          items: [{ key: 'a', label: { zh: '睡得好吗', en: 'Sleeping well?' }, scored: true }],
          bands: [{ code: 'low', min: 0, max: 1, label: { zh: '低', en: 'Low' } }],
          crisis: [{ kind: 'band', code: 'none' }],
        },
      },
    });
    expect(urls.size).toBeGreaterThan(100);

    const bad: string[] = [];
    const seen: string[] = [];
    for (const [key, r] of urls) {
      const res = await say(r.as ?? admin, lang, r.method, r.url, r.payload);
      expect(res.status, key).toBeLessThan(500);
      for (const { at, text } of peopleTexts(res)) {
        seen.push(text);
        const words = foreignWords(text, lang);
        if (words.length > 0) bad.push(`${key} ${at}: ${JSON.stringify(text)} (${words.join(', ')})`);
      }
    }
    expect(bad).toEqual([]);
    // The texts the issue named are among those checked.
    const expected =
      lang === 'en'
        ? [
            'Sign-for time limit passed',
            'Wrong check character',
            'system',
            'The request is not valid',
            // A mediation case's state, a parameter of the message, in the language asked too.
            'Not possible now: the case’s state is “refused by a party”',
            // A full call-out, and the call-out a volunteer is told of.
            'The call-out is full (1 places)',
            'Your community calls: 敬老院陪伴. Tap to sign up',
            // Psychological care: the village told of an alert, a used link, a closed case, a gap.
            'Urgent: 朱观察’s scale raised a crisis alert; acknowledge it within 30 minutes',
            'This questionnaire has already been sent. Thank you',
            'The case is closed',
            'The alert was acknowledged already',
            'bands that reach the highest total, 3',
          ]
        : [
            '超过签收时限',
            '校验码错误',
            '系统',
            '提交的内容不符合要求',
            '案件当前为“当事人拒绝调解”，不能进行此操作',
            '名额已满（共 1 人）',
            '社区呼叫：敬老院陪伴，点击报名',
            '紧急：朱观察 的心理测评触发危机预警，请在 30 分钟内确认',
            '这份问卷已经提交过了，谢谢您',
            '个案已结案',
            '该预警已被确认',
            '分级须覆盖到最高总分 3',
          ];
    for (const e of expected) expect(seen, e).toContain(e);
    expect(
      seen.some((s) =>
        s.startsWith(lang === 'en' ? 'Event escalated to the village/community level' : '事件升级至村社级'),
      ),
    ).toBe(true);
    expect(seen.length).toBeGreaterThan(200);
  });

  it('the mediation statistics workbook too: its sheet, its columns and the dispute types', async () => {
    const res = await say(admin, lang, 'GET', `/api/mediation/stats/export?node=${tree.district.id}`);
    expect(res.status, String(res.body).slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    const texts = [ws.name, ...(ws.getRow(1).values as unknown[]).filter((v) => typeof v === 'string')];
    ws.getColumn(1).eachCell((c) => {
      if (typeof c.value === 'string') texts.push(c.value);
    });
    expect(ws.name).toBe(lang === 'en' ? 'Mediation statistics' : '调解统计');
    expect(texts).toContain(lang === 'en' ? 'Neighbours' : '邻里纠纷');
    const bad = texts.filter((x) => foreignWords(x, lang).length > 0);
    expect(bad).toEqual([]);
  });

  it('the volunteer hours workbook too: its sheet and its columns', async () => {
    const res = await say(admin, lang, 'GET', '/api/services/hours/rankings.xlsx?period=2026');
    expect(res.status, String(res.body).slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    const texts = [ws.name, ...(ws.getRow(1).values as unknown[]).filter((v) => typeof v === 'string')];
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.some((x) => CJK.test(x))).toBe(lang === 'zh-CN');
    expect(texts.filter((x) => foreignWords(x, lang).length > 0)).toEqual([]);
  });

  it('a micro-court point’s booking clash names the booked hours as people read them', async () => {
    const body = (title: string) => ({
      pointId: mediation.point,
      title,
      startsAt: '2031-01-06T02:00:00Z',
      endsAt: '2031-01-06T03:00:00Z',
      participants: [{ name: '法官', place: 'court' }],
    });
    const first = await say(admin, lang, 'POST', '/api/hearings', body('第一场'));
    expect([201, 409]).toContain(first.status);
    const clash = await say(admin, lang, 'POST', '/api/hearings', body('第二场'));
    expect(clash.status, JSON.stringify(clash.body)).toBe(409);
    const title = (clash.body as { title: string }).title;
    // The hours as the point keeps them (Asia/Shanghai), not the stored instants: an ISO instant
    // ("2031-01-06T02:00:00.000Z") is in neither language and eight hours off the point's clock.
    expect(title).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(title).toContain('10:00');
    expect(foreignWords(title, lang)).toEqual([]);
  });

  it('Open311 discovery and errors too', async () => {
    const discovery = await say(t.anon(), lang, 'GET', '/open311/v2/discovery.json');
    expect(discovery.status).toBe(200);
    expect((discovery.body as { contact: string }).contact).toBe(
      lang === 'en' ? 'Contact the district social governance centre' : '请联系区社会治理中心',
    );
    const missing = await say(t.anon(), lang, 'GET', '/open311/v2/services/nothing.here.json');
    expect(missing.status).toBe(404);
    const [error] = missing.body as { description: string }[];
    expect(foreignWords(error!.description, lang), error!.description).toEqual([]);
  });
});

describe('rows written before codes were stored', () => {
  it('read in the language asked: the system’s two-language sentences in histories as their codes, notifications by their two texts', async () => {
    const db = t.database.db;
    const e = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow();
    await db
      .insertInto('event_history')
      .values({
        event_id: eventId,
        at: '2026-10-20T04:00:00.000Z',
        action: 'escalate',
        from_state: e.state,
        to_state: e.state,
        owner_level: e.owner_level,
        node_path: e.node_path,
        actor_user_id: null,
        actor_label: '群众 resident',
        reason: '超过办理 handling时限 办理 handling time limit passed',
        detail: null,
        is_public: 0,
      })
      .execute();
    const cadreId = (
      await db.selectFrom('users').select('id').where('username', '=', 'cadre').executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto('notifications')
      .values({
        user_id: cadreId,
        at: '2026-10-20T04:00:00.000Z',
        kind: 'test',
        text_zh: '旧的通知',
        text_en: 'An old notification',
        message_code: null,
        message_params: null,
        entity_type: null,
        entity_id: null,
        read_at: null,
      })
      .execute();
    for (const [lang, reason, actor, note] of [
      ['en', 'Handling time limit passed', 'resident', 'An old notification'],
      ['zh-CN', '超过办理时限', '群众', '旧的通知'],
    ] as const) {
      const detail = await say(cadre, lang, 'GET', `/api/events/${eventId}`);
      expect((detail.body as EventDetail).history.at(-1)).toMatchObject({ reason, actor });
      const notes = await say(cadre, lang, 'GET', '/api/notifications');
      expect((notes.body as { items: { text: string }[] }).items.map((n) => n.text)).toContain(note);
    }
  });
});
