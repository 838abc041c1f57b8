import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { dropAppendOnly, makeAppendOnly, subtreeRange } from '../../db/dialect.js';
import { verifyAuditChain } from '../../platform/audit.js';
import { buildTestApp, TEST_AUDIT_KEYRING, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, type Tree } from '../../test/factories.js';

let t: TestApp;
let tree: Tree;
let db: DB;
let admin: Client;
let townadmin: Client;

interface Entry {
  id: number;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  nodePath: string | null;
  hash: string;
}
interface Page {
  items: Entry[];
  total: number;
}
interface Verify {
  ok: boolean;
  checked: number;
  anchors: number;
  firstBrokenId: number | null;
  brokenAnchorLine: number | null;
  reason: string | null;
}

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  admin = await t.login('admin');
  townadmin = await t.login('townadmin');
  // Activity in both towns, by both admins, plus some rows not placed in the tree.
  for (const n of [tree.grids[0]!, tree.grids[4]!, tree.villages[2]!, tree.towns[1]!]) {
    expect((await admin.patch(`/api/nodes/${n.id}`, { responsibleName: '李四' })).status).toBe(200);
  }
  for (const n of [tree.grids[1]!, tree.villages[1]!]) {
    expect((await townadmin.patch(`/api/nodes/${n.id}`, { responsibleName: '赵六' })).status).toBe(200);
  }
  expect(
    (await admin.post('/api/nodes', { parentId: tree.villages[0]!.id, code: '031', name: '审计网格' }))
      .status,
  ).toBe(201);
  expect(
    (await admin.post('/api/roles', { code: 'audit_role', nameZh: '审', nameEn: 'A', permissions: [] }))
      .status,
  ).toBe(201);
  await t.anon().post('/api/auth/login', { username: 'admin', password: 'wrong-password' });
});
afterAll(async () => t.close());

