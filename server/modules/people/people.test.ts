// The people registry through HTTP: registration, scope, search through the blind index, masking,
// audited reveal, no plaintext at rest, export, merge, households and tags.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone, parseIdNumber } from '../../../common/validators.js';
import { buildApp } from '../../app.js';
import type { DB } from '../../db/index.js';
import { migrateToLatest, openDatabase } from '../../db/index.js';
import { verifyAuditChain } from '../../platform/audit.js';
import { ensureBuiltinRoles } from '../accounts/index.js';
import {
  buildTestApp,
  Client,
  TEST_DB,
  TEST_PII,
  testConfig,
  type TestApp,
  type TestResponse,
} from '../../test/harness.js';
import { makeCast, makeTree, type Tree, type TreeNode } from '../../test/factories.js';
import {
  cellText,
  importPeople,
  makeIdNumber,
  nthPhone,
  PEOPLE_HEAD,
  tableText,
  toCsv,
} from '../../test/routes.js';

let t: TestApp;
let tree: Tree;
let db: DB;
let admin: Client;
let cadre: Client;
let gridworker: Client;
let towncmd: Client;
let townadmin: Client;

// ------------------------------------------------------------------ identities used in this file
let seq = 0;
/** A fresh valid ID number; `endsWithX` keeps drawing until the check character is X. */
function freshId(opts: { endsWithX?: boolean; birth?: string } = {}): string {
  for (;;) {
    const id = makeIdNumber('330112', opts.birth ?? '19800101', seq++);
    if (!opts.endsWithX || id.endsWith('X')) return id;
  }
}
let phoneSeq = 0;
const freshPhone = () => nthPhone(11110000 + phoneSeq++);
/** Every clear ID number and phone this file ever sends: none may be found at rest or in the audit. */
const NEEDLES = new Set<string>();
const remember = (...values: string[]) => {
  for (const v of values) {
    NEEDLES.add(v);
    if (/^1\d{10}$/.test(v)) NEEDLES.add(`+86${v}`);
  }
};

interface Summary {
  id: number;
  name: string;
  idNumber: string | null;
  phone: string | null;
  gender: string | null;
  birthDate: string | null;
  residenceType: string;
  node: { id: number; name: string; fullCode: string };
  householdId: number | null;
  tags: string[];
}
interface Detail extends Summary {
  noIdReason: string | null;
  relationToHead: string | null;
  household: {
    id: number;
    address: string | null;
    members: { id: number; name: string; relation: string | null; isHead: boolean }[];
  } | null;
  history: { at: string; action: string; actor: string; detail: unknown }[];
  abilities: Record<string, boolean>;
}
interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface Problem {
  code: string;
  issues?: { path: string; message: string; code: string }[];
  existingId?: number;
  title: string;
}

