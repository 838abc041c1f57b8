// Joint services' acceptance line: no answer of any route that a volunteer coordinator or a volunteer
// may call holds an ID number, a resident's phone or a health answer. The routes are not listed by
// hand: every /api route of app.linliRoutes whose access the coordinator's or the volunteer's role
// grants (their permissions, 'authenticated' and 'public') is called as each of them, with every
// path parameter naming a real record placed in their places and the list filters a page would send,
// so a new route is called on its own, and a new kind of path parameter fails here until it names a
// record. On both databases.
//
// What is placed: residents with ID numbers and phones in the coordinator's town and the volunteer's
// grid, on the care roster and served by requests (raised by a grid worker, by a care visit, by an
// observation follow-up that found a need); observation follow-ups with temperatures, symptoms and
// notes; a screening sweep's answers; a mediation case's parties; a hotline event's caller; a notice
// to a household; call-outs, a checkpoint's shift, hours, an invitation; a psychological scale filled
// (an urgent alert) and another's link, whose page anyone holding it may read.
//
// The carer's exception: a volunteer who is a party member may be named carer of someone observed at
// home, and recording and reading that order's daily follow-ups is then their task. The test places
// such an order (the volunteer records its follow-up themselves) and allows its health answers in the
// observation routes' answers only (nowhere else: not in a service request, not in a notification).
// The health answers of orders that do not name them (a temperature, symptoms and a note given by
// the grid worker) must never reach them, nor the coordinator, anywhere: not even through the
// service request that follow-up raised for the resident's need.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../common/roles.js';
import type { DB } from '../db/index.js';
import { makeCommand, makeCast, makeTree, makeUser, type Tree } from './factories.js';
import { buildTestApp, TEST_PASSWORD, type Client, type TestApp, type TestResponse } from './harness.js';
import {
  cellText,
  insertHousehold,
  insertPerson,
  multipart,
  nthIdNumber,
  nthPhone,
  routeKey,
  toCsv,
  userIdOf,
} from './routes.js';
import { pdfText } from './pdf-text.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client;
let coordinator: Client;
let volunteer: Client;

/** Every ID number and phone (national, 11 digits) the test placed: none may be answered whole. */
const secrets: { idNumbers: string[]; phones: string[] } = { idNumbers: [], phones: [] };
/** Health answers of the orders and the sweep that do not name the volunteer: never answered to either. */
const FOREIGN_NOTE = '隐私测试：发热两天伴腹泻';
const FOREIGN_TEMPERATURE = 39.1;
const SWEEP_NOTE = '隐私测试：摸排发现咳嗽';
const SWEEP_TEMPERATURE = 38.4;
/** The volunteer's own order as its carer: answered to them in the observation routes only. */
const OWN_NOTE = '隐私测试：本人随访记录';
const OWN_TEMPERATURE = 36.6;

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

