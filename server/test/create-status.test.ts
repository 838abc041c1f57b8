// A create answers 201 (docs/CONVENTIONS.md). Every POST route of the app is named here either as a
// create, called with a valid body and expected to answer 201, or as an action on something that
// exists (a step, a session, a report), so a new POST route fails this suite until it is placed.
// Independent of the route matrix; on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../db/index.js';
import { officePackage } from './files.js';
import { makeCast, makeCommand, makeTree, makeUser, type Tree } from './factories.js';
import { buildTestApp, type Client, type TestApp, type TestResponse } from './harness.js';
import {
  insertHousehold,
  insertPerson,
  makeIdNumber,
  multipart,
  nthIdNumber,
  roleIdOf,
  userIdOf,
} from './routes.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client, towncmd: Client, gridworker: Client;
const clockMs = Date.parse('2026-04-01T02:00:00.000Z');
const inHours = (h: number) => new Date(clockMs + h * 3_600_000).toISOString();
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => new Date(clockMs).toISOString() });
  db = t.database.db;
  tree = await makeTree(db);
  // One square per grid, so that a point lies in exactly one.
  for (const [i, g] of tree.grids.entries()) {
    const [x, y] = [119.7 + i * 0.01, 30.2];
    const square = [
      [x, y],
      [x + 0.01, y],
      [x + 0.01, y + 0.01],
      [x, y + 0.01],
      [x, y],
    ];
    await db
      .updateTable('nodes')
      .set({ polygon: JSON.stringify({ type: 'Polygon', coordinates: [square] }) })
      .where('id', '=', g.id)
      .execute();
  }
  await makeCast(db, tree);
  await makeUser(db, 'handler', [{ role: 'department_handler', node: tree.towns[0]! }]);
  admin = await t.login('admin');
  towncmd = await t.login('towncmd');
  gridworker = await t.login('gridworker');
});
afterAll(async () => t.close());

const categoryId = async (code: string) =>
  (await db.selectFrom('event_categories').select('id').where('code', '=', code).executeTakeFirstOrThrow())
    .id;
const upload = (c: Client, url: string, data: Buffer, filename: string) =>
  c.request({ method: 'POST', url, ...multipart([{ name: 'file', filename, data }]) });
const directive = (title: string) => ({
  issuerNodeId: tree.district.id,
  title,
  body: '各镇街立即部署',
  targets: { kind: 'nodes', nodeIds: [tree.towns[0]!.id] },
  signDueAt: inHours(2),
  reportDueAt: inHours(24),
});

