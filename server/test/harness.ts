// Per-test-file databases (a fresh SQLite file, or a fresh schema on PostgreSQL) and an app
// to drive through HTTP as a given user. Real databases, never mocks.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp, type AppDeps } from '../app.js';
import { loadConfig, type AppConfig } from '../config.js';
import { Migrator } from 'kysely';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../db/index.js';
import { migrations } from '../db/migrations/index.js';
import { ensureBuiltinRoles } from '../modules/accounts/index.js';
import { ensureShippedScales } from '../modules/care/index.js';
import { createPiiCipher } from '../platform/pii.js';
import { auditKeyring, createAuditKey } from '../platform/audit-key.js';
import { useAuditKeyring } from '../platform/audit.js';

export const TEST_DB = (process.env.LINLI_TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres';
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * `upTo`: migrate only as far as that migration (and seed no roles), for a test of the migrations
 * that follow; the test runs `migrateToLatest` itself.
 */
export async function createTestDatabase(opts: { upTo?: string } = {}): Promise<DatabaseHandle> {
  const migrate = async (db: DatabaseHandle['db'], schema?: string) => {
    if (!opts.upTo) {
      await migrateToLatest(db, schema);
      await ensureBuiltinRoles(db);
      await ensureShippedScales(db);
      return;
    }
    const migrator = new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve(migrations) },
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const { error } = await migrator.migrateTo(opts.upTo);
    if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  };
  if (TEST_DB === 'sqlite') {
    // A database file, as the app runs on (with its read-only second connection), in memory-backed
    // /dev/shm where there is one so that each commit's flush costs nothing.
    const dir = fs.mkdtempSync(
      path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'linli-test-'),
    );
    const h = openDatabase({ dataDir: dir });
    await migrate(h.db);
    return {
      ...h,
      async close() {
        await h.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const h = openDatabase({ databaseUrl: TEST_PG_URL, schema, poolSize: 4 });
  const dropSchema = async () => {
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  };
  try {
    await migrate(h.db, schema);
  } catch (e) {
    await h.close();
    await dropSchema();
    throw e;
  }
  return {
    ...h,
    async close() {
      await h.close();
      await dropSchema();
    },
  };
}

/** Each config its own anchor directory (made on the first anchor; buildTestApp removes it). */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return loadConfig(
    {
      LOG_LEVEL: 'silent',
      DATA_DIR: ':memory:',
      WEB_DIR: '/nonexistent',
      AUDIT_KEY: TEST_AUDIT_KEY,
      AUDIT_ANCHOR_DIR: path.join(os.tmpdir(), `linli-anchors-${crypto.randomBytes(6).toString('hex')}`),
    },
    overrides,
  );
}

export interface TestResponse<T = unknown> {
  status: number;
  headers: LightMyRequestResponse['headers'];
  body: T;
  raw: LightMyRequestResponse;
}

/** A signed-in HTTP client: carries the session cookie and echoes the csrf token. */
export class Client {
  constructor(
    readonly app: FastifyInstance,
    private cookies: Record<string, string> = {},
    private bearer?: string,
    /** The client address the server sees (req.ip); inject's default is 127.0.0.1. */
    private remoteAddress?: string,
  ) {}

  async request<T = unknown>(opts: InjectOptions): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string>) };
    const cookie = Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    if (cookie) headers.cookie = cookie;
    if (this.cookies.csrf && !headers['x-csrf-token']) headers['x-csrf-token'] = this.cookies.csrf;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const from = this.remoteAddress && !opts.remoteAddress ? { remoteAddress: this.remoteAddress } : {};
    const res = await this.app.inject({ ...opts, ...from, headers });
    for (const c of res.cookies) this.cookies[c.name] = c.value;
    const type = String(res.headers['content-type'] ?? '');
    const body = (type.includes('json') && res.body ? JSON.parse(res.body) : res.body) as T;
    return { status: res.statusCode, headers: res.headers, body, raw: res };
  }
  get<T = unknown>(url: string) {
    return this.request<T>({ method: 'GET', url });
  }
  post<T = unknown>(url: string, payload?: unknown) {
    return this.request<T>({
      method: 'POST',
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }
  patch<T = unknown>(url: string, payload: unknown) {
    return this.request<T>({ method: 'PATCH', url, payload: payload as object });
  }
  put<T = unknown>(url: string, payload: unknown) {
    return this.request<T>({ method: 'PUT', url, payload: payload as object });
  }
  delete<T = unknown>(url: string) {
    return this.request<T>({ method: 'DELETE', url });
  }
  cookie(name: string) {
    return this.cookies[name];
  }
}

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  /** A client with no session, from `remoteAddress` when given. */
  anon(remoteAddress?: string): Client;
  login(username: string, password?: string, remoteAddress?: string): Promise<Client>;
  withApiKey(key: string): Client;
  close(): Promise<void>;
}