let k = 0;
/** A resident of the grid, with an ID number and a phone, tracked as secrets. */
async function resident(grid = tree.grids[0]!, extra: { tags?: string[]; residenceType?: string } = {}) {
  const n = ++k;
  const r = {
    name: `隐私居民${n}`,
    idNumber: nthIdNumber(n, '330131'),
    phone: nthPhone(n, '137'),
  };
  secrets.idNumbers.push(r.idNumber);
  secrets.phones.push(r.phone);
  const id = await insertPerson(db, grid, { ...r, ...extra });
  return { id, ...r };
}
/** An ID number and a phone for someone registered through a route, tracked as secrets. */
function newIdentity() {
  const n = ++k;
  const idNumber = nthIdNumber(n, '330132');
  const phone = nthPhone(n, '136');
  secrets.idNumbers.push(idNumber);
  secrets.phones.push(phone);
  return { idNumber, phone };
}
async function ok<T>(p: Promise<TestResponse<T>>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/** The records path parameters name, by 'segment:param' as the routes spell them. */
const TARGETS = new Map<string, (number | string)[]>();
/** Residents whose names the callers must meet somewhere (the test is not vacuous). */
let served: { id: number; name: string; idNumber: string; phone: string };
let careName: string;
let ownOrder: number;
let foreignOrder: number;
let followUpRequest: number;
/** A PHQ-9 link sent to an observed resident, not yet opened. */
let scaleToken: string;

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  admin = await t.login('admin');
  const gridworker = await t.login('gridworker');
  const [townA] = tree.towns;
  const [villageA] = tree.villages;
  const [gridA] = tree.grids;

  // The coordinator runs town A's organisation; the volunteer joins it by invitation, living in grid A.
  const coordId = await makeUser(db, 'privcoord', [{ role: 'volunteer_coordinator', node: townA! }]);
  coordinator = await t.login('privcoord');
  const org = await ok(
    admin.post<{ id: number }>('/api/services/orgs', {
      kind: 'ngo',
      name: '隐私测试志愿队',
      nodeId: townA!.id,
      coordinatorUserIds: [coordId],
    }),
    201,
  );
  const invitation = await ok(
    coordinator.post<{ token: string }>('/api/services/invitations', { nodeId: townA!.id, orgId: org.id }),
    201,
  );
  const join = async (username: string, skills: string[]) =>
    ok(
      t.anon().post<{ volunteerId: number }>(`/api/public/join/${invitation.token}`, {
        name: `志愿者${username}`,
        ...newIdentity(),
        nodeId: gridA!.id,
        username,
        password: TEST_PASSWORD,
        consent: true,
        partyMember: true,
        skills,
      }),
      201,
    );
  // Only the volunteer delivers meals: a need for food in grid A is matched to them.
  const me = await join('privvol', ['meal_delivery', 'companionship', 'guard_duty']);
  const other = await join('privvol2', []);
  volunteer = await t.login('privvol');
  const volunteerUser = await userIdOf(db, 'privvol');
  const registered = await ok(
    coordinator.post<{ id: number }>('/api/services/volunteers', {
      nodeId: gridA!.id,
      name: '隐私登记志愿者',
      ...newIdentity(),
      consent: true,
    }),
    201,
  );

  // Service requests for residents of grid A: one the volunteer holds (accepted), one done with a
  // photo, one open for the coordinator to match.
  const r1 = await resident();
  const r2 = await resident();
  const r3 = await resident();
  served = r1;
  const raise = async (personId: number) =>
    (
      await ok(
        gridworker.post<{ id: number }>('/api/service-requests', { personId, kind: 'companionship' }),
        201,
      )
    ).id;
  const held = await raise(r1.id);
  const done = await raise(r2.id);
  const open = await raise(r3.id);
  for (const id of [held, done]) {
    await ok(coordinator.post(`/api/service-requests/${id}/assign`, { volunteerId: me.volunteerId }));
    await ok(volunteer.post(`/api/service-requests/${id}/accept`));
  }
  await ok(
    volunteer.request({
      method: 'POST',
      url: `/api/service-requests/${done}/complete`,
      ...multipart([
        { name: 'note', data: '已陪同' },
        { name: 'minutes', data: '45' },
        { name: 'file', filename: 'p.png', contentType: 'image/png', data: PNG },
      ]),
    }),
  );
  await db
    .updateTable('service_requests')
    .set({ status: 'open', volunteer_id: null })
    .where('id', '=', open)
    .execute();

  // The care roster: a resident living alone, visited by the volunteer (who finds a need).
  const r4 = await resident(gridA, { tags: ['elderly_alone'] });
  careName = r4.name;
  await resident(tree.grids[1], { tags: ['disabled'] });
  await ok(admin.put('/api/care/rules', { rules: [{ tag: 'elderly_alone', everyDays: 7 }] }));
  const roster = await db.selectFrom('care_roster').select(['id', 'person_id']).execute();
  const r4Entry = roster.find((r) => r.person_id === r4.id)!.id;
  await ok(coordinator.post(`/api/care/roster/${r4Entry}/visitor`, { volunteerId: me.volunteerId }));
  await ok(
    volunteer.post(`/api/care/roster/${r4Entry}/visits`, { need: 'shopping', note: '需要代买米面' }),
    201,
  );

  // Home observation: an order the volunteer is not named on, its follow-up by the grid worker with
  // a temperature, symptoms, a note and a need for food (which raises a meals request, matched to the
  // volunteer); and an order naming the volunteer carer, whose follow-up they record themselves.
  const r5 = await resident();
  const r6 = await resident();
  const order = async (personId: number, carers: { userId: number; kind: string }[]) =>
    (
      await ok(
        admin.post<{ id: number }>('/api/observations', {
          personId,
          startDate: today(),
          days: 14,
          reason: '密切接触者',
          carers,
        }),
        201,
      )
    ).id;
  foreignOrder = await order(r5.id, []);
  ownOrder = await order(r6.id, [{ userId: volunteerUser, kind: 'party_member' }]);
  await ok(
    gridworker.put(`/api/observations/${foreignOrder}/follow-ups/${today()}`, {
      outcome: 'unwell',
      temperature: FOREIGN_TEMPERATURE,
      symptoms: ['short_breath', 'diarrhoea'],
      needs: ['food'],
      note: FOREIGN_NOTE,
    }),
  );
  followUpRequest = (
    await db
      .selectFrom('service_requests')
      .select('id')
      .where('person_id', '=', r5.id)
      .where('source', '=', 'follow_up')
      .executeTakeFirstOrThrow()
  ).id;
  await ok(
    volunteer.put(`/api/observations/${ownOrder}/follow-ups/${today()}`, {
      outcome: 'well',
      temperature: OWN_TEMPERATURE,
      note: OWN_NOTE,
    }),
  );

  // Psychological care: the grid worker sent PHQ-9 to the resident observed without the volunteer,
  // who filled it with item 9 at 1 (an urgent alert for village A: the answers are health data, the
  // alert is for counsellors and the village's managers); a second link waits, its page the sweep
  // reads as anyone holding the link would (the person's name masked, nothing else of them).
  const scaleLink = async () =>
    (await ok(gridworker.post<{ token: string }>('/api/scales/PHQ-9/links', { personId: r5.id }), 201)).token;
  await ok(
    t.anon().post(`/api/public/scales/${await scaleLink()}`, { answers: [0, 0, 0, 0, 0, 0, 0, 0, 1, null] }),
  );
  scaleToken = await scaleLink();

  // A screening sweep over village A's floating residents, one answered with a temperature and a cough.
  const floating = await resident(gridA, { residenceType: 'floating' });
  const q = await db
    .selectFrom('questionnaires')
    .select('id')
    .where('code', '=', 'epidemic_screening')
    .executeTakeFirstOrThrow();
  const sweep = await ok(
    admin.post<{ id: number }>('/api/sweeps', {
      name: '隐私测试摸排',
      commandId: await makeCommand(db, tree.district, new Date().toISOString()),
      questionnaireId: q.id,
      nodeId: villageA!.id,
      population: { kind: 'floating' },
      deadline: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
    }),
    201,
  );
  const list = await ok(
    gridworker.get<{ households: { targets: { id: number; person: { id: number } }[] }[] }>(
      `/api/sweeps/${sweep.id}/list?node=${gridA!.id}`,
    ),
  );
  const target = list.households.flatMap((h) => h.targets).find((x) => x.person.id === floating.id)!;
  await ok(
    gridworker.post(`/api/sweeps/${sweep.id}/targets/${target.id}/visit`, {
      outcome: 'answered',
      answers: {
        returned_key_area: false,
        close_contact: false,
        temperature: SWEEP_TEMPERATURE,
        symptoms: ['cough'],
      },
      note: SWEEP_NOTE,
    }),
  );

  // A mediation case at village A with its parties' ID numbers and phones, and a party's own link.
  await ok(
    admin.post('/api/mediation/orgs', { kind: 'committee', name: '隐私调委会', nodeId: tree.district.id }),
    201,
  );
  const [a, b] = [newIdentity(), newIdentity()];
  const mediationCase = await ok(
    admin.post<{ id: number; parties: { id: number }[] }>('/api/mediation/cases', {
      nodeId: villageA!.id,
      source: 'initiative',
      disputeType: 'neighbour',
      facts: '隐私纠纷',
      claims: '请求调解',
      parties: [
        { side: 'applicant', name: '隐私甲', ...a },
        { side: 'respondent', name: '隐私乙', ...b },
      ],
    }),
    201,
  );
  const links = await ok(
    admin.post<{ items: { token: string }[] }>(`/api/mediation/cases/${mediationCase.id}/party-links`),
  );

  // A hotline event in grid A and a resident's own report, each with the caller's phone.
  const category = await db
    .selectFrom('event_categories')
    .select('id')
    .where('code', '=', 'environment.garbage')
    .executeTakeFirstOrThrow();
  const callerPhone = newIdentity().phone;
  const event = await ok(
    admin.post<{ event: { id: number } }>('/api/events', {
      categoryId: category.id,
      title: '隐私事件',
      description: '隐私',
      channel: 'hotline',
      nodeId: gridA!.id,
      reporterName: '来电群众',
      reporterPhone: callerPhone,
    }),
    201,
  );
  const publicEvent = await ok(
    t.anon().post<{ trackingCode: string }>('/api/public/events', {
      categoryId: category.id,
      description: '群众上报',
      nodeId: gridA!.id,
      name: '上报人',
      phone: newIdentity().phone,
    }),
    201,
  );

  // A notice to a household of grid A.
  await insertHousehold(db, gridA!, '隐私路1号');
  const notice = await ok(
    admin.post<{ id: number }>('/api/notices', { nodeId: gridA!.id, title: '隐私告知', body: '请配合' }),
    201,
  );

  // Call-outs: one the volunteer served (hours credited), one from a checkpoint's shift they signed up for.
  const now = await ok(
    coordinator.post<{ id: number }>('/api/callouts', {
      nodeId: villageA!.id,
      title: '隐私测试召集',
      meetingPoint: '村委会',
      startsAt: inMinutes(-5),
      endsAt: inMinutes(120),
      capacity: 3,
    }),
    201,
  );
  await ok(volunteer.post(`/api/callouts/${now.id}/signups`), 201);
  await ok(volunteer.post(`/api/callouts/${now.id}/check-in`, {}));
  await ok(volunteer.post(`/api/callouts/${now.id}/check-out`, {}));
  const cp = await ok(
    admin.post<{ id: number }>('/api/checkpoints', {
      name: '隐私卡口',
      type: 'village_entrance',
      nodeId: villageA!.id,
      staffPerShift: 2,
    }),
    201,
  );
  await ok(admin.put(`/api/checkpoints/${cp.id}/pattern`, { pattern: { kind: 'three_by_eight' } }));
  await ok(admin.post(`/api/checkpoints/${cp.id}/shifts/generate`, { from: '2030-07-01', to: '2030-07-01' }));
  const shift = (
    await db
      .selectFrom('shifts')
      .select('id')
      .where('checkpoint_id', '=', cp.id)
      .orderBy('slot')
      .executeTakeFirstOrThrow()
  ).id;
  const fromShift = await ok(
    coordinator.post<{ id: number }>('/api/callouts/from-shift', { shiftId: shift, capacity: 2 }),
    201,
  );
  await ok(volunteer.post(`/api/callouts/${fromShift.id}/signups`), 201);

  const questionnaire = q.id;
  const none = 999_999;
  for (const [key, values] of Object.entries({
    'nodes:id': [townA!.id, gridA!.id],
    'users:id': [volunteerUser, coordId, await userIdOf(db, 'gridworker')],
    'events:id': [event.event.id],
    'events:code': [publicEvent.trackingCode],
    // No photo is placed: an event photo is a picture, it holds no text.
    'photos:photoId': [none],
    'notices:id': [notice.id],
    'shifts:id': [shift],
    // Revoking a key that does not exist: the route answers a problem, nothing of anyone.
    'api-keys:id': [none],
    'volunteers:id': [me.volunteerId, other.volunteerId, registered.id],
    'join:token': [invitation.token],
    'callouts:id': [now.id, fromShift.id],
    'service-requests:id': [held, done, open, followUpRequest],
    'roster:id': [r4Entry, ...roster.filter((r) => r.id !== r4Entry).map((r) => r.id)],
    'observations:id': [foreignOrder, ownOrder],
    'follow-ups:date': [today()],
    'questionnaires:id': [questionnaire],
    'sweeps:id': [sweep.id],
    'cases:id': [mediationCase.id],
    // Evidence, agreements, hearings, mediators' profiles and signing links are the mediation suites':
    // the case and its party's own link carry the parties' identities here.
    'evidence:evidenceId': [none],
    'agreements:id': [none],
    'hearings:id': [none],
    'mediators:id': [none],
    'party:token': [links.items[0]!.token],
    'sign:token': ['A'.repeat(43)],
    // A scale's questions by its code; the person's page by the link they were sent.
    'scales:code': ['PHQ-9'],
    'scales:token': [scaleToken],
  }))
    TARGETS.set(key, values);
}, 120_000);
afterAll(() => t.close());

