// The keyed and anchored audit chain (ADR 0007), on a database of its own per test as a deployment
// has it: DATA_DIR (or DATABASE_URL), the audit key and the anchor directory, checked with the app
// stopped by the function behind `npm run audit:verify` and by the script itself.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { bootDatabase } from '../../boot.js';
import { loadConfig, type AppConfig } from '../../config.js';
import { dropAppendOnly, makeAppendOnly } from '../../db/dialect.js';
import { migrateToLatest, openDatabase, type DB, type DatabaseHandle } from '../../db/index.js';
import type { RequestContext } from '../../platform/actor.js';
import { openAnchorLog, signAnchor, type AuditAnchor } from '../../platform/audit-anchors.js';
import { auditKeyring, createAuditKey } from '../../platform/audit-key.js';
import {
  anchorAuditHead,
  recordAudit,
  recordAuditMany,
  sealAuditChain,
  verifyAuditChain,
} from '../../platform/audit.js';
import { TEST_AUDIT_KEY, TEST_AUDIT_KEYRING, TEST_DB, TEST_PG_URL } from '../../test/harness.js';
import { verifyConfiguredAuditChain } from './index.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

interface Deployment {
  config: AppConfig;
  env: Record<string, string>;
  dir: string;
  open(): DatabaseHandle;
  cleanup(): Promise<void>;
}
const made: Deployment[] = [];
afterEach(async () => {
  for (const d of made.splice(0)) await d.cleanup();
});

