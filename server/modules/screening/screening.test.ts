// Screening sweeps over HTTP, on both databases: a sweep over the district's floating population puts
// every target on exactly one grid's list and its progress adds up node by node; a person met on the
// spot is registered once; answers are checked against the questionnaire, classified and stored
// encrypted; seconded cadres visit only the grids they are paired with; a grid worker stays in their
// grid; closing takes the sweep's figures out of the cockpit and refuses further visits; the results
// export as an audited workbook; a questionnaire's next version keeps its code.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { makeCast, makeCommand, makeTree, makeUser, type Tree, type TreeNode } from '../../test/factories.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import {
  cellText,
  insertHousehold,
  insertPerson,
  multipart,
  nthIdNumber,
  scratchChild,
} from '../../test/routes.js';
import { XLSX_MIME } from '../../platform/tabular.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client,
  commander: Client,
  towncmd: Client,
  cadre: Client,
  gridworker: Client,
  gridworker2: Client,
  gridworker5: Client,
  seconded: Client;
let secondedId: number;
let commandId: number;
let questionnaireId: number;
let micro: TreeNode;
let seq = 0;

interface Problem {
  code: string;
  issues?: { path: string; code: string }[];
}
interface Target {
  id: number;
  person: { id: number; name: string; idNumberMasked: string | null };
  status: string;
  risk: string | null;
  visits: number;
  found: boolean;
}
interface GridList {
  node: { id: number };
  done: number;
  targets: number;
  households: { householdId: number | null; targets: Target[] }[];
  visit: boolean;
}
interface Sweep {
  id: number;
  status: string;
  done: number;
  targets: number;
  myGrids: { id: number; name: string }[];
  abilities: { manage: boolean; export: boolean; close: boolean };
}
interface Line {
  nodeId: number;
  done: number;
  targets: number;
}
interface Progress extends Line {
  high: number;
  children: Line[];
  laggards: Line[];
}

const DEADLINE = '2031-01-31';
/** Answers of someone who neither returned from a key area nor met a case, without fever. */
const calm = { returned_key_area: false, close_contact: false, temperature: 36.5, symptoms: [] };
const idOf = () => nthIdNumber(++seq, '330112');

/** A floating resident of a node (another residence type when asked), straight in the database. */
async function resident(n: TreeNode, opts: { type?: string; householdId?: number; idNumber?: string } = {}) {
  return insertPerson(db, n, {
    name: `摸排对象${++seq}`,
    idNumber: opts.idNumber ?? idOf(),
    residenceType: opts.type ?? 'floating',
    householdId: opts.householdId ?? null,
  });
}
const sweepOver = (c: Client, node: TreeNode, extra: object = {}) =>
  c.post<Sweep & Problem>('/api/sweeps', {
    name: `摸排${++seq}`,
    commandId,
    questionnaireId,
    nodeId: node.id,
    population: { kind: 'floating' },
    deadline: DEADLINE,
    ...extra,
  });
const listOf = async (c: Client, sweepId: number, grid?: TreeNode) =>
  c.get<GridList & Problem>(`/api/sweeps/${sweepId}/list${grid ? `?node=${grid.id}` : ''}`);
const targetsOf = (l: GridList) => l.households.flatMap((h) => h.targets);
const visit = (c: Client, sweepId: number, targetId: number, body: object) =>
  c.post<{ target: Target; done: number; targets: number } & Problem>(
    `/api/sweeps/${sweepId}/targets/${targetId}/visit`,
    body,
  );