// ---------------------------------------------------------------------------------------------

const grantsOf = (code: string) =>
  BUILTIN_ROLES.find((r) => r.code === code)!.permissions as readonly string[];
/** The routes a role's holder may call: its permissions, every signed-in caller's and the public ones. */
function callable(code: string) {
  const grants = new Set([...grantsOf(code), 'authenticated', 'public']);
  return t.app.linliRoutes.filter(
    (r) =>
      r.url.startsWith('/api') &&
      r.method !== 'HEAD' &&
      !r.url.startsWith('/api/docs') &&
      // The live stream stays open (it carries ids and counters, never records); signing out ends the session.
      r.url !== '/api/stream' &&
      r.url !== '/api/auth/logout' &&
      grants.has(r.access!),
  );
}

/** Every concrete URL for a route: each path parameter in turn over the records placed for it. */
function urlsOf(url: string): string[] {
  let out = [url];
  for (const m of url.matchAll(/\/([^/]+)\/:([A-Za-z]+)/g)) {
    const key = `${m[1]}:${m[2]}`;
    const values = TARGETS.get(key);
    if (!values) throw new Error(`services-privacy: no record placed for :${m[2]} after /${m[1]}/ in ${url}`);
    out = out.flatMap((u) => values.map((v) => u.replace(`/${m[1]}/:${m[2]}`, `/${m[1]}/${v}`)));
  }
  return out;
}
/** The filters a page sends with a list: each list is read plain and with each of them. */
function queries() {
  const year = today().slice(0, 4);
  return [
    '',
    '?pageSize=200',
    `?node=${tree.towns[0]!.id}&pageSize=200`,
    `?node=${tree.grids[0]!.id}`,
    '?mine=1',
    '?near=1',
    '?overdue=1',
    '?escalated=1',
    `?period=${year}`,
    `?period=${today().slice(0, 7)}&by=org`,
  ];
}

