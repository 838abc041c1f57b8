// Passage registration, risk and hand-offs over HTTP, on both databases: the same passage sent twice
// with one Idempotency-Key registers once (one after the other, and both at the same moment); a
// traveller in the registry is linked, not duplicated; a risky traveller bound for a grid becomes a
// hand-off in that grid worker's tasks, counted on the cockpit, escalated once when overdue; a bad
// plate is a 400 naming `plate`; lists are masked and scoped (a sibling town cannot list).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { counterAt, makeCast, makeCommand, makeTree, makeUser, type Tree } from '../../test/factories.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeIdNumber } from '../../test/routes.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let clock = '2026-12-07T02:00:00.000Z';
let commander: Client, towncmd: Client, towncmdB: Client, staff: Client, gridworker: Client, cadre: Client;
let commandId: number;
let checkpointId: number;
let suspendedId: number;
let seq = 0;

interface Problem {
  code: string;
  issues?: { path: string; code: string; message: string }[];
}
interface Passage {
  id: number;
  risky: boolean;
  people: {
    id: number;
    idNumber: string | null;
    personId: number | null;
    risky: boolean;
    reasons: string[];
    handoffId: number | null;
  }[];
}
interface Handoff {
  id: number;
  state: string;
  overdue: boolean;
  escalated: boolean;
  node: { id: number };
  abilities: { visit: boolean; close: boolean };
}

const count = async (table: 'passages' | 'passage_people' | 'persons' | 'handoffs') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const counter = (metric: string, path: string) => counterAt(db, metric, path);
const key = () => `test-key-${++seq}-${Date.now()}`;
const register = (c: Client, body: object, k: string | null = key()) =>
  c.request<Passage & Problem>({
    method: 'POST',
    url: '/api/passages',
    payload: body,
    headers: k === null ? {} : { 'idempotency-key': k },
  });
const car = (extra: object = {}) => ({
  checkpointId,
  direction: 'in',
  plate: '浙A12345',
  vehicleType: 'car',
  people: [{ name: '张三', idNumber: makeIdNumber('330112', '19800101', ++seq), phone: '13800138000' }],
  originRegion: '330106',
  destinationNodeId: tree.grids[0]!.id,
  answers: { keyRegion14d: false, caseContact: false, temperature: 36.5 },
  ...extra,
});

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => clock });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  await makeUser(db, 'towncmdB', [{ role: 'town_commander', node: tree.towns[1]! }]);
  await makeUser(db, 'staff1', [{ role: 'checkpoint_staff', node: tree.villages[0]! }]);
  commander = await t.login('commander');
  towncmd = await t.login('towncmd');
  towncmdB = await t.login('towncmdB');
  staff = await t.login('staff1');
  gridworker = await t.login('gridworker');
  cadre = await t.login('cadre');
  commandId = await makeCommand(db, tree.district, clock);
  const cp = await towncmd.post<{ id: number }>('/api/checkpoints', {
    name: '一村村口',
    type: 'village_entrance',
    nodeId: tree.villages[0]!.id,
    commandId,
    staffPerShift: 1,
  });
  checkpointId = cp.body.id;
  const sp = await towncmd.post<{ id: number }>('/api/checkpoints', {
    name: '二村村口',
    type: 'village_entrance',
    nodeId: tree.villages[1]!.id,
    status: 'suspended',
    staffPerShift: 1,
  });
  suspendedId = sp.body.id;
});
afterAll(async () => t.close());