const answered = (answers: object) => ({ outcome: 'answered', answers });
const progressAt = async (sweepId: number, n: TreeNode, c = commander) => {
  const res = await c.get<Progress>(`/api/sweeps/${sweepId}/progress?node=${n.id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
/** A target of a sweep whose person is on a grid's list, pending. */
async function pendingAt(sweepId: number, grid: TreeNode, skip = 0): Promise<Target> {
  const l = await listOf(commander, sweepId, grid);
  expect(l.status, JSON.stringify(l.body)).toBe(200);
  const free = targetsOf(l.body).filter((x) => x.status === 'pending');
  expect(free.length, `pending targets at ${grid.name}`).toBeGreaterThan(skip);
  return free[skip]!;
}
/** A command's own counter at a path (the cockpit's figures). */
async function commandCounter(metric: string, path: string, command = commandId) {
  const row = await db
    .selectFrom('live_counters')
    .select('value')
    .where('metric', '=', metric)
    .where('node_path', '=', path)
    .where('command_id', '=', command)
    .executeTakeFirst();
  return Number(row?.value ?? 0);
}

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  await makeUser(db, 'gridworker2', [{ role: 'grid_worker', node: tree.grids[1]! }]);
  await makeUser(db, 'gridworker5', [{ role: 'grid_worker', node: tree.grids[4]! }]);
  secondedId = await makeUser(db, 'seconded', [{ role: 'seconded_cadre', node: tree.district }]);
  // Every grid: six to eight floating residents (the first two a household), a registered one who is
  // no target; a micro-grid under grid 0 with a floating resident of its own, and one merged away.
  for (const [i, g] of tree.grids.entries()) {
    const h = await insertHousehold(db, g, `摸排路${i}号`);
    await resident(g, { householdId: h });
    await resident(g, { householdId: h });
    for (let k = 0; k < 4 + (i % 3); k++) await resident(g);
    await resident(g, { type: 'registered' });
  }
  micro = await scratchChild(db, tree.grids[0]!, 'microgrid');
  const survivor = await resident(micro);
  const merged = await resident(micro);
  await db.updateTable('persons').set({ merged_into_id: survivor }).where('id', '=', merged).execute();
  commandId = await makeCommand(db, tree.district, new Date().toISOString());
  admin = await t.login('admin');
  commander = await t.login('commander');
  towncmd = await t.login('towncmd');
  cadre = await t.login('cadre');
  gridworker = await t.login('gridworker');
  gridworker2 = await t.login('gridworker2');
  gridworker5 = await t.login('gridworker5');
  seconded = await t.login('seconded');
  const qs = await gridworker.get<{ items: { id: number; code: string; version: number }[] }>(
    '/api/questionnaires',
  );
  expect(qs.status).toBe(200);
  const shipped = qs.body.items.find((q) => q.code === 'epidemic_screening')!;
  expect(shipped.version).toBe(1);
  questionnaireId = shipped.id;
});
afterAll(async () => t.close());

describe('a sweep over the district', () => {
  let sweep: Sweep;
  beforeAll(async () => {
    const res = await sweepOver(commander, tree.district);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    sweep = res.body;
  });

  it('puts every floating resident on exactly one grid’s list, and the grids’ lists add up to the sweep', async () => {
    const rows = await db
      .selectFrom('sweep_targets as t')
      .innerJoin('nodes as n', 'n.id', 't.node_id')
      .select(['t.id', 't.person_id', 't.node_path', 'n.level'])
      .where('t.sweep_id', '=', sweep.id)
      .execute();
    const people = await db
      .selectFrom('persons')
      .select(['id', 'node_path'])
      .where('residence_type', '=', 'floating')
      .where('merged_into_id', 'is', null)
      .execute();
    expect(rows.length).toBe(people.length);
    expect(sweep.targets).toBe(people.length);
    expect(new Set(rows.map((r) => r.person_id)).size).toBe(rows.length);
    expect(rows.map((r) => r.person_id).sort((a, b) => a - b)).toEqual(
      people.map((p) => p.id).sort((a, b) => a - b),
    );
    expect(rows.every((r) => r.level === 'grid')).toBe(true);
    // The micro-grid's resident is on its grid's list.
    const fromMicro = people.find((p) => p.node_path === micro.path)!;
    expect(rows.find((r) => r.person_id === fromMicro.id)!.node_path).toBe(tree.grids[0]!.path);
    let sum = 0;
    const seen = new Set<number>();
    for (const g of tree.grids) {
      const l = await listOf(commander, sweep.id, g);
      expect(l.status, JSON.stringify(l.body)).toBe(200);
      const ts = targetsOf(l.body);
      expect(ts.length).toBe(l.body.targets);
      for (const x of ts) {
        expect(seen.has(x.person.id)).toBe(false);
        seen.add(x.person.id);
      }
      sum += l.body.targets;
    }
    expect(sum).toBe(sweep.targets);
    // Household by household: the two of a household together.
    const l0 = await listOf(commander, sweep.id, tree.grids[0]);
    expect(l0.body.households.some((h) => h.householdId !== null && h.targets.length === 2)).toBe(true);
  });

  it('after visits in several grids and villages, each node’s progress is the sum of its children; not at home is not done', async () => {
    const before = await progressAt(sweep.id, tree.district);
    expect(before.done).toBe(0);
    const visits: [Client, TreeNode, object][] = [
      [gridworker, tree.grids[0]!, answered(calm)],
      [gridworker, tree.grids[0]!, { outcome: 'moved' }],
      [gridworker2, tree.grids[1]!, { outcome: 'refused', note: '不配合' }],
      [cadre, tree.grids[1]!, { outcome: 'not_home' }],
      [admin, tree.grids[2]!, answered({ ...calm, close_contact: true })],
      [gridworker5, tree.grids[4]!, answered(calm)],
      [gridworker5, tree.grids[4]!, { outcome: 'not_home' }],
    ];
    for (const [c, g, body] of visits) {
      const target = await pendingAt(sweep.id, g);
      const res = await visit(c, sweep.id, target.id, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const district = await progressAt(sweep.id, tree.district);
    expect(district.done).toBe(5);
    expect(district.targets).toBe(sweep.targets);
    expect(district.high).toBe(1);
    for (const n of [tree.district, tree.towns[0]!, tree.towns[1]!, tree.villages[0]!, tree.villages[2]!]) {
      const p = await progressAt(sweep.id, n);
      expect(p.children.length, n.name).toBeGreaterThan(0);
      expect(
        p.children.reduce((s, k) => s + k.done, 0),
        n.name,
      ).toBe(p.done);
      expect(
        p.children.reduce((s, k) => s + k.targets, 0),
        n.name,
      ).toBe(p.targets);
    }
    expect((await progressAt(sweep.id, tree.villages[0]!)).done).toBe(3);
    expect((await progressAt(sweep.id, tree.towns[1]!)).done).toBe(1);
    const g1 = await progressAt(sweep.id, tree.grids[1]!);
    expect(g1.done).toBe(1);
    // The grid list agrees with the counters; the not-at-home target stays to visit again.
    const l1 = await listOf(commander, sweep.id, tree.grids[1]);
    expect(l1.body.done).toBe(1);
    expect(targetsOf(l1.body).filter((x) => x.status === 'not_home')).toHaveLength(1);
    // The grids furthest behind are those nobody visited.
    expect(district.laggards[0]!.done).toBe(0);
    // Ranked by share done, lowest first, at most ten, none finished.
    const shares = district.laggards.map((g) => g.done / g.targets);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(district.laggards.length).toBeLessThanOrEqual(10);
    expect(district.laggards.every((g) => g.done < g.targets)).toBe(true);
    // The sweep's figures at the caller's place.
    const mine = await gridworker.get<Sweep>(`/api/sweeps/${sweep.id}`);
    expect(mine.body.myGrids.map((g) => g.id)).toEqual([tree.grids[0]!.id]);
    expect(mine.body.done).toBe(2);
    const town = await towncmd.get<Sweep>(`/api/sweeps/${sweep.id}`);
    expect(town.body.done).toBe((await progressAt(sweep.id, tree.towns[0]!)).done);
    expect((await towncmd.get(`/api/sweeps/${sweep.id}/progress?node=${tree.towns[1]!.id}`)).status).toBe(
      403,
    );
  });

  it('a not-at-home target is visited again; a finished one is not', async () => {
    const l = await listOf(commander, sweep.id, tree.grids[4]);
    const away = targetsOf(l.body).find((x) => x.status === 'not_home')!;
    const again = await visit(gridworker5, sweep.id, away.id, answered(calm));
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.target).toMatchObject({ status: 'answered', risk: 'low', visits: 2 });
    const twice = await visit(gridworker5, sweep.id, away.id, { outcome: 'moved' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('sweep.target_done');
  });

  describe('answers', () => {
    it('are checked against the questionnaire: a required question missing, a hidden one answered', async () => {
      const target = await pendingAt(sweep.id, tree.grids[0]!);
      const missing = await visit(
        gridworker,
        sweep.id,
        target.id,
        answered({ returned_key_area: false, close_contact: false }),
      );
      expect(missing.status).toBe(400);
      expect(String(missing.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(missing.body.issues).toEqual([
        expect.objectContaining({ path: 'body.answers.temperature', code: 'issue.answer.required' }),
      ]);
      const hidden = await visit(
        gridworker,
        sweep.id,
        target.id,
        answered({ ...calm, returned_from: '武汉市' }),
      );
      expect(hidden.status).toBe(400);
      expect(hidden.body.issues).toEqual([
        expect.objectContaining({ path: 'body.answers.returned_from', code: 'issue.answer.not_shown' }),
      ]);
      const shown = await visit(
        gridworker,
        sweep.id,
        target.id,
        answered({ ...calm, returned_key_area: true, temperature: 50 }),
      );
      expect(shown.status).toBe(400);
      expect(shown.body.issues!.map((i) => [i.path, i.code])).toEqual([
        ['body.answers.returned_from', 'issue.answer.required'],
        ['body.answers.returned_on', 'issue.answer.required'],
        ['body.answers.temperature', 'issue.answer.range'],
      ]);
      const without = await visit(gridworker, sweep.id, target.id, { outcome: 'answered' });
      expect(without.status).toBe(400);
      expect(without.body.issues!.map((i) => i.path)).toEqual(['body.answers']);
      const extra = await visit(gridworker, sweep.id, target.id, { outcome: 'refused', answers: calm });
      expect(extra.status).toBe(400);
      // Nothing recorded by the refusals.
      const row = await db
        .selectFrom('sweep_targets')
        .select(['status', 'visits'])
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'pending', visits: 0 });
    });

    it('are classified: high for a close contact, medium for a return from a key area without fever, low otherwise', async () => {
      const highBefore = (await progressAt(sweep.id, tree.district)).high;
      const cases: [object, string][] = [
        [{ ...calm, close_contact: true }, 'high'],
        [
          {
            ...calm,
            returned_key_area: true,
            returned_from: '湖北省武汉市',
            returned_on: '2030-01-20',
            temperature: 36.6,
          },
          'medium',
        ],
        [
          {
            ...calm,
            returned_key_area: true,
            returned_from: '武汉',
            returned_on: '2030-01-20',
            temperature: 37.5,
          },
          'high',
        ],
        [{ ...calm, symptoms: ['cough'] }, 'medium'],
        [calm, 'low'],
      ];
      for (const [answers, risk] of cases) {
        const target = await pendingAt(sweep.id, tree.grids[3]!);
        const res = await visit(admin, sweep.id, target.id, answered(answers));
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.target.risk, JSON.stringify(answers)).toBe(risk);
      }
      expect((await progressAt(sweep.id, tree.district)).high).toBe(highBefore + 2);
    });

    it('are stored encrypted and kept out of the audit log', async () => {
      const target = await pendingAt(sweep.id, tree.grids[0]!);
      const res = await visit(
        gridworker,
        sweep.id,
        target.id,
        answered({
          ...calm,
          returned_key_area: true,
          returned_from: '湖北省武汉市',
          returned_on: '2030-01-20',
        }),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const row = await db
        .selectFrom('sweep_targets')
        .select(['answers_enc', 'questionnaire_id'])
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow();
      expect(row.answers_enc).toMatch(/^v1:/);
      expect(row.answers_enc).not.toContain('武汉');
      expect(row.answers_enc).not.toContain('returned_key_area');
      expect(row.questionnaire_id).toBe(questionnaireId);
      const audit = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'sweep.visit')
        .where('entity_id', '=', String(target.id))
        .execute();
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0])).not.toContain('武汉');
      expect(JSON.stringify(audit[0])).not.toContain('medium');
    });
  });

  describe('someone met on the spot', () => {
    it('is registered once: a second report of the same ID number finds the same person and target', async () => {
      const idNumber = idOf();
      const body = {
        gridId: tree.grids[0]!.id,
        name: '现场新增',
        idNumber,
        phone: '13900001111',
        address: '摸排路9号',
      };
      const before = (await progressAt(sweep.id, tree.grids[0]!)).targets;
      const first = await gridworker.post<{ target: Target; registered: boolean }>(
        `/api/sweeps/${sweep.id}/found`,
        body,
      );
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body.registered).toBe(true);
      expect(first.body.target).toMatchObject({ status: 'pending', found: true });
      const second = await gridworker.post<{ target: Target; registered: boolean }>(
        `/api/sweeps/${sweep.id}/found`,
        {
          ...body,
          name: '现场新增二',
        },
      );
      expect(second.status, JSON.stringify(second.body)).toBe(201);
      expect(second.body.registered).toBe(false);
      expect(second.body.target.id).toBe(first.body.target.id);
      const people = await db
        .selectFrom('persons')
        .select(['id', 'node_path', 'residence_type'])
        .where('name', 'in', ['现场新增', '现场新增二'])
        .execute();
      expect(people).toEqual([
        { id: first.body.target.person.id, node_path: tree.grids[0]!.path, residence_type: 'floating' },
      ]);
      expect((await progressAt(sweep.id, tree.grids[0]!)).targets).toBe(before + 1);
      const l = await listOf(gridworker, sweep.id);
      expect(targetsOf(l.body).filter((x) => x.id === first.body.target.id)).toHaveLength(1);
      // Visited like the others.
      expect((await visit(gridworker, sweep.id, first.body.target.id, answered(calm))).status).toBe(200);
    });

    it('someone already registered is put on the list, not registered again', async () => {
      const idNumber = idOf();
      const person = await resident(tree.grids[0]!, { type: 'registered', idNumber });
      const res = await gridworker.post<{ target: Target; registered: boolean }>(
        `/api/sweeps/${sweep.id}/found`,
        {
          gridId: tree.grids[0]!.id,
          name: '户籍人员',
          idNumber,
        },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ registered: false, target: { person: { id: person }, found: false } });
    });

    it('someone registered outside the swept place: 409, their name not shown, nothing written', async () => {
      const idNumber = idOf();
      const elsewhere = tree.grids.find((g) => !g.path.startsWith(tree.villages[0]!.path))!;
      await resident(elsewhere, { idNumber });
      const village = await sweepOver(cadre, tree.villages[0]!);
      expect(village.status, JSON.stringify(village.body)).toBe(201);
      const before = (await progressAt(village.body.id, tree.villages[0]!)).targets;
      const res = await gridworker.post<Problem & { target?: unknown }>(
        `/api/sweeps/${village.body.id}/found`,
        {
          gridId: tree.grids[0]!.id,
          name: '外地登记人员',
          idNumber,
        },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.code).toBe('sweep.found_outside');
      expect(JSON.stringify(res.body)).not.toContain('摸排对象');
      expect((await progressAt(village.body.id, tree.villages[0]!)).targets).toBe(before);
      // Closed again, so that the cockpit's figures below are the district sweep's alone.
      expect((await cadre.post(`/api/sweeps/${village.body.id}/close`, {})).status).toBe(200);
    });

    it('on another grid’s list of the same sweep: 409, nothing written', async () => {
      const idNumber = idOf();
      await resident(tree.grids[1]!, { idNumber });
      // A later sweep over the village: the resident is on grid 1's list there.
      const later = await sweepOver(cadre, tree.villages[0]!);
      expect(later.status, JSON.stringify(later.body)).toBe(201);
      const targets = (await progressAt(later.body.id, tree.villages[0]!)).targets;
      const persons = Number(
        (
          await db
            .selectFrom('persons')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const res = await gridworker.post<Problem>(`/api/sweeps/${later.body.id}/found`, {
        gridId: tree.grids[0]!.id,
        name: '别处名单',
        idNumber,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.code).toBe('sweep.found_outside');
      expect((await progressAt(later.body.id, tree.villages[0]!)).targets).toBe(targets);
      expect(
        Number(
          (
            await db
              .selectFrom('persons')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ).toBe(persons);
      // Not the grid worker's grid: refused before anything is looked up.
      const elsewhere = await gridworker.post<Problem>(`/api/sweeps/${later.body.id}/found`, {
        gridId: tree.grids[1]!.id,
        name: '别处',
        idNumber: idOf(),
      });
      expect(elsewhere.status).toBe(403);
      expect((await admin.post(`/api/sweeps/${later.body.id}/close`, {})).status).toBe(200);
    });
  });

  describe('seconded cadres and scope', () => {
    it('a seconded cadre visits a grid only while paired with it, and finds it among their grids', async () => {
      const target = await pendingAt(sweep.id, tree.grids[1]!);
      const refused = await visit(seconded, sweep.id, target.id, answered(calm));
      expect([403, 404]).toContain(refused.status);
      expect((await seconded.get(`/api/sweeps/${sweep.id}`)).status).toBe(403);
      const none = await seconded.get<{ items: Sweep[] }>('/api/sweeps');
      expect(none.body.items.map((s) => s.id)).not.toContain(sweep.id);
      // The village cadre pairs them with grid 1, among the candidates offered.
      const candidates = await cadre.get<{ items: { userId: number }[] }>(
        `/api/sweeps/${sweep.id}/helpers?gridId=${tree.grids[1]!.id}`,
      );
      expect(candidates.status).toBe(200);
      expect(candidates.body.items.map((c) => c.userId)).toContain(secondedId);
      expect((await cadre.get(`/api/sweeps/${sweep.id}/helpers?gridId=${tree.grids[2]!.id}`)).status).toBe(
        403,
      );
      const paired = await cadre.post<{
        items: { grid: { id: number }; user: { id: number; node: string } }[];
      }>(`/api/sweeps/${sweep.id}/pairings`, { gridId: tree.grids[1]!.id, userId: secondedId });
      expect(paired.status, JSON.stringify(paired.body)).toBe(201);
      expect(paired.body.items).toEqual([
        {
          grid: { id: tree.grids[1]!.id, name: tree.grids[1]!.name },
          user: { id: secondedId, name: 'seconded', node: tree.district.name },
        },
      ]);
      const listed = await cadre.get<{ items: unknown[] }>(`/api/sweeps/${sweep.id}/pairings`);
      expect(listed.body.items).toEqual(paired.body.items);
      // Paired again: the same, audited once.
      const again = await cadre.post(`/api/sweeps/${sweep.id}/pairings`, {
        gridId: tree.grids[1]!.id,
        userId: secondedId,
      });
      expect(again.status).toBe(201);
      const pairAudits = await db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'sweep.pair')
        .where('entity_id', '=', String(sweep.id))
        .execute();
      expect(pairAudits).toHaveLength(1);
      // Someone who only reads cannot be paired; a grid outside the cadre's village cannot be paired by them.
      const reader = await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'towncmd')
        .executeTakeFirstOrThrow();
      const notHelper = await cadre.post<Problem>(`/api/sweeps/${sweep.id}/pairings`, {
        gridId: tree.grids[1]!.id,
        userId: reader.id,
      });
      expect(notHelper.status).toBe(400);
      expect(notHelper.body.issues!.map((i) => i.code)).toEqual(['sweep.not_helper']);
      expect(
        (
          await cadre.post(`/api/sweeps/${sweep.id}/pairings`, {
            gridId: tree.grids[2]!.id,
            userId: secondedId,
          })
        ).status,
      ).toBe(403);
      const mine = await seconded.get<{ items: Sweep[] }>('/api/sweeps');
      const s = mine.body.items.find((x) => x.id === sweep.id)!;
      expect(s.myGrids).toEqual([{ id: tree.grids[1]!.id, name: tree.grids[1]!.name }]);
      const l = await listOf(seconded, sweep.id);
      expect(l.status, JSON.stringify(l.body)).toBe(200);
      expect(l.body.node.id).toBe(tree.grids[1]!.id);
      expect(l.body.visit).toBe(true);
      const ok = await visit(seconded, sweep.id, target.id, answered(calm));
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      // Only that grid.
      const other = await pendingAt(sweep.id, tree.grids[0]!);
      expect([403, 404]).toContain((await visit(seconded, sweep.id, other.id, answered(calm))).status);
      expect((await listOf(seconded, sweep.id, tree.grids[0])).status).toBe(403);
      // Unpaired: no more visits.
      const gone = await cadre.delete<{ items: unknown[] }>(
        `/api/sweeps/${sweep.id}/pairings/${tree.grids[1]!.id}/${secondedId}`,
      );
      expect(gone.status, JSON.stringify(gone.body)).toBe(200);
      expect(gone.body.items).toEqual([]);
      const twice = await cadre.delete<Problem>(
        `/api/sweeps/${sweep.id}/pairings/${tree.grids[1]!.id}/${secondedId}`,
      );
      expect(twice.status).toBe(404);
      expect(twice.body.code).toBe('not_found');
      const next = await pendingAt(sweep.id, tree.grids[1]!);
      expect([403, 404]).toContain((await visit(seconded, sweep.id, next.id, answered(calm))).status);
    });

    it('a cadre seconded to a town is listed where they are placed', async () => {
      const id = await makeUser(db, 'seconded_town', [{ role: 'seconded_cadre', node: tree.towns[0]! }]);
      const res = await admin.post<{ items: { user: { id: number; node: string } }[] }>(
        `/api/sweeps/${sweep.id}/pairings`,
        { gridId: tree.grids[0]!.id, userId: id },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.items.find((i) => i.user.id === id)!.user.node).toBe(tree.towns[0]!.name);
      // Not to a grid of the other town.
      const far = await admin.post<Problem>(`/api/sweeps/${sweep.id}/pairings`, {
        gridId: tree.grids[4]!.id,
        userId: id,
      });
      expect(far.status).toBe(400);
    });

    it('a grid worker reads and visits only their grid’s list', async () => {
      expect((await listOf(gridworker, sweep.id, tree.grids[1])).status).toBe(403);
      const other = await pendingAt(sweep.id, tree.grids[2]!);
      const res = await visit(gridworker, sweep.id, other.id, answered(calm));
      expect(res.status).toBe(403);
      expect(
        (
          await db
            .selectFrom('sweep_targets')
            .select('visits')
            .where('id', '=', other.id)
            .executeTakeFirstOrThrow()
        ).visits,
      ).toBe(0);
      expect(
        (await gridworker.get(`/api/sweeps/${sweep.id}/progress?node=${tree.villages[0]!.id}`)).status,
      ).toBe(403);
      expect(
        (await gridworker.post(`/api/sweeps/${sweep.id}/targets/999999/visit`, answered(calm))).status,
      ).toBe(404);
    });

    it('a sweep covers a grid or more, never a micro-grid alone', async () => {
      const res = await sweepOver(admin, micro);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.issues?.map((i) => [i.path, i.code])).toEqual([['body.nodeId', 'sweep.node_level']]);
    });

    it('only those who manage sweeps at the place start one', async () => {
      const refused = await sweepOver(gridworker, tree.grids[0]!);
      expect(refused.status).toBe(403);
      expect((await sweepOver(cadre, tree.district)).status).toBe(403);
      expect((await sweepOver(seconded, tree.grids[0]!)).status).toBe(403);
      const elsewhere = await sweepOver(towncmd, tree.towns[0]!, { commandId: 999_999 });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.issues!.map((i) => i.code)).toEqual(['sweep.command_elsewhere']);
      const nobody = await sweepOver(towncmd, tree.towns[0]!, {
        population: { kind: 'tag', tag: 'no_such_tag' },
      });
      expect(nobody.status).toBe(400);
      expect(nobody.body.code).toBe('sweep.no_targets');
    });
  });

  it('exports the results as an audited workbook, one column per question', async () => {
    const res = await commander.request({
      method: 'POST',
      url: `/api/sweeps/${sweep.id}/export`,
      payload: {},
    });
    expect(res.status, String(res.body).slice(0, 300)).toBe(200);
    expect(String(res.headers['content-type'])).toContain(XLSX_MIME);
    const buf = res.raw.rawPayload;
    expect(buf.subarray(0, 2).toString('latin1')).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    const head = (ws.getRow(1).values as unknown[]).slice(1).map((v) => cellText(v as ExcelJS.CellValue));
    expect(head).toContain('体温（°C）');
    expect(ws.rowCount - 1).toBe((await progressAt(sweep.id, tree.district)).targets);
    const texts: string[] = [];
    ws.eachRow((r) => r.eachCell((c) => texts.push(cellText(c.value))));
    expect(texts).toContain('湖北省武汉市');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'sweep.export')
      .execute();
    expect(audit).toEqual([{ action: 'sweep.export', entity_id: String(sweep.id) }]);
    // A town commander's export: their town only.
    const town = await towncmd.request({
      method: 'POST',
      url: `/api/sweeps/${sweep.id}/export`,
      payload: {},
    });
    expect(town.status).toBe(200);
    const twb = new ExcelJS.Workbook();
    await twb.xlsx.load(town.raw.rawPayload as unknown as ExcelJS.Buffer);
    expect(twb.worksheets[0]!.rowCount - 1).toBe((await progressAt(sweep.id, tree.towns[0]!)).targets);
    const far = await towncmd.request({
      method: 'POST',
      url: `/api/sweeps/${sweep.id}/export`,
      payload: { node: tree.towns[1]!.id },
    });
    expect(far.status).toBe(403);
  });

  it('closing takes its figures out of the cockpit and refuses further visits', async () => {
    const path = tree.district.path;
    const [targets, done] = [
      await commandCounter('sweep.targets', path),
      await commandCounter('sweep.done', path),
    ];
    const here = await progressAt(sweep.id, tree.district);
    expect(targets).toBeGreaterThanOrEqual(here.targets);
    expect(done).toBeGreaterThanOrEqual(here.done);
    const target = await pendingAt(sweep.id, tree.grids[0]!);
    expect((await cadre.post(`/api/sweeps/${sweep.id}/close`, {})).status).toBe(403);
    const closed = await commander.post<Sweep>(`/api/sweeps/${sweep.id}/close`, {});
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.abilities.close).toBe(false);
    expect(await commandCounter('sweep.targets', path)).toBe(targets - here.targets);
    expect(await commandCounter('sweep.done', path)).toBe(done - here.done);
    for (const g of tree.grids) expect(await commandCounter('sweep.targets', g.path)).toBe(0);
    // Its own figures stay for its page.
    expect((await progressAt(sweep.id, tree.district)).targets).toBe(here.targets);
    const late = await visit(gridworker, sweep.id, target.id, answered(calm));
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('sweep.closed');
    const found = await gridworker.post<Problem>(`/api/sweeps/${sweep.id}/found`, {
      gridId: tree.grids[0]!.id,
      name: '结束后',
      idNumber: idOf(),
    });
    expect(found.status).toBe(409);
    expect((await commander.post<Problem>(`/api/sweeps/${sweep.id}/close`, {})).status).toBe(409);
    const cockpit = await commander.get<{ figures: { sweepTargets: number } }>(
      `/api/cockpit?node=${tree.district.id}`,
    );
    expect(cockpit.status).toBe(200);
  });
});

describe('a sweep with people placed above the grids', () => {
  it('keeps them on their own place’s list and takes them out of the cockpit on close', async () => {
    const village = tree.villages[3]!;
    await resident(village);
    const res = await sweepOver(admin, village);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const p = await progressAt(res.body.id, village);
    expect(p.targets).toBe(res.body.targets);
    const before = await commandCounter('sweep.targets', tree.district.path);
    expect((await admin.post(`/api/sweeps/${res.body.id}/close`, {})).status).toBe(200);
    expect(await commandCounter('sweep.targets', tree.district.path)).toBe(before - res.body.targets);
    expect(await commandCounter('sweep.targets', village.path)).toBe(0);
  });
});

describe('a sweep whose command closed', () => {
  it('takes no more visits or people met', async () => {
    const command = await makeCommand(db, tree.towns[1]!, new Date().toISOString(), '镇指挥部');
    const res = await sweepOver(admin, tree.villages[2]!, { commandId: command });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await db
      .updateTable('incident_commands')
      .set({ closed_at: new Date().toISOString() })
      .where('id', '=', command)
      .execute();
    const target = await pendingAt(res.body.id, tree.grids[4]!);
    const late = await visit(gridworker5, res.body.id, target.id, answered(calm));
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('sweep.closed');
    expect(
      (
        await db
          .selectFrom('sweep_targets')
          .select('status')
          .where('id', '=', target.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('pending');
  });
});

describe('retention', () => {
  it('deletes the answers and risk levels of sweeps whose command closed 28 days ago, one audit row each; a second visit keeps the first one’s note', async () => {
    const command = await makeCommand(db, tree.towns[1]!, new Date().toISOString(), '留存指挥部');
    const res = await sweepOver(admin, tree.villages[2]!, { commandId: command });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [a, b] = [
      await pendingAt(res.body.id, tree.grids[4]!),
      await pendingAt(res.body.id, tree.grids[4]!, 1),
    ];
    expect(
      (await visit(gridworker5, res.body.id, a.id, answered({ ...calm, close_contact: true }))).status,
    ).toBe(200);
    // Not at home twice, the note with the first only: the note stays.
    expect(
      (await visit(gridworker5, res.body.id, b.id, { outcome: 'not_home', note: '邻居说出差' })).status,
    ).toBe(200);
    const noted = await db
      .selectFrom('sweep_targets')
      .select('answers_enc')
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow();
    expect((await visit(gridworker5, res.body.id, b.id, { outcome: 'not_home' })).status).toBe(200);
    const after = await db
      .selectFrom('sweep_targets')
      .select(['answers_enc', 'visits'])
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ answers_enc: noted.answers_enc, visits: 2 });
    // Closed 29 days ago: past the 28 days.
    await db
      .updateTable('incident_commands')
      .set({ closed_at: new Date(Date.now() - 29 * 86_400_000).toISOString() })
      .where('id', '=', command)
      .execute();
    const out = await t.app.linliScreening.purgeExpired({ actor: null, requestId: 'test-retention' });
    expect(out.purged).toBeGreaterThanOrEqual(2);
    const rows = await db
      .selectFrom('sweep_targets')
      .select(['answers_enc', 'risk', 'status'])
      .where('sweep_id', '=', res.body.id)
      .where('id', 'in', [a.id, b.id])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.answers_enc, r.risk])).toEqual([
      [null, null],
      [null, null],
    ]);
    // The outcomes stay for the counts.
    expect(rows.map((r) => r.status).sort()).toEqual(['answered', 'not_home']);
    const audit = await db
      .selectFrom('audit_log')
      .select(['entity_id'])
      .where('action', '=', 'sweep.purge')
      .where('entity_id', '=', String(res.body.id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(
      (await t.app.linliScreening.purgeExpired({ actor: null, requestId: 'test-retention-2' })).purged,
    ).toBe(0);
  });
});

describe('a sweep of the people a workbook lists by ID number', () => {
  /** A workbook of one sheet: a title row, then the header and the rows as given. */
  async function workbook(rows: (string | number)[][]) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['返乡人员名单']);
    ws.addRow(['序号', '公民身份号码', '备注']);
    rows.forEach((r, i) => ws.addRow([i + 1, ...r]));
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const fields = (village: TreeNode) => [
    { name: 'name', data: '返乡人员名单摸排' },
    { name: 'commandId', data: String(commandId) },
    { name: 'questionnaireId', data: String(questionnaireId) },
    { name: 'nodeId', data: String(village.id) },
    { name: 'deadline', data: DEADLINE },
  ];
  const send = (c: Client, parts: Parameters<typeof multipart>[0]) =>
    c.request({ method: 'POST', url: '/api/sweeps/import', ...multipart(parts) });

  it('targets the listed people of the place, each on their grid’s list, and names the rows not registered there', async () => {
    const village = tree.villages[0]!;
    const [a, b, outside] = [idOf(), idOf(), idOf()];
    const pa = await resident(tree.grids[0]!, { idNumber: a, type: 'registered' });
    const pb = await resident(tree.grids[1]!, { idNumber: b, type: 'registered' });
    const elsewhere = tree.grids.find((g) => !g.path.startsWith(village.path))!;
    await resident(elsewhere, { idNumber: outside });
    const stranger = idOf();
    const data = await workbook([
      [a, '网格一'],
      [b, ''],
      [a, '重复一行'],
      [outside, '外村'],
      [stranger, '未登记'],
    ]);
    const res = await send(cadre, [...fields(village), { name: 'file', filename: '名单.xlsx', data }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const body = res.body as {
      sweep: Sweep;
      rows: number;
      matched: number;
      unmatchedRows: number[];
    };
    // Rows 3–7 of the sheet (a title and the header above them): the repeat counted once, the
    // number registered in another village and the unregistered one named by row.
    expect(body).toMatchObject({ rows: 5, matched: 2, unmatchedRows: [6, 7] });
    expect(body.sweep.targets).toBe(2);
    const lists = await Promise.all(
      [tree.grids[0]!, tree.grids[1]!].map(async (g) =>
        targetsOf((await listOf(cadre, body.sweep.id, g)).body),
      ),
    );
    expect(lists.map((l) => l.map((x) => x.person.id))).toEqual([[pa], [pb]]);
    const row = await db
      .selectFrom('sweeps')
      .select('population_kind')
      .where('id', '=', body.sweep.id)
      .executeTakeFirstOrThrow();
    expect(row.population_kind).toBe('list');
    expect((await cadre.post(`/api/sweeps/${body.sweep.id}/close`, {})).status).toBe(200);
  });

  it('refuses a file with a malformed number, naming its row, and writes nothing', async () => {
    const before = await db
      .selectFrom('sweeps')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const data = await workbook([
      [idOf(), ''],
      ['33011219800101123', '少一位'],
      ['', '空'],
    ]);
    const res = await send(cadre, [
      ...fields(tree.villages[0]!),
      { name: 'file', filename: '名单.xlsx', data },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    const problem = res.body as Problem;
    expect(problem.issues?.map((i) => i.path)).toEqual(['file.rows.4.身份证号', 'file.rows.5.身份证号']);
    const after = await db
      .selectFrom('sweeps')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('checks the fields like a JSON body, and only those who manage sweeps there may send one', async () => {
    const data = await workbook([[idOf(), '']]);
    const bad = await send(cadre, [
      { name: 'name', data: '' },
      { name: 'commandId', data: '1e3' },
      { name: 'questionnaireId', data: String(questionnaireId) },
      { name: 'nodeId', data: String(tree.villages[0]!.id) },
      { name: 'deadline', data: '2031-02-30' },
      { name: 'file', filename: '名单.xlsx', data },
    ]);
    expect(bad.status, JSON.stringify(bad.body)).toBe(400);
    const paths = (bad.body as Problem).issues!.map((i) => i.path).sort();
    expect(paths).toEqual(['body.commandId', 'body.deadline', 'body.name']);
    const worker = await send(gridworker, [
      ...fields(tree.villages[0]!),
      { name: 'file', filename: '名单.xlsx', data },
    ]);
    expect(worker.status).toBe(403);
  });
});

describe('questionnaires', () => {
  const definition = {
    questions: [
      { key: 'fever', type: 'yes_no', label: { zh: '是否发热', en: 'Fever?' }, required: true },
      {
        key: 'since',
        type: 'date',
        label: { zh: '发热开始日期', en: 'Fever since' },
        required: true,
        showIf: { key: 'fever', equals: true },
      },
    ],
    riskRules: [{ level: 'high', when: [{ key: 'fever', op: 'eq', value: true }] }],
  };
  it('a new version of a code is its next version; earlier ones stay', async () => {
    const res = await commander.post<{ id: number; version: number; code: string } & Problem>(
      '/api/questionnaires',
      {
        code: 'epidemic_screening',
        title: { zh: '疫情防控摸排登记（第二版）', en: 'Epidemic screening (2)' },
        definition,
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ code: 'epidemic_screening', version: 2 });
    const list = await gridworker.get<{ items: { id: number; code: string; version: number }[] }>(
      '/api/questionnaires',
    );
    expect(list.body.items.filter((q) => q.code === 'epidemic_screening')).toEqual([
      expect.objectContaining({ id: res.body.id, version: 2 }),
    ]);
    const first = await gridworker.get<{ version: number }>(`/api/questionnaires/${questionnaireId}`);
    expect(first.body.version).toBe(1);
    expect(
      (
        await cadre.post('/api/questionnaires', {
          code: 'village_q',
          title: definition.questions[0]!.label,
          definition,
        })
      ).status,
    ).toBe(403);
  });

  it('a condition naming a later question, or a rule naming none, is refused', async () => {
    const bad = await commander.post<Problem>('/api/questionnaires', {
      code: 'bad_q',
      title: { zh: '坏问卷', en: 'Bad' },
      definition: {
        questions: [definition.questions[1], definition.questions[0]],
        riskRules: [{ level: 'medium', when: [{ key: 'nothing', op: 'eq', value: true }] }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues!.map((i) => [i.path, i.code])).toEqual([
      ['body.definition.questions.0.showIf', 'issue.questionnaire.condition'],
      ['body.definition.riskRules.0.when.0', 'issue.questionnaire.rule'],
    ]);
    expect(await db.selectFrom('questionnaires').select('id').where('code', '=', 'bad_q').execute()).toEqual(
      [],
    );
  });
});