/** Bodies for the writes the two may make, so that they get past validation to a real answer. */
function bodyFor(key: string): { payload?: unknown; multipart?: ReturnType<typeof multipart> } {
  switch (key) {
    case 'POST /api/services/volunteers':
      return {
        payload: { nodeId: tree.grids[0]!.id, name: '隐私新志愿者', ...newIdentity(), consent: true },
      };
    case 'POST /api/services/volunteers/import': {
      const id = newIdentity();
      return {
        multipart: multipart([
          { name: 'nodeId', data: String(tree.towns[0]!.id) },
          {
            name: 'file',
            filename: 'v.csv',
            contentType: 'text/csv',
            data: toCsv([
              ['姓名', '身份证号', '手机号', '居住地编码'],
              ['隐私导入', id.idNumber, id.phone, tree.grids[0]!.fullCode],
            ]),
          },
        ]),
      };
    }
    case 'PATCH /api/services/volunteers/:id':
      return { payload: { skills: ['shopping', 'meal_delivery'] } };
    case 'POST /api/services/orgs':
      return { payload: { kind: 'ngo', name: '隐私新队', nodeId: tree.towns[0]!.id } };
    case 'POST /api/services/invitations':
      return { payload: { nodeId: tree.towns[0]!.id } };
    case 'POST /api/public/join/:token':
      return {
        payload: {
          name: '隐私加入',
          ...newIdentity(),
          nodeId: tree.grids[0]!.id,
          username: `privjoin${++k}`,
          password: TEST_PASSWORD,
          consent: true,
        },
      };
    case 'POST /api/callouts':
      return {
        payload: {
          nodeId: tree.villages[0]!.id,
          title: '隐私新召集',
          meetingPoint: '广场',
          startsAt: inMinutes(60 * 24),
          endsAt: inMinutes(60 * 25),
          capacity: 2,
        },
      };
    case 'POST /api/callouts/:id/cancel':
    case 'POST /api/service-requests/:id/cancel':
      return { payload: { reason: '隐私测试' } };
    case 'POST /api/service-requests':
      return { payload: { personId: served.id, kind: 'shopping' } };
    case 'POST /api/public/service-requests':
      return {
        payload: { nodeId: tree.grids[0]!.id, name: served.name, idNumber: served.idNumber, kind: 'meals' },
      };
    case 'POST /api/service-requests/:id/assign':
      return { payload: { volunteerId: TARGETS.get('volunteers:id')![0] as number } };
    case 'POST /api/service-requests/:id/satisfaction':
      return { payload: { score: 5 } };
    case 'POST /api/service-requests/:id/complete':
      return {
        multipart: multipart([
          { name: 'note', data: '已完成' },
          { name: 'minutes', data: '20' },
          { name: 'file', filename: 'p.png', contentType: 'image/png', data: PNG },
        ]),
      };
    case 'POST /api/care/roster/:id/visitor':
      return { payload: { volunteerId: TARGETS.get('volunteers:id')![0] } };
    case 'POST /api/care/roster/:id/visits':
      return { payload: { note: '探访正常' } };
    case 'PUT /api/observations/:id/follow-ups/:date':
      return { payload: { outcome: 'well', temperature: OWN_TEMPERATURE, note: OWN_NOTE } };
    case 'POST /api/observations/:id/steps':
      return { payload: { action: 'release' } };
    default:
      return { payload: {} };
  }
}