async function register(c: Client, body: Record<string, unknown>): Promise<TestResponse<Detail>> {
  if (typeof body.idNumber === 'string') remember(body.idNumber.toUpperCase());
  if (typeof body.phone === 'string') remember(body.phone.replace(/\D/g, '').replace(/^86/, ''));
  return c.post<Detail>('/api/people', body);
}
async function registerOk(c: Client, body: Record<string, unknown>): Promise<Detail> {
  const res = await register(c, { residenceType: 'registered', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
const list = (c: Client, query = '') =>
  c.get<Paged<Summary>>(`/api/people?pageSize=200${query ? `&${query}` : ''}`);
const ids = (res: TestResponse<Paged<Summary>>) => res.body.items.map((i) => i.id).sort((a, b) => a - b);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const count = async (
  table: 'persons' | 'audit_log' | 'households' | 'person_history',
  where?: [string, string],
) => {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  if (where) q = q.where(where[0] as any, '=', where[1]);
  return Number((await q.executeTakeFirstOrThrow()).n);
};
const auditOf = (action: string) =>
  db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
/** The audit rows after a count: a refused request leaves only its access.denied trace. */
const auditActionsAfter = async (before: number) =>
  (await db.selectFrom('audit_log').select('action').orderBy('id').offset(before).limit(1000).execute()).map(
    (r) => r.action,
  );
const personRow = (id: number) =>
  db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** Persons (not merged away) whose grid lies under a path, straight from the database. */
async function idsUnder(p: string): Promise<number[]> {
  const rows = await db
    .selectFrom('persons')
    .select('id')
    .where('node_path', '>=', p)
    .where('node_path', '<', p.slice(0, -1) + '0')
    .where('merged_into_id', 'is', null)
    .execute();
  return sorted(rows.map((r) => r.id));
}
const MASKED_ID = /^[1-9]\d{5}\*{8}\d{3}[\dX]$/;
const MASKED_PHONE = /^1[3-9]\d\*{4}\d{4}$/;
const enc = encodeURIComponent;

// The cast of persons the list, search, reveal and export tests share.
const P: Record<string, { id: number; idNumber: string; phone: string | null; node: () => TreeNode }> = {};
const SHARED_PHONE = nthPhone(99990001);

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  admin = await t.login('admin');
  cadre = await t.login('cadre');
  gridworker = await t.login('gridworker');
  towncmd = await t.login('towncmd');
  townadmin = await t.login('townadmin');
  const g = tree.grids;
  const cast: [string, string, string | null, () => TreeNode, Record<string, unknown>][] = [
    ['p1', '张伟', freshPhone(), () => g[0]!, { tags: ['elderly_alone', 'party_member'] }],
    [
      'p2',
      '张敏',
      SHARED_PHONE,
      () => g[0]!,
      {
        tags: ['elderly_alone'],
        residenceType: 'floating',
        arrivalDate: '2024-03-01',
        originRegion: '安徽省歙县',
      },
    ],
    ['p3', '李张', null, () => g[0]!, { residenceType: 'returnee' }],
    ['p4', '王芳', SHARED_PHONE, () => g[1]!, { tags: ['party_member'] }],
    ['p5', '赵磊', freshPhone(), () => g[2]!, {}],
    ['p6', '张强', freshPhone(), () => g[4]!, { tags: ['elderly_alone'] }],
    ['p7', '孙丽', freshPhone(), () => g[6]!, {}],
  ];
  for (const [key, name, phone, node, extra] of cast) {
    const idNumber =
      key === 'p1'
        ? freshId({ endsWithX: true })
        : freshId({ birth: key === 'p2' ? '19721103' : '19800101' });
    const p = await registerOk(admin, {
      name,
      idNumber,
      ...(phone ? { phone } : {}),
      nodeId: node().id,
      ...extra,
    });
    P[key] = { id: p.id, idNumber, phone, node };
  }
});
afterAll(async () => t?.close());

// ------------------------------------------------------------------ registration
describe('registering a person (POST /api/people)', () => {
  it('a grid worker registers in their own grid: 201, masked ID and phone, gender and birth date from the ID', async () => {
    const idNumber = freshId({ birth: '19900515' });
    const phone = freshPhone();
    const res = await register(gridworker, {
      name: '钱多多',
      idNumber,
      phone: `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`,
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
      tags: ['volunteer'],
      address: '锦城街道某小区3幢201',
    });
    expect(res.status).toBe(201);
    const b = res.body;
    expect(b.idNumber).toBe(maskIdNumber(idNumber));
    expect(b.idNumber).toMatch(MASKED_ID);
    expect(b.phone).toBe(maskPhone(phone));
    expect(b.phone).toMatch(MASKED_PHONE);
    const parsed = parseIdNumber(idNumber);
    expect(parsed.ok).toBe(true);
    expect(b.birthDate).toBe('1990-05-15');
    expect(b.gender).toBe(parsed.ok ? parsed.value.gender : 'x');
    expect(b.node.id).toBe(tree.grids[0]!.id);
    expect(b.tags).toEqual(['volunteer']);
    expect(b.history.map((h) => [h.action, h.actor])).toEqual([['created', 'gridworker']]);
    expect(b.abilities).toEqual({ update: true, reveal: false, merge: false, observe: true });
    expect(JSON.stringify(b)).not.toContain(idNumber);
    expect(JSON.stringify(b)).not.toContain(phone);
    // At rest: ciphertext that decrypts to the normalised values, and the blind indexes.
    const row = await personRow(b.id);
    expect(row.id_number_enc).not.toContain(idNumber);
    expect(TEST_PII.decrypt(row.id_number_enc!)).toBe(idNumber);
    expect(TEST_PII.decrypt(row.phone_enc!)).toBe(`+86${phone}`);
    expect(row.id_number_bidx).toBe(TEST_PII.blindIndex('id', idNumber));
    expect(row.phone_bidx).toBe(TEST_PII.blindIndex('phone', `+86${phone}`));
    expect(row.node_path).toBe(tree.grids[0]!.path);
    const audit = (await auditOf('person.create')).at(-1)!;
    expect(audit.entity_id).toBe(String(b.id));
    expect(audit.actor_label).toBe('gridworker');
    expect(audit.node_path).toBe(tree.grids[0]!.path);
  });

  it('in another grid (grid A1b, or town B) the grid worker gets 403 and nothing is written', async () => {
    const before = await count('persons');
    for (const grid of [tree.grids[1]!, tree.grids[4]!]) {
      const res = await register(gridworker, {
        name: '越界',
        idNumber: freshId(),
        nodeId: grid.id,
        residenceType: 'registered',
      });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((res.body as unknown as Problem).code).toBe('forbidden');
    }
    expect(await count('persons')).toBe(before);
  });

  it('without an ID number and without a reason: 400 naming noIdReason; with a reason: 201', async () => {
    const before = await count('persons');
    const res = await register(gridworker, {
      name: '小宝',
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(res.status).toBe(400);
    const p = res.body as unknown as Problem;
    expect(p.code).toBe('validation_failed');
    expect(p.issues!.map((i) => i.path)).toContain('body.noIdReason');
    const nullId = await register(gridworker, {
      name: '小宝',
      idNumber: null,
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(nullId.status).toBe(400);
    expect((nullId.body as unknown as Problem).issues!.map((i) => i.path)).toContain('body.noIdReason');
    expect(await count('persons')).toBe(before);
    const ok = await registerOk(gridworker, {
      name: '小宝',
      noIdReason: 'child',
      nodeId: tree.grids[0]!.id,
      gender: 'male',
      birthDate: '2021-06-01',
    });
    expect(ok).toMatchObject({
      idNumber: null,
      noIdReason: 'child',
      gender: 'male',
      birthDate: '2021-06-01',
    });
  });

  it('an ID number already registered → 409 person.duplicate, whatever form it is typed in', async () => {
    const before = await count('persons');
    const id1 = P.p1!.idNumber; // ends with X
    for (const typed of [id1, id1.toLowerCase(), ` ${id1} `]) {
      const res = await register(gridworker, {
        name: '重复',
        idNumber: typed,
        nodeId: tree.grids[0]!.id,
        residenceType: 'registered',
      });
      expect(res.status, typed).toBe(409);
      const p = res.body as unknown as Problem;
      expect(p.code).toBe('person.duplicate');
      // The existing record is in the grid worker's scope: it is named.
      expect(p.existingId).toBe(P.p1!.id);
      expect(p.issues!.map((i) => i.path)).toEqual(['body.idNumber']);
    }
    // The legacy 15-digit form of p2's number is the same person.
    const id2 = P.p2!.idNumber;
    const legacy = id2.slice(0, 6) + id2.slice(8, 17);
    const res15 = await register(gridworker, {
      name: '重复',
      idNumber: legacy,
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(res15.status).toBe(409);
    expect((res15.body as unknown as Problem).code).toBe('person.duplicate');
    expect(await count('persons')).toBe(before);
  });

  it('a duplicate of someone outside the caller’s scope is 409 without naming the record', async () => {
    const res = await register(gridworker, {
      name: '重复',
      idNumber: P.p6!.idNumber,
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(res.status).toBe(409);
    const p = res.body as unknown as Problem;
    expect(p.code).toBe('person.duplicate');
    expect(p.existingId).toBeUndefined();
    expect(JSON.stringify(p)).not.toContain(String(P.p6!.id) + ')');
  });

  it('an invalid ID number or phone → 400 at that field; a village is not a grid → 400 person.node_not_grid', async () => {
    const before = await count('persons');
    const good = freshId();
    const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const a = await register(gridworker, {
      name: 'x',
      idNumber: badCheck,
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(a.status).toBe(400);
    expect((a.body as unknown as Problem).issues!.map((i) => i.path)).toEqual(['body.idNumber']);
    const b = await register(gridworker, {
      name: 'x',
      idNumber: freshId(),
      phone: '12800138000',
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(b.status).toBe(400);
    expect((b.body as unknown as Problem).issues!.map((i) => i.path)).toEqual(['body.phone']);
    const c = await register(cadre, {
      name: 'x',
      idNumber: freshId(),
      nodeId: tree.villages[0]!.id,
      residenceType: 'registered',
    });
    expect(c.status).toBe(400);
    expect((c.body as unknown as Problem).code).toBe('person.node_not_grid');
    const d = await register(gridworker, {
      name: 'x',
      idNumber: freshId(),
      nodeId: tree.grids[0]!.id,
      residenceType: 'tourist',
    });
    expect(d.status).toBe(400);
    expect(await count('persons')).toBe(before);
  });

  it('a town commander (people.read only) cannot register: 403', async () => {
    const res = await register(towncmd, {
      name: 'x',
      idNumber: freshId(),
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(res.status).toBe(403);
  });
});

describe('editing a person (PATCH /api/people/:id)', () => {
  it('changes the phone (re-encrypted, re-indexed, masked), keeps history and audit; refuses duplicates and moves out of scope', async () => {
    const p = await registerOk(gridworker, {
      name: '周改',
      idNumber: freshId(),
      phone: freshPhone(),
      nodeId: tree.grids[0]!.id,
    });
    const newPhone = freshPhone();
    remember(newPhone);
    const res = await gridworker.patch<Detail>(`/api/people/${p.id}`, { phone: newPhone });
    expect(res.status).toBe(200);
    expect(res.body.phone).toBe(maskPhone(newPhone));
    expect(res.body.history.map((h) => h.action)).toEqual(['updated', 'created']);
    expect(res.body.history[0]!.detail).toEqual({ fields: ['phone'] });
    const row = await personRow(p.id);
    expect(TEST_PII.decrypt(row.phone_enc!)).toBe(`+86${newPhone}`);
    expect(row.phone_bidx).toBe(TEST_PII.blindIndex('phone', `+86${newPhone}`));
    expect(ids(await list(gridworker, `q=${newPhone}`))).toEqual([p.id]);
    expect((await auditOf('person.update')).at(-1)).toMatchObject({
      entity_id: String(p.id),
      actor_label: 'gridworker',
    });

    const dup = await gridworker.patch<Problem>(`/api/people/${p.id}`, { idNumber: P.p1!.idNumber });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('person.duplicate');
    const away = await gridworker.patch<Problem>(`/api/people/${p.id}`, { nodeId: tree.grids[1]!.id });
    expect(away.status).toBe(403);
    expect((await personRow(p.id)).node_id).toBe(tree.grids[0]!.id);
    // Removing the ID number needs a reason.
    const noReason = await gridworker.patch<Problem>(`/api/people/${p.id}`, { idNumber: null });
    expect(noReason.status).toBe(400);
    expect(noReason.body.issues!.map((i) => i.path)).toContain('body.noIdReason');
    const withReason = await gridworker.patch<Detail>(`/api/people/${p.id}`, {
      idNumber: null,
      noIdReason: 'other',
    });
    expect(withReason.status).toBe(200);
    expect(withReason.body).toMatchObject({ idNumber: null, noIdReason: 'other' });
    expect((await personRow(p.id)).id_number_bidx).toBeNull();
  });

  it('a person without an ID number keeps a reason: clearing the reason alone is 400', async () => {
    const p = await registerOk(gridworker, { name: '无证', noIdReason: 'child', nodeId: tree.grids[0]!.id });
    const res = await gridworker.patch<Problem>(`/api/people/${p.id}`, { noIdReason: null });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.issues?.map((i) => i.path)).toContain('body.noIdReason');
    expect((await personRow(p.id)).no_id_reason).toBe('child');
  });

  it('a person given an ID number has no no-ID reason, even when the edit sends one', async () => {
    const p = await registerOk(gridworker, {
      name: '补证',
      noIdReason: 'not_collected',
      nodeId: tree.grids[0]!.id,
    });
    const idNumber = freshId({ birth: '19991231' });
    remember(idNumber);
    const res = await gridworker.patch<Detail>(`/api/people/${p.id}`, { idNumber, noIdReason: 'child' });
    // Either refused, or stored without the contradictory reason (as registration and merge do).
    if (res.status !== 400) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ idNumber: maskIdNumber(idNumber), noIdReason: null });
      expect((await personRow(p.id)).no_id_reason).toBeNull();
    }
  });

  it('a person in another grid cannot be edited by the grid worker: 403', async () => {
    const res = await gridworker.patch(`/api/people/${P.p4!.id}`, { notes: 'x' });
    expect(res.status).toBe(403);
    expect((await personRow(P.p4!.id)).notes).toBeNull();
  });
});

// ------------------------------------------------------------------ lists and search
describe('listing and searching (GET /api/people)', () => {
  it('a grid worker sees exactly grid A1a’s people, each item in that grid', async () => {
    const res = await list(gridworker);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const i of res.body.items) expect(i.node.id, i.name).toBe(tree.grids[0]!.id);
    expect(ids(res)).toEqual(await idsUnder(tree.grids[0]!.path));
    expect(res.body.total).toBe(res.body.items.length);
    expect(ids(res)).not.toContain(P.p4!.id);
  });

  it('a town commander sees exactly town A’s people', async () => {
    const res = await list(towncmd);
    expect(res.status).toBe(200);
    const townGrids = new Set(tree.grids.slice(0, 4).map((g) => g.id));
    for (const i of res.body.items) expect(townGrids.has(i.node.id), i.name).toBe(true);
    expect(ids(res)).toEqual(await idsUnder(tree.towns[0]!.path));
    expect(ids(res)).toEqual(expect.arrayContaining([P.p1!.id, P.p4!.id, P.p5!.id]));
    expect(ids(res)).not.toContain(P.p6!.id);
  });

  it('?node= narrows to a subtree inside the scope and is 403 outside it', async () => {
    expect(ids(await list(cadre, `node=${tree.grids[1]!.id}`))).toEqual(await idsUnder(tree.grids[1]!.path));
    expect((await list(gridworker, `node=${tree.grids[1]!.id}`)).status).toBe(403);
    expect((await list(towncmd, `node=${tree.towns[1]!.id}`)).status).toBe(403);
    expect((await list(cadre, `node=${tree.villages[1]!.id}`)).status).toBe(403);
  });

  it('items are masked, and no clear ID number or phone appears anywhere in a list', async () => {
    const res = await list(admin);
    expect(res.body.items.length).toBeGreaterThanOrEqual(7);
    const clear = new Map(Object.values(P).map((p) => [p.id, p]));
    for (const i of res.body.items) {
      if (i.idNumber !== null) expect(i.idNumber).toMatch(MASKED_ID);
      if (i.phone !== null) expect(i.phone).toMatch(MASKED_PHONE);
      const c = clear.get(i.id);
      if (c) {
        expect(i.idNumber).toBe(maskIdNumber(c.idNumber));
        expect(i.phone).toBe(c.phone ? maskPhone(c.phone) : null);
      }
    }
    const text = JSON.stringify(res.body);
    for (const n of NEEDLES) expect(text.includes(n), n).toBe(false);
  });

  it('finds a person by their exact ID number (18 digits, lower-case x, or the 15-digit legacy form)', async () => {
    const id1 = P.p1!.idNumber;
    expect(ids(await list(cadre, `q=${id1}`))).toEqual([P.p1!.id]);
    expect(ids(await list(cadre, `q=${id1.toLowerCase()}`))).toEqual([P.p1!.id]);
    const id2 = P.p2!.idNumber;
    expect(ids(await list(cadre, `q=${id2.slice(0, 6)}${id2.slice(8, 17)}`))).toEqual([P.p2!.id]);
    // Not a substring search: a part of the number, or its mask, finds nobody.
    expect((await list(cadre, `q=${id1.slice(0, 10)}`)).body.total).toBe(0);
    expect((await list(cadre, `q=${id1.slice(0, 17)}`)).body.total).toBe(0);
    expect((await list(cadre, `q=${enc(maskIdNumber(id1))}`)).body.total).toBe(0);
  });

  it('finds a person by phone in any usual form; a shared phone finds everyone in scope who has it', async () => {
    const ph = P.p1!.phone!;
    for (const q of [ph, `+86${ph}`, `0086${ph}`, `${ph.slice(0, 3)} ${ph.slice(3, 7)} ${ph.slice(7)}`]) {
      expect(ids(await list(cadre, `q=${enc(q)}`)), q).toEqual([P.p1!.id]);
    }
    expect((await list(cadre, `q=${ph.slice(0, 7)}`)).body.total).toBe(0);
    expect(ids(await list(cadre, `q=${SHARED_PHONE}`))).toEqual(sorted([P.p2!.id, P.p4!.id]));
    expect(ids(await list(gridworker, `q=${SHARED_PHONE}`))).toEqual([P.p2!.id]);
  });

  it('an exact search never reaches outside the scope', async () => {
    expect((await list(cadre, `q=${P.p6!.idNumber}`)).body).toMatchObject({ items: [], total: 0 });
    expect((await list(towncmd, `q=${P.p6!.phone}`)).body).toMatchObject({ items: [], total: 0 });
    expect(ids(await list(admin, `q=${P.p6!.idNumber}`))).toEqual([P.p6!.id]);
  });

  it('finds by name prefix, not by a character in the middle', async () => {
    const res = await list(cadre, `q=${enc('张')}`);
    expect(ids(res)).toEqual(sorted([P.p1!.id, P.p2!.id]));
    expect(res.body.items.every((i) => i.name.startsWith('张'))).toBe(true);
    expect(ids(await list(admin, `q=${enc('张')}`))).toEqual(sorted([P.p1!.id, P.p2!.id, P.p6!.id]));
    expect(ids(await list(cadre, `q=${enc('张伟')}`))).toEqual([P.p1!.id]);
    expect(ids(await list(cadre, `q=${enc('李')}`))).toEqual([P.p3!.id]);
    expect((await list(cadre, `q=${enc('%')}`)).body.total).toBe(0);
  });

  it('filters by tag (several tags: all of them), by residence type, and combines filters', async () => {
    expect(ids(await list(cadre, 'tag=elderly_alone'))).toEqual(sorted([P.p1!.id, P.p2!.id]));
    expect(ids(await list(cadre, 'tag=party_member'))).toEqual(sorted([P.p1!.id, P.p4!.id]));
    expect(ids(await list(cadre, 'tag=elderly_alone&tag=party_member'))).toEqual([P.p1!.id]);
    expect(ids(await list(admin, 'tag=elderly_alone'))).toEqual(sorted([P.p1!.id, P.p2!.id, P.p6!.id]));
    for (const i of (await list(admin, 'tag=party_member')).body.items)
      expect(i.tags).toContain('party_member');
    expect(ids(await list(cadre, 'type=floating'))).toEqual([P.p2!.id]);
    expect(ids(await list(cadre, 'type=returnee'))).toEqual([P.p3!.id]);
    for (const i of (await list(admin, 'type=registered')).body.items)
      expect(i.residenceType).toBe('registered');
    expect(ids(await list(cadre, `q=${enc('张')}&type=registered`))).toEqual([P.p1!.id]);
    expect(ids(await list(cadre, `q=${enc('张')}&tag=elderly_alone&type=floating`))).toEqual([P.p2!.id]);
    expect((await list(cadre, 'type=tourist')).status).toBe(400);
  });

  it('pages through a stable order with a correct total', async () => {
    const all = await list(admin);
    const seen: number[] = [];
    for (let page = 1; page <= Math.ceil(all.body.total / 3); page++) {
      const res = await admin.get<Paged<Summary>>(`/api/people?pageSize=3&page=${page}`);
      expect(res.body).toMatchObject({ page, pageSize: 3, total: all.body.total });
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((i) => i.id));
    }
    expect(seen).toEqual(all.body.items.map((i) => i.id));
    expect(new Set(seen).size).toBe(all.body.total);
  });
});

describe('person detail (GET /api/people/:id)', () => {
  it('is masked, carries abilities per role, and is 403 outside the scope, 404 when unknown', async () => {
    const g = await gridworker.get<Detail>(`/api/people/${P.p2!.id}`);
    expect(g.status).toBe(200);
    expect(g.body).toMatchObject({
      idNumber: maskIdNumber(P.p2!.idNumber),
      phone: maskPhone(SHARED_PHONE),
      residenceType: 'floating',
      arrivalDate: '2024-03-01',
      originRegion: '安徽省歙县',
      birthDate: '1972-11-03',
    });
    expect(g.body.abilities).toEqual({ update: true, reveal: false, merge: false, observe: true });
    expect((await cadre.get<Detail>(`/api/people/${P.p2!.id}`)).body.abilities).toEqual({
      update: true,
      reveal: true,
      merge: true,
      observe: true,
    });
    expect((await towncmd.get<Detail>(`/api/people/${P.p2!.id}`)).body.abilities).toEqual({
      update: false,
      reveal: true,
      merge: true,
      // The town's commander reads home observation; the village and the grid order it.
      observe: false,
    });
    expect((await gridworker.get(`/api/people/${P.p4!.id}`)).status).toBe(403);
    expect((await towncmd.get(`/api/people/${P.p6!.id}`)).status).toBe(403);
    expect((await admin.get('/api/people/999999')).status).toBe(404);
  });
});

// ------------------------------------------------------------------ reveal
describe('reveal (POST /api/people/:id/reveal)', () => {
  let reveals = 0;

  it('without a reason → 400, and nothing is audited', async () => {
    const before = await count('audit_log');
    for (const body of [
      { field: 'phone' },
      { field: 'phone', reason: '' },
      { field: 'phone', reason: ' 查 ' },
      { field: 'idNumber', reason: null },
    ]) {
      const res = await cadre.post<Problem>(`/api/people/${P.p1!.id}/reveal`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.issues!.map((i) => i.path)).toContain('body.reason');
    }
    expect(
      (await cadre.post(`/api/people/${P.p1!.id}/reveal`, { field: 'address', reason: '核实身份' })).status,
    ).toBe(400);
    expect(await count('audit_log')).toBe(before);
    expect(await count('person_history', ['action', 'revealed'])).toBe(0);
  });

  it('a village cadre with a reason gets the clear value, once per call, and each call is audited', async () => {
    const a = await cadre.post<{ field: string; value: string }>(`/api/people/${P.p1!.id}/reveal`, {
      field: 'idNumber',
      reason: '核实身份 checking identity',
    });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ field: 'idNumber', value: P.p1!.idNumber });
    expect(a.body.value.endsWith('X')).toBe(true);
    const b = await cadre.post(`/api/people/${P.p1!.id}/reveal`, {
      field: 'phone',
      reason: '电话回访 follow-up call',
    });
    expect(b.body).toEqual({ field: 'phone', value: `+86${P.p1!.phone!}` });
    const none = await cadre.post(`/api/people/${P.p3!.id}/reveal`, { field: 'phone', reason: '电话回访' });
    expect(none.body).toEqual({ field: 'phone', value: null });
    reveals += 3;
  });

  it('a town commander reveals in town A but not in town B', async () => {
    const ok = await towncmd.post(`/api/people/${P.p5!.id}/reveal`, { field: 'phone', reason: '走访核实' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ field: 'phone', value: `+86${P.p5!.phone!}` });
    reveals += 1;
    const out = await towncmd.post<Problem>(`/api/people/${P.p6!.id}/reveal`, {
      field: 'idNumber',
      reason: '走访核实',
    });
    expect(out.status).toBe(403);
    expect(out.body.code).toBe('forbidden');
    expect(JSON.stringify(out.body)).not.toContain(P.p6!.idNumber);
  });

  it('outside the scope, or without people.reveal, → 403; an unknown person → 404', async () => {
    const before = await count('audit_log');
    // The cadre's village is A1; p5 lives in village A2.
    expect(
      (await cadre.post(`/api/people/${P.p5!.id}/reveal`, { field: 'phone', reason: '核实身份' })).status,
    ).toBe(403);
    // A grid worker has no reveal permission, even in their own grid.
    const g = await gridworker.post(`/api/people/${P.p1!.id}/reveal`, {
      field: 'idNumber',
      reason: '核实身份',
    });
    expect(g.status).toBe(403);
    expect(JSON.stringify(g.body)).not.toContain(P.p1!.idNumber);
    expect(
      (await cadre.post('/api/people/999999/reveal', { field: 'phone', reason: '核实身份' })).status,
    ).toBe(404);
    expect(await auditActionsAfter(before)).toEqual(['access.denied', 'access.denied']);
  });

  it('every reveal left one person.reveal audit row with the field and the reason, placed at the person', async () => {
    const rows = await auditOf('person.reveal');
    expect(rows).toHaveLength(reveals);
    const got = rows.map((r) => ({
      who: r.actor_label,
      entity: r.entity_id,
      at: r.node_path,
      detail: JSON.parse(r.detail!) as unknown,
    }));
    expect(got).toEqual([
      {
        who: 'cadre',
        entity: String(P.p1!.id),
        at: tree.grids[0]!.path,
        detail: { field: 'idNumber', reason: '核实身份 checking identity' },
      },
      {
        who: 'cadre',
        entity: String(P.p1!.id),
        at: tree.grids[0]!.path,
        detail: { field: 'phone', reason: '电话回访 follow-up call' },
      },
      {
        who: 'cadre',
        entity: String(P.p3!.id),
        at: tree.grids[0]!.path,
        detail: { field: 'phone', reason: '电话回访' },
      },
      {
        who: 'towncmd',
        entity: String(P.p5!.id),
        at: tree.grids[2]!.path,
        detail: { field: 'phone', reason: '走访核实' },
      },
    ]);
  });

  it('the person’s history shows the reveals; the administrator finds them in the audit viewer', async () => {
    const d = await cadre.get<Detail>(`/api/people/${P.p1!.id}`);
    const revealed = d.body.history.filter((h) => h.action === 'revealed');
    expect(revealed.map((h) => [h.actor, h.detail])).toEqual([
      ['cadre', { field: 'phone', reason: '电话回访 follow-up call' }],
      ['cadre', { field: 'idNumber', reason: '核实身份 checking identity' }],
    ]);
    const a = await admin.get<Paged<{ action: string; entityId: string; detail: unknown }>>(
      '/api/audit?action=person.reveal&pageSize=50',
    );
    expect(a.status).toBe(200);
    expect(a.body.items.map((i) => i.entityId).sort()).toEqual(
      [String(P.p1!.id), String(P.p1!.id), String(P.p3!.id), String(P.p5!.id)].sort(),
    );
  });

  it('no clear ID number or phone anywhere in audit_log or person_history', async () => {
    const audit = await tableText(db, 'audit_log');
    const history = await tableText(db, 'person_history');
    expect(NEEDLES.size).toBeGreaterThan(10);
    for (const n of NEEDLES) {
      expect(audit.includes(n), `audit_log holds ${n}`).toBe(false);
      expect(history.includes(n), `person_history holds ${n}`).toBe(false);
    }
    // The check can fail: the reasons given are there in clear.
    expect(audit).toContain('核实身份 checking identity');
  });
});

// ------------------------------------------------------------------ export
async function readXlsx(res: TestResponse): Promise<{ header: string[]; rows: string[][] }> {
  expect(res.status, String(res.body).slice(0, 300)).toBe(200);
  expect(String(res.headers['content-type'])).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  const all: string[][] = [];
  ws.eachRow((r) =>
    all.push(Array.from({ length: ws.columnCount }, (_, k) => cellText(r.getCell(k + 1).value))),
  );
  return { header: all[0]!, rows: all.slice(1) };
}
async function sheetNameOf(res: TestResponse) {
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
  return wb.worksheets[0]!.name;
}
const EXPORT_HEAD = [
  '姓名',
  '身份证号',
  '手机号',
  '性别',
  '出生日期',
  '人员类型',
  '所属网格',
  '网格编码',
  '现住址',
  '民族',
  '来源地',
  '到达日期',
  '标签',
];

describe('export (POST /api/people/export)', () => {
  it('is masked by default, holds exactly the caller’s scope, and is audited with the row count', async () => {
    const res = await cadre.post('/api/people/export', {});
    const { header, rows } = await readXlsx(res);
    expect(header).toEqual(EXPORT_HEAD);
    const inScope = await idsUnder(tree.villages[0]!.path);
    expect(rows).toHaveLength(inScope.length);
    const villageCodes = [tree.grids[0]!.fullCode, tree.grids[1]!.fullCode];
    for (const r of rows) expect(villageCodes).toContain(r[7]);
    const p1 = rows.find((r) => r[0] === '张伟')!;
    expect(p1[1]).toBe(maskIdNumber(P.p1!.idNumber));
    expect(p1[2]).toBe(maskPhone(P.p1!.phone!));
    expect(p1[12]).toContain('党员');
    for (const r of rows) {
      if (r[1]) expect(r[1]).toMatch(MASKED_ID);
      if (r[2]) expect(r[2]).toMatch(MASKED_PHONE);
    }
    const text = JSON.stringify(rows);
    for (const n of NEEDLES) expect(text.includes(n), n).toBe(false);
    expect(JSON.parse((await auditOf('person.export')).at(-1)!.detail!)).toMatchObject({
      rows: inScope.length,
    });
  });

  it('filters like the list: tag and residence type', async () => {
    const { rows } = await readXlsx(await cadre.post('/api/people/export', { tag: ['elderly_alone'] }));
    expect(rows.map((r) => r[0]).sort()).toEqual(['张伟', '张敏'].sort());
    const floating = await readXlsx(await cadre.post('/api/people/export', { type: 'floating' }));
    expect(floating.rows.map((r) => r[0])).toEqual(['张敏']);
    expect(floating.rows[0]![5]).toBe('流动人口');
  });

  it('in the language asked: Chinese sheet and headers by default, English ones for English', async () => {
    const zh = await cadre.post('/api/people/export', { type: 'floating' });
    expect(await sheetNameOf(zh)).toBe('人员');
    const en = await cadre.request({
      method: 'POST',
      url: '/api/people/export',
      payload: { tag: ['elderly_alone'] },
      headers: { 'accept-language': 'en' },
    });
    expect(await sheetNameOf(en)).toBe('People');
    const { header, rows } = await readXlsx(en);
    expect(header).toEqual([
      'Name',
      'ID number',
      'Phone',
      'Gender',
      'Birth date',
      'Residence type',
      'Grid',
      'Grid code',
      'Address',
      'Ethnicity',
      'Origin',
      'Arrival date',
      'Tags',
    ]);
    expect(rows.map((r) => r[0]).sort()).toEqual(['张伟', '张敏'].sort());
    const p1 = rows.find((r) => r[0] === '张伟')!;
    expect(p1[12]).toContain('Party member');
    expect(p1[3]).toMatch(/^(Male|Female)$/);
    expect(rows.find((r) => r[0] === '张敏')![5]).toBe('Floating');
    // Labels (gender, residence type, tags) carry no Chinese; only data (names, places) may.
    for (const r of rows) for (const k of [3, 5, 12]) expect(r[k]).not.toMatch(/[\u3400-\u9fff]/);
  });

  it('unmasked: without a reason 400, without people.reveal 403, outside the reveal scope 403', async () => {
    const before = await count('audit_log');
    const noReason = await cadre.post<Problem>('/api/people/export', { unmasked: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.issues!.map((i) => i.path)).toContain('body.reason');
    expect((await gridworker.post('/api/people/export', { unmasked: true, reason: '上报名单' })).status).toBe(
      403,
    );
    expect(
      (
        await cadre.post('/api/people/export', {
          unmasked: true,
          reason: '上报名单',
          node: tree.villages[1]!.id,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await towncmd.post('/api/people/export', {
          unmasked: true,
          reason: '上报名单',
          node: tree.towns[1]!.id,
        })
      ).status,
    ).toBe(403);
    expect((await gridworker.post('/api/people/export', { node: tree.grids[1]!.id })).status).toBe(403);
    expect(await auditActionsAfter(before)).toEqual(Array<string>(4).fill('access.denied'));
  });

  it('unmasked as a cadre with a reason: clear values, and an audit row person.export_unmasked with the row count', async () => {
    const res = await cadre.post('/api/people/export', {
      unmasked: true,
      reason: '上报民政局 report to civil affairs',
    });
    const { rows } = await readXlsx(res);
    const inScope = await idsUnder(tree.villages[0]!.path);
    expect(rows).toHaveLength(inScope.length);
    const p1 = rows.find((r) => r[0] === '张伟')!;
    expect(p1[1]).toBe(P.p1!.idNumber);
    expect(p1[2]).toBe(`+86${P.p1!.phone!}`);
    expect(rows.find((r) => r[0] === '王芳')![2]).toBe(`+86${SHARED_PHONE}`);
    const audit = (await auditOf('person.export_unmasked')).at(-1)!;
    expect(audit.actor_label).toBe('cadre');
    expect(JSON.parse(audit.detail!)).toMatchObject({
      rows: inScope.length,
      reason: '上报民政局 report to civil affairs',
    });
    // The audit row itself holds no clear value.
    for (const n of NEEDLES) expect(audit.detail!.includes(n)).toBe(false);
  });
});

// ------------------------------------------------------------------ merge
describe('merge (POST /api/people/:id/merge)', () => {
  it('joins a record without ID (but with a phone) into one with an ID: survivor has both, tags united, the other disappears', async () => {
    const idNumber = freshId({ birth: '19550707' });
    const phone = freshPhone();
    const m1 = await registerOk(gridworker, {
      name: '吴大爷',
      idNumber,
      nodeId: tree.grids[0]!.id,
      tags: ['disabled'],
    });
    const m2 = await registerOk(gridworker, {
      name: '吴大爷',
      noIdReason: 'not_collected',
      phone,
      nodeId: tree.grids[0]!.id,
      tags: ['key_care', 'disabled'],
      address: '锦城街道吴家弄5号',
    });
    expect(ids(await list(cadre, `q=${enc('吴大爷')}`))).toEqual(sorted([m1.id, m2.id]));
    const auditsBefore = (await auditOf('person.merge')).length;

    const res = await cadre.post<Detail>(`/api/people/${m1.id}/merge`, {
      otherId: m2.id,
      reason: '同一人重复登记',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: m1.id,
      idNumber: maskIdNumber(idNumber),
      phone: maskPhone(phone),
      address: '锦城街道吴家弄5号',
      birthDate: '1955-07-07',
    });
    expect([...res.body.tags].sort()).toEqual(['disabled', 'key_care']);
    expect(res.body.history.find((h) => h.action === 'merged_in')).toMatchObject({
      actor: 'cadre',
      detail: { from: m2.id, reason: '同一人重复登记' },
    });

    const gone = await personRow(m2.id);
    expect(gone.merged_into_id).toBe(m1.id);
    expect(gone.phone_bidx).toBeNull();
    expect(ids(await list(cadre, `q=${enc('吴大爷')}`))).toEqual([m1.id]);
    expect(ids(await list(cadre))).not.toContain(m2.id);
    expect(ids(await list(cadre, `q=${phone}`))).toEqual([m1.id]);
    expect(ids(await list(cadre, `q=${idNumber}`))).toEqual([m1.id]);
    const other = await cadre.get<Detail>(`/api/people/${m2.id}`);
    expect(other.body.history.find((h) => h.action === 'merged_into')).toMatchObject({
      detail: { into: m1.id, reason: '同一人重复登记' },
    });
    expect(other.body.abilities).toMatchObject({ update: false, merge: false });
    // The survivor's phone is the other's, in clear on reveal.
    expect(
      (await cadre.post(`/api/people/${m1.id}/reveal`, { field: 'phone', reason: '合并后核实' })).body,
    ).toEqual({ field: 'phone', value: `+86${phone}` });

    const audits = await auditOf('person.merge');
    expect(audits).toHaveLength(auditsBefore + 1);
    expect(audits.at(-1)).toMatchObject({
      entity_id: String(m1.id),
      actor_label: 'cadre',
      node_path: tree.grids[0]!.path,
    });
    expect(JSON.parse(audits.at(-1)!.detail!)).toEqual({ otherId: m2.id, reason: '同一人重复登记' });

    // A merged record can be neither merged again nor edited.
    expect(
      (await cadre.post<Problem>(`/api/people/${m1.id}/merge`, { otherId: m2.id, reason: '再次合并' })).body
        .code,
    ).toBe('person.merged');
    expect((await gridworker.patch(`/api/people/${m2.id}`, { notes: 'x' })).status).toBe(409);
  });

  it('when the survivor has no ID number it takes the other’s, and the ID stays unique', async () => {
    const idNumber = freshId({ birth: '19601212' });
    const m3 = await registerOk(gridworker, {
      name: '郑先生',
      noIdReason: 'not_collected',
      phone: freshPhone(),
      nodeId: tree.grids[0]!.id,
    });
    const m4 = await registerOk(gridworker, { name: '郑先生', idNumber, nodeId: tree.grids[0]!.id });
    const res = await cadre.post<Detail>(`/api/people/${m3.id}/merge`, { otherId: m4.id, reason: '同一人' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      idNumber: maskIdNumber(idNumber),
      noIdReason: null,
      birthDate: '1960-12-12',
    });
    expect(ids(await list(cadre, `q=${idNumber}`))).toEqual([m3.id]);
    const dup = await register(gridworker, {
      name: '郑先生',
      idNumber,
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
    });
    expect(dup.status).toBe(409);
    expect((dup.body as unknown as Problem).existingId).toBe(m3.id);
  });

  it('across scopes, with itself, or without people.merge → refused and nothing changes', async () => {
    const m5 = await registerOk(gridworker, { name: '冯', idNumber: freshId(), nodeId: tree.grids[0]!.id });
    const before = await count('person_history');
    // The cadre (village A1) with someone in village A2 or town B, either way round.
    expect(
      (await cadre.post(`/api/people/${m5.id}/merge`, { otherId: P.p5!.id, reason: '同一人' })).status,
    ).toBe(403);
    expect(
      (await cadre.post(`/api/people/${P.p5!.id}/merge`, { otherId: m5.id, reason: '同一人' })).status,
    ).toBe(403);
    expect(
      (await towncmd.post(`/api/people/${P.p1!.id}/merge`, { otherId: P.p6!.id, reason: '同一人' })).status,
    ).toBe(403);
    expect(
      (await towncmd.post(`/api/people/${P.p6!.id}/merge`, { otherId: P.p1!.id, reason: '同一人' })).status,
    ).toBe(403);
    expect(
      (await gridworker.post(`/api/people/${m5.id}/merge`, { otherId: P.p1!.id, reason: '同一人' })).status,
    ).toBe(403);
    const self = await cadre.post<Problem>(`/api/people/${m5.id}/merge`, {
      otherId: m5.id,
      reason: '同一人',
    });
    expect(self.status).toBe(400);
    expect((await cadre.post(`/api/people/${m5.id}/merge`, { otherId: P.p1!.id })).status).toBe(400);
    for (const id of [m5.id, P.p5!.id, P.p1!.id, P.p6!.id])
      expect((await personRow(id)).merged_into_id).toBeNull();
    expect(await count('person_history')).toBe(before);
  });
});

// ------------------------------------------------------------------ households
describe('households', () => {
  const hh: Record<string, number> = {};
  beforeAll(async () => {
    const row = (name: string, grid: TreeNode, key: string, rel: string, birth: string) => {
      const id = freshId({ birth });
      remember(id);
      return [name, id, '', `${key}号院`, grid.fullCode, '户籍人口', '', key, rel];
    };
    const file = toCsv([
      [...PEOPLE_HEAD],
      row('陈子', tree.grids[0]!, 'HA', '子', '20100101'),
      row('陈父', tree.grids[0]!, 'HA', '户主', '19780101'),
      row('陈母', tree.grids[0]!, 'HA', '配偶', '19800202'),
      row('周一', tree.grids[1]!, 'HB', '户主', '19700101'),
      row('周二', tree.grids[1]!, 'HB', '子女', '20000101'),
    ]);
    const res = await importPeople(cadre, { name: 'hh.csv', data: file });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 5, rejected: 0 });
    const townB = await importPeople(admin, {
      name: 'hhb.csv',
      data: toCsv([[...PEOPLE_HEAD], row('韩一', tree.grids[4]!, 'HC', '户主', '19650101')]),
    });
    expect(townB.body.imported).toBe(1);
    for (const name of ['陈父', '周一', '韩一']) {
      const p = await db
        .selectFrom('persons')
        .select('household_id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      hh[name] = p.household_id!;
    }
  });

  it('a grid worker lists only their grid’s households', async () => {
    const res = await gridworker.get<
      Paged<{ id: number; node: { id: number }; headName: string | null; memberCount: number }>
    >('/api/households?pageSize=100');
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const h of res.body.items) expect(h.node.id).toBe(tree.grids[0]!.id);
    const inGrid = await db
      .selectFrom('households')
      .select('id')
      .where('node_id', '=', tree.grids[0]!.id)
      .execute();
    expect(res.body.items.map((h) => h.id).sort((a, b) => a - b)).toEqual(sorted(inGrid.map((h) => h.id)));
    expect(res.body.items.find((h) => h.id === hh['陈父'])).toMatchObject({
      headName: '陈父',
      memberCount: 3,
    });
    expect((await gridworker.get(`/api/households?node=${tree.grids[1]!.id}`)).status).toBe(403);
  });

  it('a town commander lists town A’s households, not town B’s', async () => {
    const res = await towncmd.get<Paged<{ id: number }>>('/api/households?pageSize=100');
    const got = res.body.items.map((h) => h.id);
    expect(got).toEqual(expect.arrayContaining([hh['陈父'], hh['周一']]));
    expect(got).not.toContain(hh['韩一']);
  });

  it('a household’s detail: head and members with relations; another grid’s household is 403', async () => {
    const res = await gridworker.get<{
      headName: string;
      memberCount: number;
      members: (Summary & { relation: string; isHead: boolean })[];
    }>(`/api/households/${hh['陈父']}`);
    expect(res.status).toBe(200);
    expect(res.body.headName).toBe('陈父');
    expect(res.body.memberCount).toBe(3);
    expect(res.body.members.map((m) => [m.name, m.relation, m.isHead]).sort()).toEqual(
      [
        ['陈子', '子', false],
        ['陈父', '户主', true],
        ['陈母', '配偶', false],
      ].sort(),
    );
    for (const m of res.body.members) expect(m.idNumber).toMatch(MASKED_ID);
    expect((await gridworker.get(`/api/households/${hh['周一']}`)).status).toBe(403);
    expect((await towncmd.get(`/api/households/${hh['韩一']}`)).status).toBe(403);
    expect((await cadre.get(`/api/households/${hh['周一']}`)).status).toBe(200);
    expect((await admin.get('/api/households/999999')).status).toBe(404);
    // The person detail shows the household too.
    const kid = await db
      .selectFrom('persons')
      .select('id')
      .where('name', '=', '陈子')
      .executeTakeFirstOrThrow();
    const d = await gridworker.get<Detail>(`/api/people/${kid.id}`);
    expect(d.body.household?.id).toBe(hh['陈父']);
    expect(d.body.household?.members.find((m) => m.isHead)?.name).toBe('陈父');
    expect(d.body.relationToHead).toBe('子');
  });
});

// ------------------------------------------------------------------ tags
describe('tags', () => {
  const BUILTIN = [
    'elderly_alone',
    'widowed',
    'orphaned',
    'left_behind_child',
    'disabled',
    'key_care',
    'party_member',
    'volunteer',
  ];

  it('GET /api/tags lists the 8 built-in tags', async () => {
    const res =
      await gridworker.get<{ code: string; nameZh: string; builtin: boolean; retired: boolean }[]>(
        '/api/tags',
      );
    expect(res.status).toBe(200);
    expect(res.body.map((x) => x.code).sort()).toEqual([...BUILTIN].sort());
    for (const x of res.body) expect(x).toMatchObject({ builtin: true, retired: false });
    expect(res.body.find((x) => x.code === 'elderly_alone')?.nameZh).toBe('独居老人');
  });

  it('only a district-level administrator creates or changes tags', async () => {
    const body = { code: 'low_income', nameZh: '低保户', nameEn: 'Low income' };
    const ta = await townadmin.post<Problem>('/api/tags', body);
    expect(ta.status).toBe(403);
    expect((await cadre.post('/api/tags', body)).status).toBe(403);
    expect((await townadmin.patch('/api/tags/elderly_alone', { nameEn: 'Hijacked' })).status).toBe(403);
    expect(
      await db.selectFrom('tags').select('code').where('code', '=', 'low_income').executeTakeFirst(),
    ).toBeUndefined();
    const res = await admin.post<{ code: string; builtin: boolean }[]>('/api/tags', body);
    expect(res.status).toBe(201);
    expect(res.body.find((x) => x.code === 'low_income')).toMatchObject({ builtin: false });
    expect((await admin.post<Problem>('/api/tags', body)).body.code).toBe('tag.code_taken');
    expect((await auditOf('tag.create')).at(-1)).toMatchObject({
      entity_id: 'low_income',
      actor_label: 'admin',
    });
  });

  it('a person takes a known tag; an unknown or retired tag is 400', async () => {
    const ok = await registerOk(gridworker, {
      name: '低保',
      idNumber: freshId(),
      nodeId: tree.grids[0]!.id,
      tags: ['low_income'],
    });
    expect(ok.tags).toEqual(['low_income']);
    const before = await count('persons');
    const bad = await register(gridworker, {
      name: 'x',
      idNumber: freshId(),
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
      tags: ['no_such_tag'],
    });
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as Problem).code).toBe('person.unknown_tag');
    expect((bad.body as unknown as Problem).issues!.map((i) => i.path)).toEqual(['body.tags']);
    const retire = await admin.patch<{ code: string; retired: boolean }[]>('/api/tags/low_income', {
      retired: true,
    });
    expect(retire.body.find((x) => x.code === 'low_income')?.retired).toBe(true);
    const retired = await register(gridworker, {
      name: 'x',
      idNumber: freshId(),
      nodeId: tree.grids[0]!.id,
      residenceType: 'registered',
      tags: ['low_income'],
    });
    expect(retired.status).toBe(400);
    expect((retired.body as unknown as Problem).code).toBe('person.unknown_tag');
    expect(
      (await gridworker.patch<Problem>(`/api/people/${P.p1!.id}`, { tags: ['no_such_tag'] })).body.code,
    ).toBe('person.unknown_tag');
    expect(await count('persons')).toBe(before);
  });
});

// ------------------------------------------------------------------ at rest
describe('no plaintext at rest', () => {
  it('no table holds a clear ID number or phone (while names are there in clear, so the check can fail)', async () => {
    expect(NEEDLES.size).toBeGreaterThan(20);
    for (const table of [
      'persons',
      'person_history',
      'audit_log',
      'import_jobs',
      'households',
      'person_tags',
    ] as const) {
      const text = await tableText(db, table);
      for (const n of NEEDLES) expect(text.includes(n), `${table} holds ${n}`).toBe(false);
    }
    expect(await tableText(db, 'persons')).toContain('张伟');
  });

  // Each database project checks its own raw storage: the rows as PostgreSQL prints them, or the SQLite file's bytes.
  it('the raw storage of this database holds no clear ID number or phone', async () => {
    if (TEST_DB === 'postgres') await postgresRowsHoldNoPlaintext();
    else await sqliteFileHoldsNoPlaintext();
  });

  const postgresRowsHoldNoPlaintext = async () => {
    {
      for (const table of ['persons', 'person_history', 'audit_log', 'import_jobs', 'households']) {
        const r = await sql<{ t: string }>`select x::text as t from ${sql.table(table)} x`.execute(db);
        expect(r.rows.length, table).toBeGreaterThan(0);
        const text = r.rows.map((x) => x.t).join('\n');
        for (const n of NEEDLES) expect(text.includes(n), `${table} holds ${n}`).toBe(false);
        if (table === 'persons') expect(text).toContain('张伟');
      }
    }
  };

  const sqliteFileHoldsNoPlaintext = async () => {
    {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-pii-'));
      const database = openDatabase({ dataDir: dir });
      try {
        await migrateToLatest(database.db);
        await ensureBuiltinRoles(database.db);
        const ftree = await makeTree(database.db);
        await makeCast(database.db, ftree);
        const app = await buildApp(testConfig(), { database, pii: TEST_PII, loginRateLimit: 100_000 });
        await app.ready();
        const login = async (u: string) => {
          const c = new Client(app);
          expect(
            (await c.post('/api/auth/login', { username: u, password: 'correct-horse-battery' })).status,
          ).toBe(200);
          return c;
        };
        const c = await login('cadre');
        const idNumber = makeIdNumber('330112', '19881111', 123);
        const phone = '13712345678';
        const phone2 = '15987654321';
        const importedId = makeIdNumber('330112', '19770303', 456);
        const badRowId = makeIdNumber('330112', '19660606', 789);
        const needles = [idNumber, phone, `+86${phone}`, phone2, `+86${phone2}`, importedId, badRowId];
        const made = await c.post<Detail>('/api/people', {
          name: '明文对照',
          idNumber,
          phone,
          nodeId: ftree.grids[0]!.id,
          residenceType: 'registered',
        });
        expect(made.status).toBe(201);
        expect((await c.patch(`/api/people/${made.body.id}`, { phone: phone2 })).status).toBe(200);
        expect(
          (await c.post(`/api/people/${made.body.id}/reveal`, { field: 'idNumber', reason: '核实身份' }))
            .status,
        ).toBe(200);
        expect((await c.post('/api/people/export', { unmasked: true, reason: '上报' })).status).toBe(200);
        // An import whose bad row (kept for the error workbook) carries an ID number too.
        const file = toCsv([
          [...PEOPLE_HEAD],
          ['导入对照', importedId, phone, '', ftree.grids[0]!.fullCode, '户籍人口', '', '', ''],
          ['坏行对照', badRowId, '', '', '999999999999999', '户籍人口', '', '', ''],
        ]);
        const imp = await importPeople(c, { name: 'p.csv', data: file }, { mode: 'valid-rows' });
        expect(imp.body).toMatchObject({ imported: 1, rejected: 1 });
        expect(imp.body.errorWorkbook).not.toBeNull();

        const scan = (when: string) => {
          const files = ['linli.sqlite', 'linli.sqlite-wal']
            .map((f) => path.join(dir, f))
            .filter((f) => fs.existsSync(f));
          expect(files.length, when).toBeGreaterThan(0);
          const bytes = Buffer.concat(files.map((f) => fs.readFileSync(f)));
          for (const n of needles)
            expect(bytes.includes(Buffer.from(n, 'utf8')), `${when}: ${n} found in ${files.join(', ')}`).toBe(
              false,
            );
          // The scan can fail: a name is stored in clear.
          expect(bytes.includes(Buffer.from('明文对照', 'utf8')), when).toBe(true);
        };
        scan('while open');
        await app.close();
        await database.close();
        scan('after closing');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  };
});

describe('the audit chain', () => {
  it('still verifies after everything above', async () => {
    const r = await verifyAuditChain(db);
    expect(r).toMatchObject({ ok: true, firstBrokenId: null });
    expect(r.checked).toBeGreaterThan(20);
  });
});