let sweepMade: Promise<{ id: number; res: TestResponse<{ id: number }> }> | undefined;
/** A sweep over village A's floating residents under a command at the district, made once. */
function screeningSweep() {
  return (sweepMade ??= (async () => {
    await insertPerson(db, tree.grids[0]!, { name: '流动人口', residenceType: 'floating' });
    const commandId = await makeCommand(db, tree.district, new Date(clockMs).toISOString());
    const q = await db
      .selectFrom('questionnaires')
      .select('id')
      .where('code', '=', 'epidemic_screening')
      .executeTakeFirstOrThrow();
    const res = await towncmd.post<{ id: number }>('/api/sweeps', {
      name: '流动人口摸排',
      commandId,
      questionnaireId: q.id,
      nodeId: tree.villages[0]!.id,
      population: { kind: 'floating' },
      deadline: '2026-04-10',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id, res };
  })());
}

interface MediationCase {
  id: number;
  parties: { id: number }[];
  sessions: { id: number }[];
  agreement: { id: number } | null;
}
let mediationMade:
  Promise<{ committee: number; court: number; point: number; mediatorId: number }> | undefined;
/** A committee, a court and a micro-court point at the district, and a mediator of the committee, made once. */
function mediation() {
  return (mediationMade ??= (async () => {
    const org = async (kind: string, name: string) => {
      const res = await admin.post<{ id: number }>('/api/mediation/orgs', {
        kind,
        name,
        nodeId: tree.district.id,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    };
    const committee = await org('committee', '测试区人民调解委员会');
    const court = await org('court', '测试区人民法院');
    const point = await org('micro_court', '镇1村1微法庭');
    const userId = await makeUser(db, 'mediator', [{ role: 'mediator', node: tree.district }]);
    const m = await admin.post<{ id: number }>('/api/mediation/mediators', { userId, orgId: committee });
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    return { committee, court, point, mediatorId: m.body.id };
  })());
}
let partySeq = 0;
/** A dispute received at village A by its cadre and taken as far as asked: every party willing, a mediator, an agreement, every signature. */
async function mediationCase(stage: 'received' | 'mediating' | 'agreed'): Promise<MediationCase> {
  const { mediatorId } = await mediation();
  const cadre = await t.login('cadre');
  const made = await cadre.post<MediationCase>('/api/mediation/cases', {
    nodeId: tree.villages[0]!.id,
    source: 'application',
    disputeType: 'neighbour',
    facts: '邻居装修噪音',
    claims: '请求停止夜间施工',
    parties: [
      { side: 'applicant', name: '赵一', idNumber: nthIdNumber(++partySeq, '330183') },
      { side: 'respondent', name: '钱二', idNumber: nthIdNumber(++partySeq, '330183') },
    ],
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const c = made.body;
  if (stage === 'received') return c;
  const step = async (url: string, body?: unknown, as: Client = admin) => {
    const res = await as.post<MediationCase>(url, body);
    expect(res.status, `${url} ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  for (const p of c.parties)
    await step(`/api/mediation/cases/${c.id}/consent`, { partyId: p.id, consent: 'yes' });
  const assigned = await step(`/api/mediation/cases/${c.id}/assign`, { mediatorId });
  if (stage === 'mediating') return assigned;
  const drafted = await admin.post<{ id: number }>(`/api/mediation/cases/${c.id}/agreement`, {
    facts: '双方确认噪音属实',
    disputedPoints: '施工时间',
    obligations: [
      { partyId: c.parties[1]!.id, what: '夜间停止施工', manner: '自行履行', deadline: '2026-04-10' },
    ],
  });
  expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
  // The draft answers the agreement (a create answers the new record).
  const agreement = drafted.body.id;
  for (const p of c.parties)
    await step(`/api/mediation/agreements/${agreement}/assisted-sign`, { partyId: p.id, idChecked: true });
  await step(`/api/mediation/agreements/${agreement}/sign`, undefined, await t.login('mediator'));
  return (await admin.get<MediationCase>(`/api/mediation/cases/${c.id}`)).body;
}

/** Each create with a body that succeeds: the answer's status is the point. */
const CREATES: Record<string, () => Promise<TestResponse>> = {
  'POST /api/auth/api-keys': () => admin.post('/api/auth/api-keys', { name: 'ops' }),
  'POST /api/users': async () =>
    admin.post('/api/users', {
      username: 'created.one',
      displayName: '新用户',
      password: 'a-long-enough-password',
      assignments: [{ roleId: await roleIdOf(db, 'grid_worker'), nodeId: tree.grids[1]!.id }],
    }),
  'POST /api/users/:id/assignments': async () =>
    admin.post(`/api/users/${await userIdOf(db, 'gridworker')}/assignments`, {
      roleId: await roleIdOf(db, 'volunteer'),
      nodeId: tree.grids[0]!.id,
    }),
  'POST /api/roles': () =>
    admin.post('/api/roles', {
      code: 'night_patrol',
      nameZh: '夜巡',
      nameEn: 'Night patrol',
      permissions: [],
    }),
  'POST /api/nodes': () =>
    admin.post('/api/nodes', { parentId: tree.villages[0]!.id, code: '009', name: '新网格' }),
  'POST /api/people': () =>
    admin.post('/api/people', {
      name: '新登记',
      noIdReason: 'child',
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    }),
  'POST /api/tags': () =>
    admin.post('/api/tags', { code: 'night_watch', nameZh: '夜巡', nameEn: 'Night watch' }),
  'POST /api/open311-keys': () => admin.post('/api/open311-keys', { name: 'city hotline' }),
  'POST /api/event-photos': () => upload(gridworker, '/api/event-photos', PNG, 'photo.png'),
  'POST /api/public/event-photos': () => upload(t.anon(), '/api/public/event-photos', PNG, 'photo.png'),
  'POST /api/events': async () =>
    gridworker.post('/api/events', {
      categoryId: await categoryId('environment.garbage'),
      title: '河边垃圾',
      description: '河边堆了很多垃圾',
      lng: 119.705,
      lat: 30.205,
    }),
  'POST /api/public/events': async () =>
    t.anon().post('/api/public/events', {
      categoryId: await categoryId('environment.garbage'),
      description: '路口垃圾无人清理',
      nodeId: tree.grids[0]!.id,
      name: '王先生',
      phone: '13812345678',
    }),
  'POST /api/event-categories': () =>
    admin.post('/api/event-categories', {
      parentId: null,
      code: 'night_noise',
      nameZh: '夜间噪音',
      nameEn: 'Night noise',
    }),
  'POST /api/departments': () =>
    towncmd.post('/api/departments', { nodeId: tree.towns[0]!.id, kind: 'urban', name: '城管中队' }),
  'POST /api/departments/:id/members': async () => {
    const d = await towncmd.post<{ id: number }>('/api/departments', {
      nodeId: tree.towns[0]!.id,
      kind: 'urban',
      name: '城管二中队',
    });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    return towncmd.post(`/api/departments/${d.body.id}/members`, { userId: await userIdOf(db, 'handler') });
  },
  'POST /api/commands': () =>
    admin.post('/api/commands', { name: '防汛指挥部', responseLevel: 'III', nodeId: tree.district.id }),
  'POST /api/directives': () => admin.post('/api/directives', directive('全区排查')),
  'POST /api/directives/:id/relay': async () => {
    const d = await admin.post<{ id: number }>('/api/directives', directive('转发排查'));
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    return towncmd.post(`/api/directives/${d.body.id}/relay`, {
      nodeId: tree.towns[0]!.id,
      instructions: '各村立即落实',
      targets: { kind: 'nodes', nodeIds: [tree.villages[0]!.id] },
      signDueAt: inHours(1),
      reportDueAt: inHours(20),
    });
  },
  'POST /api/directive-files': () =>
    upload(admin, '/api/directive-files', officePackage('docx'), '方案.docx'),
  'POST /api/notices': async () => {
    await insertHousehold(db, tree.grids[0]!);
    return admin.post('/api/notices', {
      nodeId: tree.district.id,
      title: '防汛告知书',
      body: '请做好防汛准备',
    });
  },
  'POST /api/report-templates': () =>
    admin.post('/api/report-templates', {
      title: '每日排查',
      nodeId: tree.district.id,
      targetLevel: 'grid',
      dueTime: '17:00',
      startDay: '2026-04-01',
      fields: [{ code: 'n', labelZh: '人数', labelEn: 'People', type: 'integer', aggregation: 'sum' }],
    }),
  'POST /api/checkpoints': () =>
    towncmd.post('/api/checkpoints', {
      name: '村口卡点',
      type: 'village_entrance',
      nodeId: tree.villages[0]!.id,
      staffPerShift: 2,
    }),
  'POST /api/shifts/:id/assignments': async () => {
    const cp = await towncmd.post<{ id: number }>('/api/checkpoints', {
      name: '路口卡点',
      type: 'road',
      nodeId: tree.villages[0]!.id,
      staffPerShift: 2,
    });
    expect(cp.status, JSON.stringify(cp.body)).toBe(201);
    const pattern = { kind: 'two_by_twelve' };
    expect((await towncmd.put(`/api/checkpoints/${cp.body.id}/pattern`, { pattern })).status).toBe(200);
    const gen = await towncmd.post(`/api/checkpoints/${cp.body.id}/shifts/generate`, {
      from: '2026-04-02',
      to: '2026-04-02',
    });
    expect(gen.status, JSON.stringify(gen.body)).toBe(200);
    const shift = await db
      .selectFrom('shifts')
      .select('id')
      .where('checkpoint_id', '=', cp.body.id)
      .executeTakeFirstOrThrow();
    return towncmd.post(`/api/shifts/${shift.id}/assignments`, {
      userId: await userIdOf(db, 'gridworker'),
      role: 'grid_worker',
    });
  },
  // A passage at a checkpoint, sent with its Idempotency-Key (a retry answers 201 with the same one).
  'POST /api/passages': async () => {
    const cp = await towncmd.post<{ id: number }>('/api/checkpoints', {
      name: '登记卡点',
      type: 'road',
      nodeId: tree.villages[0]!.id,
      staffPerShift: 1,
    });
    expect(cp.status, JSON.stringify(cp.body)).toBe(201);
    const cadre = await t.login('cadre');
    return cadre.request({
      method: 'POST',
      url: '/api/passages',
      headers: { 'idempotency-key': 'create-status-passage' },
      payload: { checkpointId: cp.body.id, direction: 'in', plate: '浙A12345', people: [{ name: '张三' }] },
    });
  },
  // A home observation ordered by the grid worker for a person of the grid.
  'POST /api/observations': async () => {
    const person = await gridworker.post<{ id: number }>('/api/people', {
      name: '观察对象',
      noIdReason: 'not_collected',
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    return gridworker.post('/api/observations', {
      personId: person.body.id,
      startDate: '2026-04-01',
      days: 14,
      reason: '密切接触者',
    });
  },
  // A swap request: the grid worker asks to open up their place on a shift not yet started.
  'POST /api/shifts/:id/swaps': async () => {
    const cp = await towncmd.post<{ id: number }>('/api/checkpoints', {
      name: '换班卡点',
      type: 'road',
      nodeId: tree.villages[0]!.id,
      staffPerShift: 1,
    });
    expect(cp.status, JSON.stringify(cp.body)).toBe(201);
    const pattern = { kind: 'two_by_twelve' };
    expect((await towncmd.put(`/api/checkpoints/${cp.body.id}/pattern`, { pattern })).status).toBe(200);
    const gen = await towncmd.post(`/api/checkpoints/${cp.body.id}/shifts/generate`, {
      from: '2030-04-02',
      to: '2030-04-02',
    });
    expect(gen.status, JSON.stringify(gen.body)).toBe(200);
    const shift = await db
      .selectFrom('shifts')
      .select('id')
      .where('checkpoint_id', '=', cp.body.id)
      .orderBy('slot')
      .executeTakeFirstOrThrow();
    const assigned = await towncmd.post(`/api/shifts/${shift.id}/assignments`, {
      userId: await userIdOf(db, 'gridworker'),
      role: 'grid_worker',
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    return gridworker.post(`/api/shifts/${shift.id}/swaps`, { toUserId: null, reason: '临时有事' });
  },
  // A questionnaire published at the district, a sweep over a village, someone met on the spot and a
  // seconded cadre paired with a grid (a membership addressed next by its DELETE).
  'POST /api/questionnaires': () =>
    admin.post('/api/questionnaires', {
      code: 'night_check',
      title: { zh: '夜间排查', en: 'Night check' },
      definition: { questions: [{ key: 'home', type: 'yes_no', label: { zh: '在家', en: 'At home' } }] },
    }),
  'POST /api/sweeps': async () => {
    const sweep = await screeningSweep();
    return sweep.res;
  },
  'POST /api/sweeps/:id/found': async () =>
    gridworker.post(`/api/sweeps/${(await screeningSweep()).id}/found`, {
      gridId: tree.grids[0]!.id,
      name: '现场新增',
      idNumber: makeIdNumber('330112', '19900101', 17),
    }),
  'POST /api/sweeps/import': async () => {
    const res = await towncmd.post<{ id: number }>('/api/commands', {
      name: '名单摸排指挥部',
      responseLevel: 'IV',
      nodeId: tree.towns[0]!.id,
    });
    const q = await db.selectFrom('questionnaires').select('id').executeTakeFirstOrThrow();
    const idNumber = makeIdNumber('330112', '19900101', 23);
    await insertPerson(db, tree.grids[0]!, { name: '名单人员', idNumber, residenceType: 'registered' });
    const form = multipart([
      { name: 'name', data: '名单摸排' },
      { name: 'commandId', data: String(res.body.id) },
      { name: 'questionnaireId', data: String(q.id) },
      { name: 'nodeId', data: String(tree.towns[0]!.id) },
      { name: 'deadline', data: '2031-12-31' },
      { name: 'file', filename: 'list.csv', data: Buffer.from(`身份证号\r\n${idNumber}\r\n`) },
    ]);
    return towncmd.request({ method: 'POST', url: '/api/sweeps/import', ...form });
  },
  'POST /api/sweeps/:id/pairings': async () => {
    const helper = await makeUser(db, 'seconded', [{ role: 'seconded_cadre', node: tree.district }]);
    return admin.post(`/api/sweeps/${(await screeningSweep()).id}/pairings`, {
      gridId: tree.grids[0]!.id,
      userId: helper,
    });
  },
  // An anchor is a new signed line in the anchor log.
  'POST /api/audit/anchors': () => admin.post('/api/audit/anchors'),
  // Joint mediation: organisations and mediators, a dispute received, its evidence, sessions and
  // messages, the agreement and its application for confirmation, a hearing booked at a point, a
  // resident's own application and a party's message by their own link.
  'POST /api/mediation/orgs': () =>
    admin.post('/api/mediation/orgs', { kind: 'family_team', name: '山花帮帮团', nodeId: tree.district.id }),
  'POST /api/mediation/mediators': async () => {
    const { committee } = await mediation();
    const userId = await makeUser(db, 'mediator2', [{ role: 'mediator', node: tree.towns[0]! }]);
    return admin.post('/api/mediation/mediators', { userId, orgId: committee, specialties: ['neighbour'] });
  },
  'POST /api/mediation/cases': async () => {
    await mediation();
    return (await t.login('cadre')).post('/api/mediation/cases', {
      nodeId: tree.grids[0]!.id,
      source: 'initiative',
      disputeType: 'land_housing',
      facts: '宅基地边界不清',
      claims: '请求确定边界',
      parties: [
        { side: 'applicant', name: '孙三' },
        { side: 'respondent', name: '李四' },
      ],
    });
  },
  'POST /api/mediation/cases/:id/evidence': async () => {
    const c = await mediationCase('received');
    return admin.request({
      method: 'POST',
      url: `/api/mediation/cases/${c.id}/evidence`,
      ...multipart([{ name: 'file', filename: '现场照片.png', data: PNG, contentType: 'image/png' }]),
    });
  },
  'POST /api/mediation/cases/:id/sessions': async () =>
    admin.post(`/api/mediation/cases/${(await mediationCase('mediating')).id}/sessions`, {
      startsAt: inHours(48),
      mode: 'in_person',
    }),
  'POST /api/mediation/cases/:id/messages': async () =>
    admin.post(`/api/mediation/cases/${(await mediationCase('received')).id}/messages`, {
      body: '请双方于周三到村委会',
      toAll: true,
    }),
  'POST /api/mediation/cases/:id/agreement': async () => {
    const c = await mediationCase('mediating');
    return admin.post(`/api/mediation/cases/${c.id}/agreement`, {
      facts: '双方确认',
      disputedPoints: '赔偿',
      obligations: [
        {
          partyId: c.parties[1]!.id,
          what: '赔偿损失',
          amountYuan: 500,
          manner: '转账',
          deadline: '2026-04-20',
        },
      ],
    });
  },
  'POST /api/mediation/agreements/:id/confirmation': async () => {
    const c = await mediationCase('agreed');
    return admin.post(`/api/mediation/agreements/${c.agreement!.id}/confirmation`, {
      courtId: (await mediation()).court,
      materials: ['application_form', 'agreement', 'identity_documents'],
    });
  },
  'POST /api/hearings': async () =>
    admin.post('/api/hearings', {
      pointId: (await mediation()).point,
      title: '云庭审',
      startsAt: inHours(24),
      endsAt: inHours(26),
      participants: [
        { name: '法官', place: 'court' },
        { name: '赵一', place: 'point' },
      ],
    }),
  'POST /api/public/mediation/applications': async () => {
    await mediation();
    return t.anon().post('/api/public/mediation/applications', {
      nodeId: tree.grids[0]!.id,
      disputeType: 'labour_wages',
      facts: '工资拖欠三个月',
      claims: '请求支付工资',
      applicant: { name: '周五', idNumber: makeIdNumber('330112', '19900101', 31), phone: '13812340031' },
      respondents: [{ kind: 'org', name: '某建筑公司' }],
    });
  },
  'POST /api/public/mediation/party/:token/messages': async () => {
    await mediation();
    const applied = await t.anon().post<{ partyToken: string }>('/api/public/mediation/applications', {
      nodeId: tree.grids[0]!.id,
      disputeType: 'neighbour',
      facts: '楼上漏水',
      claims: '请求维修',
      applicant: { name: '吴六', idNumber: makeIdNumber('330112', '19900101', 37), phone: '13812340037' },
      respondents: [{ name: '郑七' }],
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    return t.anon().post(`/api/public/mediation/party/${applied.body.partyToken}/messages`, {
      body: '我周三下午有空',
    });
  },
  // Joint services: an organisation, volunteers (registered, imported, joining by an invitation), an
  // invitation, call-outs (posted, from a shift) and a place on one, service requests (raised for a
  // resident, asked by the resident), a care visit.
  'POST /api/services/orgs': () =>
    admin.post('/api/services/orgs', { kind: 'ngo', name: '寸草心', nodeId: tree.towns[0]!.id }),
  'POST /api/services/volunteers': () =>
    admin.post('/api/services/volunteers', {
      nodeId: tree.grids[0]!.id,
      name: '志愿者甲',
      idNumber: nthIdNumber(1, '330141'),
      consent: true,
    }),
  'POST /api/services/volunteers/import': () =>
    admin.request({
      method: 'POST',
      url: '/api/services/volunteers/import',
      ...multipart([
        { name: 'nodeId', data: String(tree.towns[0]!.id) },
        {
          name: 'file',
          filename: 'volunteers.csv',
          data: Buffer.from(
            `姓名,身份证号,居住地编码\r\n志愿者乙,${nthIdNumber(2, '330141')},${tree.grids[0]!.fullCode}\r\n`,
          ),
        },
      ]),
    }),
  'POST /api/services/invitations': () =>
    admin.post('/api/services/invitations', { nodeId: tree.towns[0]!.id }),
  'POST /api/public/join/:token': async () => {
    const inv = await admin.post<{ token: string }>('/api/services/invitations', {
      nodeId: tree.towns[0]!.id,
    });
    return t.anon().post(`/api/public/join/${inv.body.token}`, {
      name: '志愿者丙',
      idNumber: nthIdNumber(3, '330141'),
      phone: '13812340041',
      nodeId: tree.grids[0]!.id,
      username: 'joiner',
      password: 'correct-horse-battery',
      consent: true,
    });
  },
  'POST /api/callouts': () => admin.post('/api/callouts', callout('核酸检测秩序维护')),
  'POST /api/callouts/from-shift': async () => {
    const cp = await admin.post<{ id: number }>('/api/checkpoints', {
      name: '服务卡口',
      type: 'village_entrance',
      nodeId: tree.villages[0]!.id,
      staffPerShift: 2,
    });
    expect(cp.status, JSON.stringify(cp.body)).toBe(201);
    await admin.put(`/api/checkpoints/${cp.body.id}/pattern`, { pattern: { kind: 'three_by_eight' } });
    await admin.post(`/api/checkpoints/${cp.body.id}/shifts/generate`, {
      from: '2026-04-05',
      to: '2026-04-05',
    });
    const shift = await db
      .selectFrom('shifts')
      .select('id')
      .where('checkpoint_id', '=', cp.body.id)
      .orderBy('slot')
      .executeTakeFirstOrThrow();
    return admin.post('/api/callouts/from-shift', { shiftId: shift.id });
  },
  'POST /api/callouts/:id/signups': async () => {
    const c = await admin.post<{ id: number }>('/api/callouts', callout('敬老院陪伴'));
    const inv = await admin.post<{ token: string }>('/api/services/invitations', {
      nodeId: tree.towns[0]!.id,
    });
    const joined = await t.anon().post(`/api/public/join/${inv.body.token}`, {
      name: '志愿者丁',
      idNumber: nthIdNumber(4, '330141'),
      phone: '13812340042',
      nodeId: tree.grids[0]!.id,
      username: 'signer',
      password: 'correct-horse-battery',
      consent: true,
    });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    return (await t.login('signer')).post(`/api/callouts/${c.body.id}/signups`);
  },
  'POST /api/service-requests': async () =>
    gridworker.post('/api/service-requests', {
      personId: await insertPerson(db, tree.grids[0]!, { name: '独居老人' }),
      kind: 'meals',
    }),
  'POST /api/public/service-requests': async () => {
    const idNumber = nthIdNumber(5, '330141');
    await insertPerson(db, tree.grids[0]!, { name: '求助居民', idNumber });
    return t.anon().post('/api/public/service-requests', {
      nodeId: tree.grids[0]!.id,
      name: '求助居民',
      idNumber,
      kind: 'shopping',
    });
  },
  'POST /api/care/roster/:id/visits': async () => {
    const personId = await insertPerson(db, tree.grids[0]!, { name: '关爱对象', tags: ['elderly_alone'] });
    expect(
      (await admin.put('/api/care/rules', { rules: [{ tag: 'elderly_alone', everyDays: 7 }] })).status,
    ).toBe(200);
    const entry = await db
      .selectFrom('care_roster')
      .select('id')
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    return gridworker.post(`/api/care/roster/${entry.id}/visits`, { note: '身体尚可' });
  },
  // Psychological care: a scale added as data, a one-time link sent by the grid worker to a person in
  // home observation, a counsellor taking a person onto their caseload and recording a call.
  'POST /api/scales': () =>
    admin.post('/api/scales', {
      code: 'SLEEP-2',
      title: { zh: '睡眠两问', en: 'Two sleep questions' },
      definition: {
        intro: { zh: '过去一周', en: 'Over the last week' },
        options: [
          { value: 0, label: { zh: '否', en: 'No' } },
          { value: 1, label: { zh: '是', en: 'Yes' } },
        ],
        items: [
          { key: 'a', label: { zh: '入睡困难', en: 'Trouble falling asleep' }, scored: true },
          { key: 'b', label: { zh: '早醒', en: 'Waking early' }, scored: true },
        ],
        bands: [
          { code: 'none', min: 0, max: 0, label: { zh: '无', en: 'None' } },
          { code: 'some', min: 1, max: 2, label: { zh: '有', en: 'Some' } },
        ],
        crisis: [],
      },
    }),
  'POST /api/scales/:code/links': async () =>
    gridworker.post('/api/scales/PHQ-9/links', { personId: await observedPerson('测评对象') }),
  'POST /api/care/cases': async () =>
    (await counsellor()).post('/api/care/cases', { personId: await observedPerson('个案对象') }),
  'POST /api/care/cases/:id/contacts': async () => {
    const c = await counsellor();
    const opened = await c.post<{ id: number }>('/api/care/cases', {
      personId: await observedPerson('联系对象'),
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    return c.post(`/api/care/cases/${opened.body.id}/contacts`, { kind: 'call', note: '电话联系，情绪平稳' });
  },
};
let observedSeq = 0;
/** A person of grid A in home observation, ordered by the grid worker: whom a scale may be sent to. */
async function observedPerson(name: string) {
  const personId = await insertPerson(db, tree.grids[0]!, {
    name,
    idNumber: nthIdNumber(++observedSeq, '330142'),
  });
  const ordered = await gridworker.post('/api/observations', {
    personId,
    startDate: '2026-04-01',
    days: 14,
    reason: '密切接触者',
  });
  expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
  return personId;
}
let counsellorMade: Promise<Client> | undefined;
/** A counsellor (山花帮帮团) at the district, signed in once. */
const counsellor = () =>
  (counsellorMade ??= (async () => {
    await makeUser(db, 'counsellor', [{ role: 'counsellor', node: tree.district }]);
    return t.login('counsellor');
  })());
/** A call-out at village A the day after the clock. */
const callout = (title: string) => ({
  nodeId: tree.villages[0]!.id,
  title,
  meetingPoint: '村委会门口',
  startsAt: inHours(24),
  endsAt: inHours(28),
  capacity: 5,
});

/** POST routes that act on something that exists, sign in or out, or answer a report: 200. */
const ACTIONS = new Set([
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/auth/password',
  'POST /api/auth/totp/setup',
  'POST /api/auth/totp/enable',
  'POST /api/auth/totp/disable',
  'POST /api/users/:id/password',
  'POST /api/nodes/import',
  'POST /api/nodes/:id/move',
  'POST /api/nodes/:id/retire',
  'POST /api/people/import',
  'POST /api/people/export',
  'POST /api/people/:id/reveal',
  'POST /api/people/:id/merge',
  'POST /api/events/:id/actions',
  'POST /api/events/:id/reveal-reporter-phone',
  'POST /api/events/sweep',
  'POST /api/events/export',
  'POST /api/public/events/:code/evaluation',
  'POST /api/notifications/read',
  'POST /api/commands/:id/close',
  'POST /api/directives/sweep',
  'POST /api/directives/:id/remind',
  'POST /api/directive-targets/:id/sign',
  'POST /api/directive-targets/:id/report',
  'POST /api/notices/:id/deliveries',
  'POST /api/report-templates/:id/export',
  'POST /api/commands/:id/checkpoints/status',
  'POST /api/checkpoints/:id/shifts/generate',
  'POST /api/shifts/:id/check-in',
  'POST /api/shifts/:id/check-out',
  'POST /api/handoffs/:id/steps',
  'POST /api/observations/:id/steps',
  'POST /api/observations/:id/follow-ups/:date/handled',
  'POST /api/swaps/:id/decision',
  'POST /api/sweeps/:id/close',
  'POST /api/sweeps/:id/targets/:targetId/visit',
  'POST /api/sweeps/:id/export',
  // Joint mediation: steps on a case, an agreement, a confirmation, a hearing or a visit that exist;
  // links made anew for parties who exist; a check of a file against the stored agreements.
  'POST /api/mediation/cases/:id/consent',
  'POST /api/mediation/cases/:id/assign',
  'POST /api/mediation/cases/:id/withdraw',
  'POST /api/mediation/cases/:id/escalate',
  'POST /api/mediation/cases/:id/refer',
  'POST /api/mediation/cases/:id/fail',
  'POST /api/mediation/cases/:id/joint',
  'POST /api/mediation/cases/:id/parties/:partyId/reveal',
  'POST /api/mediation/cases/:id/party-links',
  'POST /api/mediation/cases/:id/sessions/:sessionId/minutes',
  'POST /api/mediation/cases/:id/revise',
  'POST /api/mediation/agreements/:id/links',
  'POST /api/mediation/agreements/:id/sign',
  'POST /api/mediation/agreements/:id/assisted-sign',
  'POST /api/mediation/agreements/verify',
  'POST /api/mediation/confirmations/:id/accept',
  'POST /api/mediation/confirmations/:id/decide',
  'POST /api/hearings/:id/attendance',
  'POST /api/hearings/:id/cancel',
  'POST /api/mediation/follow-ups/:id',
  'POST /api/public/mediation/party/:token/consent',
  'POST /api/public/mediation/sign/:token',
  // Joint services: steps on a call-out, a sign-up, a service request or a roster entry that exist.
  'POST /api/callouts/:id/withdraw',
  'POST /api/callouts/:id/check-in',
  'POST /api/callouts/:id/check-out',
  'POST /api/callouts/:id/close',
  'POST /api/callouts/:id/cancel',
  'POST /api/service-requests/:id/assign',
  'POST /api/service-requests/:id/accept',
  'POST /api/service-requests/:id/decline',
  'POST /api/service-requests/:id/complete',
  'POST /api/service-requests/:id/satisfaction',
  'POST /api/service-requests/:id/cancel',
  'POST /api/care/roster/:id/visitor',
  // Psychological care: submitting a one-time link's answers changes the link (used) and answers its
  // stable contract, the total and band (200), never the response's record, which is health data the
  // person may not read back; acknowledging an alert, referring and closing a case are steps on them.
  'POST /api/public/scales/:token',
  'POST /api/care/alerts/:id/acknowledge',
  'POST /api/care/cases/:id/refer',
  'POST /api/care/cases/:id/close',
]);

describe(`a create answers 201 (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('every POST route is either a create or an action, never both', () => {
    const posts = t.app.linliRoutes
      .filter((r) => r.method === 'POST' && r.url.startsWith('/api/'))
      .map((r) => `${r.method} ${r.url}`);
    expect(posts.length).toBeGreaterThan(40);
    const unplaced = posts.filter((k) => !(k in CREATES) && !ACTIONS.has(k));
    expect(unplaced).toEqual([]);
    expect(Object.keys(CREATES).filter((k) => ACTIONS.has(k))).toEqual([]);
    // Nothing named here that the app does not have.
    expect([...Object.keys(CREATES), ...ACTIONS].filter((k) => !posts.includes(k))).toEqual([]);
  });

  for (const [route, call] of Object.entries(CREATES))
    it(route, async () => {
      const res = await call();
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    });
});