// ---------------------------------------------------------------------------------------------
// What an answer says, as text: JSON and text as sent, a PDF's text, a workbook's cells.

async function textOf(res: TestResponse<unknown>): Promise<string> {
  const type = String(res.headers['content-type'] ?? '');
  const raw = res.raw.rawPayload;
  if (type.includes('application/pdf')) return pdfText(raw);
  if (type.includes('spreadsheetml')) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(raw as unknown as ExcelJS.Buffer);
    const cells: string[] = [];
    for (const ws of wb.worksheets) ws.eachRow((r) => r.eachCell((c) => cells.push(cellText(c.value))));
    return cells.join('\n');
  }
  // A picture carries no text (the complete route strips a camera's metadata).
  if (type.startsWith('image/')) return '';
  return raw.toString('utf8');
}

/** Health answers in a JSON answer, found by their fields: a temperature read, symptoms, screening answers. */
function healthFields(v: unknown, at = ''): { at: string; value: unknown }[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => healthFields(x, `${at}.${i}`));
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v as Record<string, unknown>).flatMap(([key, x]) => {
    const here = `${at}.${key}`;
    if (key === 'temperature' && typeof x === 'number') return [{ at: here, value: x }];
    if (key === 'symptoms' && Array.isArray(x) && x.length > 0) return [{ at: here, value: x }];
    if (key === 'answers' && typeof x === 'object' && x !== null && Object.keys(x).length > 0)
      return [{ at: here, value: x }];
    // A scale's answers kept so far on its page, and the answers that raised an alert.
    if ((key === 'draft' || key === 'triggers') && Array.isArray(x) && x.length > 0)
      return [{ at: here, value: x }];
    return healthFields(x, here);
  });
}
const number = (n: number) => new RegExp(`(?<![\\d.])${String(n).replace('.', '\\.')}(?!\\d)`);