export async function buildTestApp(
  overrides: Partial<AppConfig> = {},
  deps: Pick<AppDeps, 'clock' | 'liveSessionCheckMs' | 'liveHeartbeatMs'> = {},
): Promise<TestApp> {
  return appOn(await createTestDatabase(), overrides, deps);
}

/**
 * PostgreSQL only: a second app process on the same test database (its own pool, its own live bus),
 * as two app nodes behind a load balancer would be. Closing it leaves the database to the first.
 */
export async function buildSecondTestApp(
  first: TestApp,
  overrides: Partial<AppConfig> = {},
  deps: Pick<AppDeps, 'clock' | 'liveSessionCheckMs' | 'liveHeartbeatMs'> = {},
): Promise<TestApp> {
  const conn = first.database.connection;
  if (first.database.dialect !== 'postgres' || !conn)
    throw new Error('a second app process on one database needs PostgreSQL');
  return appOn(openDatabase({ databaseUrl: conn.url, schema: conn.schema, poolSize: 4 }), overrides, deps);
}

async function appOn(
  database: DatabaseHandle,
  overrides: Partial<AppConfig>,
  deps: Pick<AppDeps, 'clock' | 'liveSessionCheckMs' | 'liveHeartbeatMs'>,
): Promise<TestApp> {
  // Every suite signs in from inject's one address: the per-address cap (ADR 0008) would slow the
  // suites' own wrong-password checks, so it sits far out of the way unless a test asks for it.
  const config = testConfig({
    loginAddressDelayAfter: 10_000,
    loginAddressMaxFailures: 20_000,
    ...overrides,
  });
  const app = await buildApp(config, {
    database,
    pii: TEST_PII,
    auditKeyring: TEST_AUDIT_KEYRING,
    loginRateLimit: 100_000,
    publicRateLimit: 100_000,
    publicLookupRateLimit: 100_000,
    ...deps,
  });
  await app.ready();
  return {
    app,
    database,
    anon: (remoteAddress) => new Client(app, {}, undefined, remoteAddress),
    async login(username, password = TEST_PASSWORD, remoteAddress) {
      const c = new Client(app, {}, undefined, remoteAddress);
      const res = await c.post('/api/auth/login', { username, password });
      if (res.status !== 200)
        throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return c;
    },
    withApiKey: (key) => new Client(app, {}, key),
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(config.auditAnchorDir, { recursive: true, force: true });
    },
  };
}

export const TEST_PASSWORD = 'correct-horse-battery';
/** A fixed key for tests, so a test can compute blind indexes itself. */
export const TEST_PII = createPiiCipher(Buffer.alloc(32, 7));
/** A fixed audit key for tests (and for a server a test starts: pass it as AUDIT_KEY), installed for recordAudit. */
export const TEST_AUDIT_KEY = Buffer.alloc(32, 9).toString('base64');
export const TEST_AUDIT_KEYRING = auditKeyring(createAuditKey(Buffer.from(TEST_AUDIT_KEY, 'base64')));
useAuditKeyring(TEST_AUDIT_KEYRING);