describe('registration', () => {
  it('the commander sets the command’s risk rules: Wuhan is a key region, two hours to visit', async () => {
    const res = await commander.put<{ keyRegions: string[]; handoffHours: number }>(
      `/api/commands/${commandId}/risk-rules`,
      { keyRegions: ['420100'], handoffHours: 2 },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ keyRegions: ['420100'], handoffHours: 2, feverAt: 37.3 });
    // Staff below the command read the questions; a checkpoint staff member cannot set them.
    expect((await staff.get(`/api/commands/${commandId}/risk-rules`)).status).toBe(200);
    expect((await staff.put(`/api/commands/${commandId}/risk-rules`, { keyRegions: [] })).status).toBe(403);
    const bad = await commander.put<Problem>(`/api/commands/${commandId}/risk-rules`, {
      keyRegions: ['990000'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.[0]?.path).toBe('body.keyRegions.0');
  });

  it('needs an Idempotency-Key header, and a bad plate is a 400 naming plate', async () => {
    const none = await register(staff, car(), null);
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('passage.idempotency_key');
    expect(none.body.issues?.[0]?.path).toBe('headers.idempotency-key');
    expect((await register(staff, car(), 'short')).status).toBe(400);
    const plate = await register(staff, car({ plate: '浙AI2345' }));
    expect(plate.status).toBe(400);
    expect(plate.body.issues?.map((i) => i.path).join(' ')).toMatch(/plate/);
    expect(await count('passages')).toBe(0);
  });

  it('the same key twice registers once; the same key with another body is 409', async () => {
    const k = key();
    const body = car();
    const a = await register(staff, body, k);
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    const b = await register(staff, body, k);
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    // The replay reads the stored passage; the first answer was built in the transaction: alike.
    expect(b.body).toEqual(a.body);
    expect(await count('passages')).toBe(1);
    const other = await register(staff, { ...body, direction: 'out' }, k);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('passage.idempotency_conflict');
    expect(await count('passages')).toBe(1);
  });

  it('the same key sent several times at the same moment registers once, all answered with it', async () => {
    const before = await count('passages');
    const k = key();
    const body = car({ plate: '浙A54321' });
    const all = await Promise.all([1, 2, 3, 4].map(() => register(staff, body, k)));
    expect(all.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    expect(await count('passages')).toBe(before + 1);
    expect(await count('passage_people')).toBe(before + 1);
  });

  it('links a traveller in the registry by the blind index and never creates a person', async () => {
    const idNumber = makeIdNumber('330112', '19750505', 77);
    const person = await cadre.post<{ id: number }>('/api/people', {
      name: '李四',
      idNumber,
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    const persons = await count('persons');
    const res = await register(
      staff,
      car({
        people: [
          { name: '李四', idNumber },
          { name: '王五', noIdReason: 'child' },
        ],
      }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.people[0]!.personId).toBe(person.body.id);
    expect(res.body.people[1]!.personId).toBeNull();
    expect(await count('persons')).toBe(persons);
  });

  it('refuses a checkpoint that is not open (409) and one outside the caller’s scope (403)', async () => {
    const closed = await register(cadre, car({ checkpointId: suspendedId }));
    expect(closed.status).toBe(403); // the cadre's village is not the suspended checkpoint's
    await makeUser(db, 'staff2', [{ role: 'checkpoint_staff', node: tree.villages[1]! }]);
    const staff2 = await t.login('staff2');
    const suspended = await register(staff2, car({ checkpointId: suspendedId }));
    expect(suspended.status).toBe(409);
    expect(suspended.body.code).toBe('passage.checkpoint_not_open');
    expect((await register(staff2, car())).status).toBe(403);
  });
});

describe('risk and hand-offs', () => {
  let handoffId: number;

  it('a traveller from a key region bound for a grid is handed to its worker, counted and notified', async () => {
    const openBefore = await counter('defence.handoffs.open', tree.grids[0]!.path);
    const riskyBefore = await counter('defence.passages.risky', tree.district.path);
    const res = await register(
      staff,
      car({
        plate: '鄂A11111',
        originRegion: '420102',
        people: [
          { name: '赵六', idNumber: makeIdNumber('420102', '19900101', 5) },
          { name: '钱七', answers: { temperature: 36.4 } },
          { name: '孙八', answers: { temperature: 38.2 } },
        ],
        answers: { keyRegion14d: false },
      }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.risky).toBe(true);
    expect(res.body.people[0]!.reasons).toEqual(['origin_key_region']);
    expect(res.body.people[2]!.reasons).toEqual(['fever', 'origin_key_region']);
    expect(res.body.people.every((p) => p.handoffId !== null)).toBe(true);
    handoffId = res.body.people[0]!.handoffId!;
    // What the registration answered is what the chain of command reads back.
    expect((await towncmd.get(`/api/passages/${res.body.id}`)).body).toEqual(res.body);
    expect(await counter('defence.handoffs.open', tree.grids[0]!.path)).toBe(openBefore + 3);
    expect(await counter('defence.handoffs.open', tree.district.path)).toBe(openBefore + 3);
    expect(await counter('defence.passages.risky', tree.district.path)).toBe(riskyBefore + 1);
    const tasks = await gridworker.get<{ items: Handoff[] }>('/api/handoffs/tasks');
    expect(tasks.status).toBe(200);
    expect(tasks.body.items.map((h) => h.id)).toContain(handoffId);
    expect(tasks.body.items[0]).toMatchObject({ state: 'open', abilities: { visit: true, close: true } });
    const notes = await gridworker.get<{ items: { kind: string }[] }>('/api/notifications');
    expect(notes.body.items.filter((n) => n.kind === 'handoff.created')).toHaveLength(3);
    // Another town's worker has none; the grid worker cannot read the passage lists.
    expect((await gridworker.get('/api/passages')).status).toBe(403);
  });

  it('escalates once when overdue: flagged, the village above notified, audited', async () => {
    clock = '2026-12-07T05:00:00.000Z';
    const first = await t.app.linliPassages.sweep({ actor: null, requestId: 'sweep-1' });
    expect(first.escalated).toBe(3);
    const again = await t.app.linliPassages.sweep({ actor: null, requestId: 'sweep-2' });
    expect(again.escalated).toBe(0);
    const tasks = await gridworker.get<{ items: Handoff[] }>('/api/handoffs/tasks');
    expect(tasks.body.items[0]).toMatchObject({ overdue: true, escalated: true });
    const notes = await cadre.get<{ items: { kind: string; text: string }[] }>('/api/notifications');
    expect(notes.body.items.filter((n) => n.kind === 'handoff.escalated')).toHaveLength(3);
    expect(await counter('defence.handoffs.overdue', tree.grids[0]!.path)).toBe(3);
    const audit = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'handoff.escalate')
      .execute();
    expect(audit).toHaveLength(3);
  });

  it('the worker visits: the task leaves the list and the counters go down; a second visit is 409', async () => {
    const open = await counter('defence.handoffs.open', tree.grids[0]!.path);
    const res = await gridworker.post<Handoff & Problem>(`/api/handoffs/${handoffId}/steps`, {
      action: 'visit',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe('visited');
    expect(await counter('defence.handoffs.open', tree.grids[0]!.path)).toBe(open - 1);
    expect(await counter('defence.handoffs.overdue', tree.grids[0]!.path)).toBe(2);
    const again = await gridworker.post<Problem>(`/api/handoffs/${handoffId}/steps`, { action: 'visit' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('handoff.transition');
    const tasks = await gridworker.get<{ items: Handoff[] }>('/api/handoffs/tasks');
    expect(tasks.body.items.map((h) => h.id)).not.toContain(handoffId);
    // Another town's commander cannot act on it.
    expect((await towncmdB.post(`/api/handoffs/${handoffId}/steps`, { action: 'close' })).status).toBe(403);
  });
});

describe('reading', () => {
  it('lists masked, filtered by plate and ID number, within the chain of command only', async () => {
    const list = await towncmd.get<{ items: Passage[]; total: number }>('/api/passages?plate=浙A54321');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]!.people[0]!.idNumber).toMatch(/^\d{6}\*+\d{3}[\dX]$/);
    const idNumber = makeIdNumber('330112', '19750505', 77);
    const byId = await towncmd.get<{ total: number }>(`/api/passages?idNumber=${idNumber}`);
    expect(byId.body.total).toBe(1);
    const byName = await towncmd.get<{ items: Passage[]; total: number }>(
      `/api/passages?name=${encodeURIComponent('李')}`,
    );
    expect(byName.body.total).toBe(1);
    expect(
      (await towncmd.get<{ total: number }>(`/api/passages?name=${encodeURIComponent('%')}`)).body.total,
    ).toBe(0);
    expect(JSON.stringify(list.body)).not.toContain('13800138000');
    const sibling = await towncmdB.get<{ total: number }>('/api/passages');
    expect(sibling.body.total).toBe(0);
    expect((await towncmdB.get(`/api/passages?node=${tree.towns[0]!.id}`)).status).toBe(403);
    expect((await towncmdB.get(`/api/passages?checkpointId=${checkpointId}`)).status).toBe(403);
    const one = list.body.items[0]!.id;
    expect((await towncmdB.get(`/api/passages/${one}`)).status).toBe(403);
    expect((await towncmd.get(`/api/passages/${one}`)).status).toBe(200);
    expect((await towncmd.get('/api/passages/999999')).status).toBe(404);
  });

  it('recalls a plate seen before with tokens that register the same travellers without their numbers', async () => {
    const recall = await staff.get<{
      people: { idNumber: string; recallToken: string }[];
      vehicleType: string;
    }>(`/api/passages/recall?plate=${encodeURIComponent('浙A54321')}`);
    expect(recall.status, JSON.stringify(recall.body)).toBe(200);
    expect(recall.body.vehicleType).toBe('car');
    const [p] = recall.body.people;
    const res = await register(
      staff,
      car({ plate: '浙A54321', people: [{ name: '张三', recallToken: p!.recallToken }] }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.people[0]!.idNumber).toBe(p!.idNumber);
    // Someone else's token, or a forged one, is refused on that field.
    const forged = await register(
      staff,
      car({
        people: [{ name: '张三', recallToken: p!.recallToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }],
      }),
    );
    expect(forged.status).toBe(400);
    expect(forged.body.issues?.[0]?.path).toBe('body.people.0.recallToken');
  });

  it('counts per hour and per local day from the hourly table', async () => {
    const res = await towncmd.get<{ buckets: { at: string; in: number }[]; total: number; risky: number }>(
      `/api/passages/stats?checkpointId=${checkpointId}&from=2026-12-06T00:00:00Z&to=2026-12-08T00:00:00Z&bucket=day`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toBe(await count('passages'));
    expect(res.body.risky).toBe(1);
    expect(res.body.buckets).toEqual([
      { at: '2026-12-06T16:00:00.000Z', in: res.body.total, out: 0, risky: 1 },
    ]);
  });

  it('finds regions by name, pinyin, initials and code, placed relative to the district', async () => {
    const byPinyin = await staff.get<{ items: { code: string; scope: string; parents: string[] }[] }>(
      '/api/regions?q=linan',
    );
    expect(byPinyin.status).toBe(200);
    expect(byPinyin.body.items[0]).toMatchObject({
      code: '330112',
      scope: 'district',
      parents: ['浙江省', '杭州市'],
    });
    const byCode = await staff.get<{ items: { code: string; scope: string }[] }>('/api/regions?q=420102');
    expect(byCode.body.items[0]).toMatchObject({ code: '420102', scope: 'outside' });
    const byName = await staff.get<{ items: { code: string; scope: string }[] }>('/api/regions?q=西湖');
    expect(byName.body.items[0]).toMatchObject({ code: '330106', scope: 'province' });
  });

  it('exports the list masked, audited', async () => {
    const res = await towncmd.get<string>('/api/passages/export.xlsx');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/spreadsheetml/);
    expect(res.raw.rawPayload.includes(Buffer.from('13800138000'))).toBe(false);
  });
});

describe('retention', () => {
  it('deletes a closed command’s passages retentionDays after it closed, audited, and keeps the hourly counts', async () => {
    const ofCommand = async () =>
      Number(
        (
          await db
            .selectFrom('passages')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('command_id', '=', commandId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const kept = await ofCommand();
    expect(kept).toBeGreaterThan(0);
    const hourly = await db.selectFrom('passage_hourly').selectAll().execute();
    // Closed 27 days ago: within the 28 days kept.
    await db
      .updateTable('incident_commands')
      .set({ closed_at: '2026-11-10T05:00:00.000Z' })
      .where('id', '=', commandId)
      .execute();
    expect((await t.app.linliPassages.purgeExpired({ actor: null, requestId: 'retention-1' })).deleted).toBe(
      0,
    );
    expect(await ofCommand()).toBe(kept);
    // Closed 29 days ago.
    await db
      .updateTable('incident_commands')
      .set({ closed_at: '2026-11-08T05:00:00.000Z' })
      .where('id', '=', commandId)
      .execute();
    expect((await t.app.linliPassages.purgeExpired({ actor: null, requestId: 'retention-2' })).deleted).toBe(
      kept,
    );
    expect(await ofCommand()).toBe(0);
    expect(await count('handoffs')).toBe(0);
    const audit = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'passage.purge')
      .execute();
    expect(audit).toHaveLength(1);
    expect(await db.selectFrom('passage_hourly').selectAll().execute()).toEqual(hourly);
  });
});

describe('hand-offs to home observation', () => {
  it('a risky traveller in the registry may be put in home observation from the hand-off by the place’s worker', async () => {
    const idNumber = makeIdNumber('330112', '19660606', 88);
    const person = await cadre.post<{ id: number }>('/api/people', {
      name: '周九',
      idNumber,
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    const res = await register(
      staff,
      car({
        people: [
          { name: '周九', idNumber, answers: { caseContact: true } },
          { name: '吴十', noIdReason: 'child', answers: { caseContact: true } },
        ],
      }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [linked, unknown] = res.body.people;
    const tasks = await gridworker.get<{ items: (Handoff & { abilities: { observe: boolean } })[] }>(
      '/api/handoffs/tasks',
    );
    const of = (id: number | null) => tasks.body.items.find((h) => h.id === id)!;
    expect(of(linked!.handoffId).abilities.observe).toBe(true);
    expect(of(unknown!.handoffId).abilities.observe).toBe(false);
  });
});