interface Sent {
  key: string;
  url: string;
  status: number;
  text: string;
}
/** What is wrong with one answer, for the caller named. */
function leaks(s: Sent, caller: 'coordinator' | 'volunteer'): string[] {
  const out: string[] = [];
  const upper = s.text.toUpperCase();
  for (const id of secrets.idNumbers) if (upper.includes(id.toUpperCase())) out.push(`ID number ${id}`);
  for (const p of secrets.phones) if (s.text.includes(p)) out.push(`phone ${p}`);
  for (const marker of [FOREIGN_NOTE, SWEEP_NOTE])
    if (s.text.includes(marker)) out.push(`health note ${marker}`);
  for (const n of [FOREIGN_TEMPERATURE, SWEEP_TEMPERATURE])
    if (number(n).test(s.text)) out.push(`temperature ${n}`);
  // The volunteer's own order as its carer: its answers in the observation routes, to them, only.
  const ownPlace = caller === 'volunteer' && s.url.startsWith('/api/observations');
  if (!ownPlace) {
    if (s.text.includes(OWN_NOTE)) out.push('the carer’s follow-up note outside the observation routes');
    if (number(OWN_TEMPERATURE).test(s.text))
      out.push('the carer’s temperature outside the observation routes');
  }
  let body: unknown = null;
  // The API's own description names the fields (an `answers` schema), it holds nobody's answers.
  if (s.key !== 'GET /api/openapi.json')
    try {
      body = JSON.parse(s.text);
    } catch {
      /* not JSON: the text checks above are all */
    }
  for (const f of healthFields(body)) {
    const own = ownPlace && f.at.endsWith('.temperature') && f.value === OWN_TEMPERATURE;
    if (!own) out.push(`health answer at ${f.at}: ${JSON.stringify(f.value)}`);
  }
  return out.map((o) => `${caller} ${s.key} ${s.url} → ${s.status}: ${o}`);
}