/** A data directory, a database (a SQLite file in it, or a PostgreSQL schema of its own), the test key. */
async function deployment(opts: { withKey?: boolean } = {}): Promise<Deployment> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-chain-'));
  let databaseUrl = '';
  let schema: string | undefined;
  if (TEST_DB === 'postgres') {
    schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
    databaseUrl = `${TEST_PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  }
  const env: Record<string, string> = {
    DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    AUDIT_KEY: opts.withKey === false ? '' : TEST_AUDIT_KEY,
    AUDIT_ANCHOR_DIR: path.join(dir, 'anchors'),
    LOG_LEVEL: 'silent',
  };
  const d: Deployment = {
    config: loadConfig(env),
    env,
    dir,
    open: () =>
      schema
        ? openDatabase({ databaseUrl: TEST_PG_URL, schema, poolSize: 2 })
        : openDatabase({ dataDir: dir }),
    async cleanup() {
      if (schema) {
        const c = new pg.Client({ connectionString: TEST_PG_URL });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.end();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  made.push(d);
  return d;
}

const ctx = (i: number): RequestContext => ({ actor: null, requestId: `req-${i}`, ip: '10.0.0.9' });

/** Rows through the production path: some one at a time, some as one batch (as intake writes them). */
async function writeRows(db: DB, n: number, tag = 'x') {
  for (let i = 0; i < n; i++)
    await db.transaction().execute((trx) =>
      recordAudit(trx, ctx(i), {
        action: 'node.update',
        entityType: 'node',
        entityId: i,
        nodePath: `/1/${i}/`,
        after: { name: `${tag}${i}` },
        detail: { note: `${tag}${i}` },
      }),
    );
  await db.transaction().execute((trx) =>
    recordAuditMany(
      trx,
      [0, 1, 2].map((k) => ({
        ctx: ctx(100 + k),
        input: { action: 'event.report', entityType: 'event', entityId: 100 + k, detail: { k } },
      })),
    ),
  );
}

const allRows = (db: DB) => db.selectFrom('audit_log').selectAll().orderBy('id').execute();

/** What an intruder with the database and no key computes: the plain SHA-256 of the old scheme. */
function plainHash(r: {
  prev_hash: string;
  at: string;
  actor_user_id: number | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  node_path: string | null;
  before_digest: string | null;
  after_digest: string | null;
  detail: string | null;
  request_id: string | null;
}): string {
  const fields = [
    r.prev_hash,
    r.at,
    r.actor_user_id,
    r.actor_label,
    r.action,
    r.entity_type,
    r.entity_id,
    r.node_path,
    r.before_digest,
    r.after_digest,
    r.detail,
    r.request_id,
  ];
  return crypto.createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Edits one row, then rewrites every hash from it on with plain SHA-256, links included. */
async function rewriteFrom(
  db: DB,
  victim: number,
  edit: { detail: string },
  opts: { dropKeyId?: boolean } = {},
) {
  const rows = await allRows(db);
  const at = rows.findIndex((r) => r.id === victim);
  expect(at).toBeGreaterThanOrEqual(0);
  let prev = at === 0 ? '0'.repeat(64) : rows[at - 1]!.hash;
  for (const r of rows.filter((x) => x.id >= victim)) {
    const changed = { ...r, ...(r.id === victim ? edit : {}), prev_hash: prev };
    const hash = plainHash(changed);
    await db
      .updateTable('audit_log')
      .set({
        detail: changed.detail,
        prev_hash: prev,
        hash,
        ...(opts.dropKeyId ? { key_id: null } : {}),
      })
      .where('id', '=', r.id)
      .execute();
    prev = hash;
  }
}

/** Rows in the old scheme (before the key): key_id null, plain SHA-256, as migration 0015 leaves them. */
async function writeLegacyRows(db: DB, n: number) {
  let prev = '0'.repeat(64);
  for (let i = 0; i < n; i++) {
    const row = {
      prev_hash: prev,
      at: new Date(Date.UTC(2026, 10, 1, 8, i)).toISOString(),
      actor_user_id: null,
      actor_label: 'system',
      action: 'node.create',
      entity_type: 'node',
      entity_id: String(i),
      node_path: `/1/${i}/`,
      before_digest: null,
      after_digest: null,
      detail: JSON.stringify({ old: i }),
      request_id: `old-${i}`,
    };
    const hash = plainHash(row);
    await db
      .insertInto('audit_log')
      .values({ ...row, key_id: null, hash })
      .execute();
    prev = hash;
  }
}

async function migrated(d: Deployment) {
  const h = d.open();
  await migrateToLatest(h.db);
  return h;
}

/** What an intruder does so that rows written again get the ids of the rows they replace. */
async function restartIdsAt(h: DatabaseHandle, next: number) {
  if (h.dialect === 'postgres')
    await sql.raw(`alter table audit_log alter column id restart with ${next}`).execute(h.db);
  else await sql`update sqlite_sequence set seq = ${next - 1} where name = 'audit_log'`.execute(h.db);
}

async function npmVerify(d: Deployment): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'audit:verify'], {
      cwd: ROOT,
      env: { ...process.env, ...d.env },
      timeout: 60_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** A chain keyed from its first row, anchored after `anchorAfter` rows and at its head. */
async function keyedDeployment() {
  const d = await deployment();
  const h = await migrated(d);
  const anchors = openAnchorLog(d.config.auditAnchorDir);
  expect(await sealAuditChain(h.db, anchors)).toMatchObject({ state: 'fresh', anchored: true });
  await writeRows(h.db, 6);
  const mid = await anchorAuditHead(h.db, anchors);
  await writeRows(h.db, 4, 'y');
  const head = await anchorAuditHead(h.db, anchors);
  expect(mid).not.toBeNull();
  expect(head).not.toBeNull();
  return { d, h, anchors, mid: mid!, head: head! };
}

describe('a keyed chain', () => {
  it('a fresh chain verifies: every row, the seal at row 0 and each anchor; the script says ok and exits 0', async () => {
    const { d, h, head } = await keyedDeployment();
    const rows = await allRows(h.db);
    expect(rows).toHaveLength(6 + 3 + 4 + 3);
    expect(new Set(rows.map((r) => r.key_id))).toEqual(new Set([TEST_AUDIT_KEYRING.current.id]));
    expect(head.rowId).toBe(rows.at(-1)!.id);
    expect(head.hash).toBe(rows.at(-1)!.hash);
    await h.close();
    const { result, message } = await verifyConfiguredAuditChain(d.config);
    expect(result).toEqual({
      ok: true,
      checked: rows.length,
      anchors: 3,
      firstBrokenId: null,
      brokenAnchorLine: null,
      reason: null,
    });
    expect(message).toMatch(/^audit chain ok: 16 rows and 3 anchors verified/);
    const cli = await npmVerify(d);
    expect(cli.out).toMatch(/audit chain ok: 16 rows and 3 anchors verified/);
    expect(cli.code).toBe(0);
  }, 90_000);

  it('the hash is not SHA-256 of the row: a row recomputed that way fails', async () => {
    const { h } = await keyedDeployment();
    const rows = await allRows(h.db);
    for (const r of rows) expect(r.hash).not.toBe(plainHash(r));
    await h.close();
  });

  it('ACCEPTANCE: one row edited and every later hash recomputed with plain SHA-256 is named, by the function and by `npm run audit:verify` (exit 1)', async () => {
    const { d, h } = await keyedDeployment();
    const rows = await allRows(h.db);
    const victim = rows[4]!.id;
    await dropAppendOnly(h.db, 'audit_log');
    await rewriteFrom(h.db, victim, { detail: '{"note":"nothing happened"}' });
    await makeAppendOnly(h.db, 'audit_log');
    // The links hold: only the key tells.
    const after = await allRows(h.db);
    for (let i = 1; i < after.length; i++) expect(after[i]!.prev_hash).toBe(after[i - 1]!.hash);
    await h.close();

    const { result, message } = await verifyConfiguredAuditChain(d.config);
    expect(result).toMatchObject({
      ok: false,
      firstBrokenId: victim,
      reason: 'altered',
      checked: 4,
    });
    expect(message).toContain(`audit chain BROKEN at row ${victim}: altered`);
    const cli = await npmVerify(d);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`audit chain BROKEN at row ${victim}`);
  }, 90_000);

  it('rewritten as plain rows (key id dropped) from the edited row on: named as a plain row in the keyed chain', async () => {
    const { d, h } = await keyedDeployment();
    const rows = await allRows(h.db);
    const victim = rows[7]!.id;
    await dropAppendOnly(h.db, 'audit_log');
    await rewriteFrom(h.db, victim, { detail: '{"note":"forged"}' }, { dropKeyId: true });
    await makeAppendOnly(h.db, 'audit_log');
    await h.close();
    expect((await verifyConfiguredAuditChain(d.config)).result).toMatchObject({
      ok: false,
      firstBrokenId: victim,
      reason: 'plainInKeyed',
    });
  });

  it('ACCEPTANCE: a chain rebuilt with the key but cut short before the last anchor fails, naming the anchored row', async () => {
    const { d, h, head, mid } = await keyedDeployment();
    const rows = await allRows(h.db);
    // Whoever holds the key drops everything after the first anchor and writes a shorter tail that
    // leaves out the rows they want gone: a chain that holds together under the key.
    await dropAppendOnly(h.db, 'audit_log');
    await h.db.deleteFrom('audit_log').where('id', '>', mid.rowId).execute();
    await makeAppendOnly(h.db, 'audit_log');
    await h.db.transaction().execute((trx) =>
      recordAudit(trx, ctx(9), {
        action: 'node.update',
        entityType: 'node',
        entityId: 1,
        detail: { z: 1 },
      }),
    );
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
    const now = await allRows(h.db);
    expect(now.length).toBeLessThan(rows.length);
    expect(now.some((r) => r.id === head.rowId)).toBe(false);
    await h.close();

    const { result, message } = await verifyConfiguredAuditChain(d.config);
    expect(result).toMatchObject({
      ok: false,
      firstBrokenId: head.rowId,
      brokenAnchorLine: 3,
      reason: 'cutShort',
      checked: now.length,
    });
    expect(message).toContain(`audit chain BROKEN at row ${head.rowId}`);
    const cli = await npmVerify(d);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`audit chain BROKEN at row ${head.rowId}: cutShort`);
  }, 90_000);

  it('rebuilt with the key to the same length: the anchored rows differ from their anchors', async () => {
    const { d, h, mid } = await keyedDeployment();
    const rows = await allRows(h.db);
    const from = rows.findIndex((r) => r.id === mid.rowId) - 2;
    await dropAppendOnly(h.db, 'audit_log');
    await h.db.deleteFrom('audit_log').where('id', '>=', rows[from]!.id).execute();
    await makeAppendOnly(h.db, 'audit_log');
    await restartIdsAt(h, rows[from]!.id);
    // The same number of rows, one of them changed, every hash made with the key.
    for (let i = from; i < rows.length; i++)
      await h.db
        .transaction()
        .execute((trx) =>
          recordAudit(trx, ctx(i), { action: 'node.update', entityType: 'node', entityId: i, detail: { i } }),
        );
    const now = await allRows(h.db);
    expect(now.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    await h.close();
    expect((await verifyConfiguredAuditChain(d.config)).result).toMatchObject({
      ok: false,
      firstBrokenId: mid.rowId,
      brokenAnchorLine: 2,
      reason: 'differsFromAnchor',
    });
  });

  it('another key cannot continue or verify the chain: its rows name an unknown key', async () => {
    const { h } = await keyedDeployment();
    const other = auditKeyring(createAuditKey(crypto.randomBytes(32)));
    const r = await verifyAuditChain(h.db, { keyring: other });
    const first = (await allRows(h.db))[0]!;
    expect(r).toMatchObject({ ok: false, firstBrokenId: first.id, reason: 'unknownKey' });
    await h.close();
  });
});

describe('the anchor log', () => {
  it('each line is checkable with the public key alone (as a level above would), and names its row and hash', async () => {
    const { h, anchors, head } = await keyedDeployment();
    const lines = fs.readFileSync(anchors.file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const last = JSON.parse(lines[2]!) as AuditAnchor;
    expect(last).toEqual(head);
    expect(last.kind).toBe('anchor');
    // Canonical JSON: the fields but the signature, keys in order.
    const signed = JSON.stringify({
      at: last.at,
      hash: last.hash,
      keyId: last.keyId,
      kind: last.kind,
      rowAt: last.rowAt,
      rowId: last.rowId,
      v: last.v,
    });
    const spki = Buffer.concat([
      Buffer.from('302a300506032b6570032100', 'hex'),
      Buffer.from(TEST_AUDIT_KEYRING.current.publicKey, 'base64'),
    ]);
    const pub = crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(crypto.verify(null, Buffer.from(signed), pub, Buffer.from(last.sig, 'base64'))).toBe(true);
    expect(
      crypto.verify(
        null,
        Buffer.from(signed.replace(last.hash, '0'.repeat(64))),
        pub,
        Buffer.from(last.sig, 'base64'),
      ),
    ).toBe(false);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      kind: 'seal',
      rowId: 0,
      hash: '0'.repeat(64),
      rowAt: null,
    });
    await h.close();
  });

  it('a tampered line fails: a changed hash, a changed row id, a forged signature, another key, a line that is not an anchor', async () => {
    const { d, h, anchors } = await keyedDeployment();
    const rows = await allRows(h.db);
    await h.close();
    const original = fs.readFileSync(anchors.file, 'utf8');
    const lines = original.trimEnd().split('\n');
    const second = JSON.parse(lines[1]!) as AuditAnchor;
    const other = createAuditKey(crypto.randomBytes(32));
    const cases: { line: string; reason: string; rowId: number | null }[] = [
      {
        line: JSON.stringify({ ...second, hash: rows[2]!.hash }),
        reason: 'anchorSignature',
        rowId: second.rowId,
      },
      {
        line: JSON.stringify({ ...second, rowId: rows[2]!.id }),
        reason: 'anchorSignature',
        rowId: rows[2]!.id,
      },
      {
        line: JSON.stringify({ ...second, sig: other.sign('x') }),
        reason: 'anchorSignature',
        rowId: second.rowId,
      },
      {
        line: JSON.stringify({ ...second, keyId: other.id }),
        reason: 'anchorUnknownKey',
        rowId: second.rowId,
      },
      { line: '{"v":1,"kind":"anchor"}', reason: 'anchorUnreadable', rowId: null },
      { line: 'garbage', reason: 'anchorUnreadable', rowId: null },
    ];
    for (const c of cases) {
      fs.writeFileSync(anchors.file, [lines[0], c.line, lines[2]].join('\n') + '\n');
      expect((await verifyConfiguredAuditChain(d.config)).result, c.line).toMatchObject({
        ok: false,
        brokenAnchorLine: 2,
        firstBrokenId: c.rowId,
        reason: c.reason,
      });
    }
    // An anchor signed with the key that names a row with another hash: that row is named.
    const h2 = d.open();
    const lying = JSON.stringify({
      ...second,
      hash: rows[2]!.hash,
      sig: TEST_AUDIT_KEYRING.current.sign(
        JSON.stringify({
          at: second.at,
          hash: rows[2]!.hash,
          keyId: second.keyId,
          kind: second.kind,
          rowAt: second.rowAt,
          rowId: second.rowId,
          v: 1,
        }),
      ),
    });
    fs.writeFileSync(anchors.file, [lines[0], lying, lines[2]].join('\n') + '\n');
    expect(await verifyAuditChain(h2.db, { anchors })).toMatchObject({
      ok: false,
      firstBrokenId: second.rowId,
      brokenAnchorLine: 2,
      reason: 'differsFromAnchor',
    });
    await h2.close();
    fs.writeFileSync(anchors.file, original);
    expect((await verifyConfiguredAuditChain(d.config)).result.ok).toBe(true);
  });

  it('a signed line naming row 0 with another hash than the genesis is named', async () => {
    const { h, anchors } = await keyedDeployment();
    const first = (await allRows(h.db))[0]!;
    await anchors.append(
      signAnchor(TEST_AUDIT_KEYRING.current, {
        kind: 'seal',
        rowId: 0,
        hash: first.hash,
        rowAt: null,
        at: new Date().toISOString(),
      }),
    );
    expect(await verifyAuditChain(h.db, { anchors })).toMatchObject({
      ok: false,
      firstBrokenId: 0,
      brokenAnchorLine: 4,
      reason: 'anchorGenesis',
    });
    await h.close();
  });

  it('the schedule anchors only when the head moved', async () => {
    const { h, anchors, head } = await keyedDeployment();
    expect(await anchorAuditHead(h.db, anchors, { ifMoved: true })).toBeNull();
    await writeRows(h.db, 1);
    const next = await anchorAuditHead(h.db, anchors, { ifMoved: true });
    expect(next!.rowId).toBe(head.rowId + 4);
    expect((await anchors.latest(10)).map((a) => a.rowId)).toEqual([
      next!.rowId,
      head.rowId,
      expect.any(Number),
      0,
    ]);
    await h.close();
  });
});

describe('sealing a chain from before the key', () => {
  it('boot verifies the plain rows once, seals them with a keyed row and a seal anchor; legacy + seal + keyed rows verify', async () => {
    const d = await deployment({ withKey: false });
    const h = await migrated(d);
    await writeLegacyRows(h.db, 7);
    const legacy = await allRows(h.db);
    await h.close();

    const said: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void said.push(a.join(' '));
    let boot;
    try {
      boot = await bootDatabase(d.config, { seedDemoWhenEmpty: false });
    } finally {
      console.log = log;
    }
    try {
      // The key was generated beside the data, readable by the owner only, and announced.
      const keyFile = path.join(d.dir, 'audit.key');
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(said.some((s) => s.includes(`Generated a new audit chain key at ${keyFile}`))).toBe(true);
      expect(said).toContain(
        `Audit chain: 7 rows from before the audit key verified and sealed at row ${legacy.at(-1)!.id}.`,
      );
      const rows = await allRows(boot.database.db);
      const seal = rows[7]!;
      expect(seal).toMatchObject({
        action: 'audit.seal',
        key_id: boot.auditKeyring.current.id,
        prev_hash: legacy.at(-1)!.hash,
        entity_id: String(legacy.at(-1)!.id),
      });
      expect(JSON.parse(seal.detail!)).toMatchObject({
        legacyRows: 7,
        lastLegacyId: legacy.at(-1)!.id,
        lastLegacyHash: legacy.at(-1)!.hash,
      });
      const anchors = openAnchorLog(d.config.auditAnchorDir);
      expect(await anchors.latest(5)).toMatchObject([
        { kind: 'seal', rowId: legacy.at(-1)!.id, hash: legacy.at(-1)!.hash, rowAt: legacy.at(-1)!.at },
      ]);
      await writeRows(boot.database.db, 3);
      await anchorAuditHead(boot.database.db, anchors);
    } finally {
      await boot.close();
    }
    const { result } = await verifyConfiguredAuditChain(d.config);
    expect(result).toEqual({
      ok: true,
      checked: 7 + 1 + 3 + 3,
      anchors: 2,
      firstBrokenId: null,
      brokenAnchorLine: null,
      reason: null,
    });

    // A second start finds it sealed: nothing more written.
    const again = await bootDatabase(d.config, { seedDemoWhenEmpty: false });
    expect(await allRows(again.database.db)).toHaveLength(14);
    await again.close();
    expect(
      fs.readFileSync(openAnchorLog(d.config.auditAnchorDir).file, 'utf8').trimEnd().split('\n'),
    ).toHaveLength(2);
  });

  it('after the seal, a plain row edited (with or without recomputing the plain chain) is caught', async () => {
    const d = await deployment();
    const h = await migrated(d);
    await writeLegacyRows(h.db, 6);
    const legacy = await allRows(h.db);
    await sealAuditChain(h.db, openAnchorLog(d.config.auditAnchorDir));
    await writeRows(h.db, 2);
    await dropAppendOnly(h.db, 'audit_log');
    // Without recomputing: the plain hash of that row no longer holds.
    await h.db
      .updateTable('audit_log')
      .set({ detail: '{"old":99}' })
      .where('id', '=', legacy[2]!.id)
      .execute();
    expect(await verifyAuditChain(h.db)).toMatchObject({
      ok: false,
      firstBrokenId: legacy[2]!.id,
      reason: 'altered',
    });
    // Recomputing the plain chain to its end: the keyed seal row still links to the old last hash,
    // and the seal anchor names it.
    let prev = legacy[1]!.hash;
    for (const r of legacy.slice(2)) {
      const hash = plainHash({
        ...r,
        prev_hash: prev,
        detail: r.id === legacy[2]!.id ? '{"old":99}' : r.detail,
      });
      await h.db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('id', '=', r.id).execute();
      prev = hash;
    }
    await makeAppendOnly(h.db, 'audit_log');
    expect(await verifyAuditChain(h.db)).toMatchObject({
      ok: false,
      firstBrokenId: legacy.at(-1)!.id + 1,
      reason: 'link',
    });
    expect(await verifyAuditChain(h.db, { anchors: openAnchorLog(d.config.auditAnchorDir) })).toMatchObject({
      ok: false,
      firstBrokenId: legacy.at(-1)!.id,
      brokenAnchorLine: 1,
      reason: 'differsFromAnchor',
    });
    await h.close();
  });

  it('a broken plain chain is not sealed: the start stops and names the row', async () => {
    const d = await deployment();
    const h = await migrated(d);
    await writeLegacyRows(h.db, 5);
    const legacy = await allRows(h.db);
    await dropAppendOnly(h.db, 'audit_log');
    await h.db
      .updateTable('audit_log')
      .set({ actor_label: 'nobody' })
      .where('id', '=', legacy[3]!.id)
      .execute();
    await makeAppendOnly(h.db, 'audit_log');
    await h.close();
    await expect(bootDatabase(d.config, { seedDemoWhenEmpty: false })).rejects.toThrow(
      `The audit chain is broken at row ${legacy[3]!.id} (altered) and cannot be sealed`,
    );
    const h2 = d.open();
    expect(await allRows(h2.db)).toHaveLength(5);
    await h2.close();
    expect(fs.existsSync(openAnchorLog(d.config.auditAnchorDir).file)).toBe(false);
  });

  it('plain rows after a recorded seal (a keyed chain passed off as plain) stop the start', async () => {
    const { d, h } = await keyedDeployment();
    const rows = await allRows(h.db);
    await dropAppendOnly(h.db, 'audit_log');
    await rewriteFrom(h.db, rows[0]!.id, { detail: rows[0]!.detail ?? '' }, { dropKeyId: true });
    await makeAppendOnly(h.db, 'audit_log');
    // The rows alone hold as a plain chain; the seal anchor at row 0 says they cannot be plain.
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
    await h.close();
    expect((await verifyConfiguredAuditChain(d.config)).result).toMatchObject({
      ok: false,
      firstBrokenId: rows[0]!.id,
      reason: 'plainAfterSeal',
    });
    await expect(bootDatabase(d.config, { seedDemoWhenEmpty: false })).rejects.toThrow(
      /was sealed at row 0 .* but row \d+ after it is a plain SHA-256 row/,
    );
  });

  it('the seal row deleted, with nothing after it: named from the seal line', async () => {
    const d = await deployment();
    const h = await migrated(d);
    await writeLegacyRows(h.db, 3);
    const legacy = await allRows(h.db);
    const anchors = openAnchorLog(d.config.auditAnchorDir);
    expect(await sealAuditChain(h.db, anchors)).toMatchObject({
      state: 'sealed',
      lastLegacyId: legacy[2]!.id,
    });
    await dropAppendOnly(h.db, 'audit_log');
    await h.db.deleteFrom('audit_log').where('action', '=', 'audit.seal').execute();
    await makeAppendOnly(h.db, 'audit_log');
    expect(await verifyAuditChain(h.db, { anchors })).toMatchObject({
      ok: false,
      firstBrokenId: legacy[2]!.id,
      reason: 'sealMissing',
    });
    await h.close();
  });

  it('a keyed row other than the seal straight after the plain rows (made with the key): named', async () => {
    const d = await deployment();
    const h = await migrated(d);
    await writeLegacyRows(h.db, 3);
    const legacy = await allRows(h.db);
    // Whoever holds the key appends a keyed row onto the plain chain, skipping the seal.
    const key = TEST_AUDIT_KEYRING.current;
    const row = {
      prev_hash: legacy[2]!.hash,
      key_id: key.id,
      at: new Date().toISOString(),
      actor_user_id: null,
      actor_label: 'system',
      action: 'node.update',
      entity_type: 'node',
      entity_id: '1',
      node_path: null,
      before_digest: null,
      after_digest: null,
      detail: null,
      request_id: 'forged',
    };
    const hash = key.mac(
      JSON.stringify([
        row.prev_hash,
        row.key_id,
        row.at,
        row.actor_user_id,
        row.actor_label,
        row.action,
        row.entity_type,
        row.entity_id,
        row.node_path,
        row.before_digest,
        row.after_digest,
        row.detail,
        row.request_id,
      ]),
    );
    await h.db
      .insertInto('audit_log')
      .values({ ...row, hash })
      .execute();
    const forged = (await allRows(h.db)).at(-1)!;
    expect(await verifyAuditChain(h.db)).toMatchObject({
      ok: false,
      checked: 3,
      firstBrokenId: forged.id,
      reason: 'noSeal',
    });
    await h.close();
  });

  it('a keyed row is never written straight after unsealed plain rows', async () => {
    const d = await deployment();
    const h = await migrated(d);
    await writeLegacyRows(h.db, 2);
    await expect(
      h.db.transaction().execute((trx) => recordAudit(trx, ctx(1), { action: 'x.y', entityType: 'x' })),
    ).rejects.toThrow(/not yet sealed/);
    expect(await allRows(h.db)).toHaveLength(2);
    await h.close();
  });
});