const count = async () =>
  Number(
    (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const ids = async () =>
  (await db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => r.id);

describe('the hash chain', () => {
  it('verifies on a database with some activity', async () => {
    const res = await admin.get<Verify>('/api/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: true,
      checked: await count(),
      anchors: 0,
      firstBrokenId: null,
      brokenAnchorLine: null,
      reason: null,
    });
    expect(res.body.checked).toBeGreaterThan(10);
  });

  it('each row links to the previous one', async () => {
    const rows = await db.selectFrom('audit_log').select(['id', 'prev_hash', 'hash']).orderBy('id').execute();
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
  });

  it('the database refuses UPDATE and DELETE on audit_log while the guard is in place', async () => {
    const [, second] = await ids();
    await expect(
      sql`update audit_log set detail = ${'{"x":1}'} where id = ${second}`.execute(db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = ${second}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(db.updateTable('audit_log').set({ action: 'forged' }).execute()).rejects.toThrow();
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow();
    expect((await admin.get<Verify>('/api/audit/verify')).body.ok).toBe(true);
  });

  it('verifies in pages, with the same answer whatever the page size', async () => {
    const n = await count();
    for (const size of [1, 2, 3, 7, 1000])
      expect(await verifyAuditChain(db, { pageSize: size })).toEqual({
        ok: true,
        checked: n,
        anchors: 0,
        firstBrokenId: null,
        brokenAnchorLine: null,
        reason: null,
      });
  });

  it('concurrent writers keep the chain whole', async () => {
    const before = await count();
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        admin.patch(`/api/nodes/${tree.grids[i % 8]!.id}`, { responsibleName: `并发${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(16).fill(200));
    expect(await count()).toBe(before + 16);
    expect((await admin.get<Verify>('/api/audit/verify')).body.ok).toBe(true);
  });

  describe('tampering (guard dropped on purpose)', () => {
    beforeAll(async () => dropAppendOnly(db, 'audit_log'));
    afterAll(async () => makeAppendOnly(db, 'audit_log'));

    it('an altered row is named', async () => {
      const all = await ids();
      const victim = all[Math.floor(all.length / 2)]!;
      const original = await db
        .selectFrom('audit_log')
        .select('detail')
        .where('id', '=', victim)
        .executeTakeFirstOrThrow();
      await sql`update audit_log set detail = ${'{"reason":"nothing to see"}'} where id = ${victim}`.execute(
        db,
      );
      const res = await admin.get<Verify>('/api/audit/verify');
      expect(res.body).toMatchObject({ ok: false, firstBrokenId: victim, reason: 'altered' });
      expect(res.body.checked).toBe(all.indexOf(victim));
      // Put it back: the chain holds again.
      await db.updateTable('audit_log').set({ detail: original.detail }).where('id', '=', victim).execute();
      expect((await admin.get<Verify>('/api/audit/verify')).body.ok).toBe(true);
    });

    it('any altered column is named: actor, action, node path, time, request id', async () => {
      const all = await ids();
      const victim = all[3]!;
      const row = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('id', '=', victim)
        .executeTakeFirstOrThrow();
      const edits = [
        { actor_label: 'someone-else' },
        { action: 'node.read' },
        { node_path: '/999/' },
        { at: '1999-01-01T00:00:00.000Z' },
        { request_id: 'forged' },
        { entity_id: '424242' },
      ];
      for (const e of edits) {
        await db.updateTable('audit_log').set(e).where('id', '=', victim).execute();
        expect((await verifyAuditChain(db)).firstBrokenId, JSON.stringify(e)).toBe(victim);
        await db.updateTable('audit_log').set(row).where('id', '=', victim).execute();
      }
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('a row with a forged hash is named; restoring the hash makes the chain whole', async () => {
      const all = await ids();
      const victim = all[5]!;
      const { hash } = await db
        .selectFrom('audit_log')
        .select('hash')
        .where('id', '=', victim)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('audit_log')
        .set({ hash: 'f'.repeat(64) })
        .where('id', '=', victim)
        .execute();
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        firstBrokenId: victim,
        reason: 'altered',
      });
      await db.updateTable('audit_log').set({ hash }).where('id', '=', victim).execute();
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('a deleted row in the middle is named by the row after it', async () => {
      const all = await ids();
      // One of the concurrent edits, well inside the chain (the rows the filter tests look for stay).
      const candidates = await db
        .selectFrom('audit_log')
        .select('id')
        .where('detail', 'like', '%responsibleName%')
        .orderBy('id')
        .execute();
      const victim = candidates[Math.floor(candidates.length / 2)]!.id;
      const i = all.indexOf(victim);
      expect(i).toBeGreaterThan(0);
      expect(i).toBeLessThan(all.length - 1);
      const next = all[i + 1]!;
      await sql`delete from audit_log where id = ${victim}`.execute(db);
      const res = await admin.get<Verify>('/api/audit/verify');
      expect(res.body).toMatchObject({
        ok: false,
        firstBrokenId: next,
        reason: 'link',
      });
      expect(res.body.checked).toBe(i);
    });
  });

  it('with the guard back in place, tampering is refused again', async () => {
    const [first] = await ids();
    await expect(sql`update audit_log set detail = null where id = ${first}`.execute(db)).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('who reads the audit log', () => {
  it('a town commander has no audit.read: 403 on list and verify', async () => {
    const tc = await t.login('towncmd');
    const res = await tc.get('/api/audit');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await tc.get('/api/audit/verify')).status).toBe(403);
  });

  it('a town admin sees exactly the rows placed in town A, never unplaced ones, and cannot verify the whole chain', async () => {
    const res = await townadmin.get<Page>('/api/audit?pageSize=200');
    expect(res.status).toBe(200);
    const [lo, hi] = subtreeRange(tree.towns[0]!.path);
    const expected = await db
      .selectFrom('audit_log')
      .select('id')
      .where('node_path', '>=', lo)
      .where('node_path', '<', hi)
      .orderBy('id', 'desc')
      .execute();
    expect(res.body.items.map((i) => i.id)).toEqual(expected.map((e) => e.id));
    expect(res.body.total).toBe(expected.length);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const i of res.body.items)
      expect(i.nodePath?.startsWith(tree.towns[0]!.path), String(i.nodePath)).toBe(true);
    // The admin's edits in town A are there; those in town B and the role/login rows are not.
    expect(
      res.body.items.some((i) => i.actorLabel === 'admin' && i.entityId === String(tree.grids[0]!.id)),
    ).toBe(true);
    expect(res.body.items.some((i) => i.entityId === String(tree.grids[4]!.id))).toBe(false);
    expect(res.body.items.some((i) => i.action === 'role.create' || i.action.startsWith('auth.'))).toBe(
      false,
    );
    expect((await townadmin.get(`/api/audit?node=${tree.towns[1]!.id}`)).status).toBe(403);
    expect((await townadmin.get(`/api/audit?node=${tree.district.id}`)).status).toBe(403);
    expect((await townadmin.get('/api/audit/verify')).status).toBe(403);
  });

  it('the district admin sees everything, placed and unplaced', async () => {
    const res = await admin.get<Page>('/api/audit?pageSize=200');
    expect(res.body.total).toBe(await count());
    expect(res.body.items.some((i) => i.nodePath === null)).toBe(true);
    expect(res.body.items.map((i) => i.id)).toEqual([...(await ids())].reverse().slice(0, 200));
  });

  it('filters: actor, entityType, entityId, action prefix, node', async () => {
    const byActor = await admin.get<Page>('/api/audit?actor=townadmin&pageSize=200');
    expect(byActor.body.items.length).toBeGreaterThan(0);
    expect(byActor.body.items.every((i) => i.actorLabel === 'townadmin')).toBe(true);

    const grid = tree.grids[0]!.id;
    const byEntity = await admin.get<Page>(`/api/audit?entityType=node&entityId=${grid}`);
    expect(byEntity.body.items.length).toBeGreaterThan(0);
    expect(byEntity.body.items.every((i) => i.entityType === 'node' && i.entityId === String(grid))).toBe(
      true,
    );
    expect(byEntity.body.total).toBe(
      (
        await db
          .selectFrom('audit_log')
          .select('id')
          .where('entity_type', '=', 'node')
          .where('entity_id', '=', String(grid))
          .execute()
      ).length,
    );

    const byType = await admin.get<Page>('/api/audit?entityType=role');
    expect(byType.body.items.map((i) => i.action)).toEqual(['role.create']);

    const byAction = await admin.get<Page>('/api/audit?action=auth.');
    expect(byAction.body.items.length).toBeGreaterThan(0);
    expect(byAction.body.items.every((i) => i.action.startsWith('auth.'))).toBe(true);
    // The prefix is text: a wildcard in it matches nothing.
    expect((await admin.get<Page>('/api/audit?action=%25')).body.items).toEqual([]);

    const byNode = await admin.get<Page>(`/api/audit?node=${tree.villages[0]!.id}&pageSize=200`);
    expect(byNode.body.items.length).toBeGreaterThan(0);
    expect(byNode.body.items.every((i) => i.nodePath?.startsWith(tree.villages[0]!.path))).toBe(true);

    const none = await admin.get<Page>('/api/audit?actor=nobody');
    expect(none.body).toMatchObject({ items: [], total: 0 });

    const combined = await townadmin.get<Page>(`/api/audit?actor=admin&entityType=node&pageSize=200`);
    expect(
      combined.body.items.every(
        (i) => i.actorLabel === 'admin' && i.nodePath?.startsWith(tree.towns[0]!.path),
      ),
    ).toBe(true);
  });

  it('paging walks the rows newest first without overlap', async () => {
    const p1 = await admin.get<Page>('/api/audit?pageSize=5&page=1');
    const p2 = await admin.get<Page>('/api/audit?pageSize=5&page=2');
    expect(p1.body.items).toHaveLength(5);
    const all = [...p1.body.items, ...p2.body.items].map((i) => i.id);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((a, b) => b - a)).toEqual(all);
  });
});

describe('anchors through the API', () => {
  interface Anchor {
    kind: string;
    rowId: number;
    hash: string;
    rowAt: string | null;
    at: string;
    keyId: string;
    sig: string;
  }
  it('anchoring now is audited, and the anchor names the head: the audit row of that very request', async () => {
    const res = await admin.post<Anchor>('/api/audit/anchors');
    expect(res.status).toBe(201);
    const head = await db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(head).toMatchObject({
      action: 'audit.anchor',
      actor_label: 'admin',
      key_id: TEST_AUDIT_KEYRING.current.id,
    });
    const { at, sig, ...named } = res.body;
    expect(named).toEqual({
      kind: 'anchor',
      rowId: head.id,
      hash: head.hash,
      rowAt: head.at,
      keyId: TEST_AUDIT_KEYRING.current.id,
    });
    expect(Date.parse(at)).toBeGreaterThanOrEqual(Date.parse(head.at));
    // Ed25519: 64 bytes.
    expect(Buffer.from(sig, 'base64')).toHaveLength(64);

    const list = await admin.get<{ keyId: string; publicKey: string; items: Anchor[] }>('/api/audit/anchors');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      keyId: TEST_AUDIT_KEYRING.current.id,
      publicKey: TEST_AUDIT_KEYRING.current.publicKey,
      items: [res.body],
    });
    const second = await admin.post<Anchor>('/api/audit/anchors');
    expect(second.body.rowId).toBe(head.id + 1);
    expect(
      (await admin.get<{ items: Anchor[] }>('/api/audit/anchors')).body.items.map((a) => a.rowId),
    ).toEqual([head.id + 1, head.id]);
    // Both lines are read and their signatures checked (the rows still miss the one deleted above).
    expect((await admin.get<Verify>('/api/audit/verify')).body).toMatchObject({
      anchors: 2,
      brokenAnchorLine: null,
      reason: 'link',
    });
  });

  it('only an auditor at a tree root reads or makes anchors', async () => {
    const before = await count();
    expect((await townadmin.get('/api/audit/anchors')).status).toBe(403);
    const res = await townadmin.post('/api/audit/anchors');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await count()).toBe(before);
    expect((await t.anon().post('/api/audit/anchors')).status).toBe(401);
  });
});