async function sweep(caller: 'coordinator' | 'volunteer', c: Client, code: string) {
  const sent: Sent[] = [];
  const routes = callable(code);
  const send = async (key: string, method: string, url: string) => {
    const b = method === 'GET' || method === 'DELETE' ? {} : bodyFor(key);
    const res = await c.request({
      method,
      url,
      ...(b.multipart ?? (b.payload !== undefined ? { payload: b.payload as Record<string, unknown> } : {})),
    });
    expect(
      res.status,
      `${caller} ${method} ${url}: ${String(res.raw.rawPayload).slice(0, 300)}`,
    ).toBeLessThan(500);
    sent.push({ key, url, status: res.status, text: await textOf(res) });
  };
  // Reads first, every filter; then the writes, which may change what was placed.
  for (const r of routes.filter((x) => x.method === 'GET'))
    for (const url of urlsOf(r.url)) for (const q of queries()) await send(routeKey(r), r.method, url + q);
  for (const r of routes.filter((x) => x.method !== 'GET'))
    for (const url of urlsOf(r.url)) await send(routeKey(r), r.method, url);
  return { sent, routes };
}

describe(`no answer to a coordinator or a volunteer holds an ID number, a resident’s phone or a health answer (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  // The volunteer first: the coordinator's writes cancel and re-match the requests the volunteer's
  // reads must find as placed (the held task with its masked phone).
  it.each([
    ['volunteer', 'volunteer'],
    ['coordinator', 'volunteer_coordinator'],
  ] as const)(
    'every route the %s may call, on every record placed',
    { timeout: 300_000 },
    async (caller, code) => {
      const c = caller === 'coordinator' ? coordinator : volunteer;
      const { sent, routes } = await sweep(caller, c, code);
      const bad = sent.flatMap((s) => leaks(s, caller));
      expect(bad).toEqual([]);

      // Not vacuous: the routes are the role's, the records were reached, the residents met as tasks name them.
      expect(routes.length).toBeGreaterThan(60);
      const okAnswers = sent.filter((s) => s.status < 300);
      expect(okAnswers.length).toBeGreaterThan(caller === 'coordinator' ? 80 : 60);
      const seen = (key: string, pred: (s: Sent) => boolean) =>
        expect(sent.filter((s) => s.key === key && s.status < 300).some(pred), key).toBe(true);
      // A scale link's page, as anyone holding the link reads it: the questions, and not the person.
      seen('GET /api/public/scales/:token', (s) => s.text.includes('PHQ-9'));
      if (caller === 'coordinator') {
        seen('GET /api/service-requests', (s) => s.text.includes(served.name));
        seen('GET /api/care/roster', (s) => s.text.includes(careName));
        seen('GET /api/service-requests/:id', (s) =>
          s.url.startsWith(`/api/service-requests/${followUpRequest}`),
        );
        // The registry stays closed to them.
        expect(routes.map(routeKey)).not.toContain('GET /api/people');
      } else {
        seen('GET /api/service-requests', (s) => s.url.includes('mine=1') && s.text.includes(served.name));
        // The task they hold shows the resident's phone masked, never whole.
        seen('GET /api/service-requests/:id', (s) =>
          s.text.includes(`${served.phone.slice(0, 3)}****${served.phone.slice(7)}`),
        );
        seen('GET /api/service-requests/:id', (s) =>
          s.url.startsWith(`/api/service-requests/${followUpRequest}`),
        );
        seen('GET /api/care/roster', (s) => s.url.includes('mine=1') && s.text.includes(careName));
        // Their own order as carer is read, with what they recorded; the other order is refused.
        seen(
          'GET /api/observations/:id',
          (s) => s.url === `/api/observations/${ownOrder}` && s.text.includes(OWN_NOTE),
        );
        expect(
          sent
            .filter((s) => s.url.startsWith(`/api/observations/${foreignOrder}`) && s.status < 300)
            .map((s) => s.url),
        ).toEqual([]);
      }
    },
  );
});
