import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/index.js';
import { seedDemo } from '../server/demo/index.js';
import { ensureBuiltinRoles } from '../server/modules/accounts/index.js';
import { createPiiCipher } from '../server/platform/pii.js';

import Database from 'better-sqlite3';
const stats = new Map<string, { n: number; ms: number }>();
const Stmt = Object.getPrototypeOf((new Database(':memory:')).prepare('select 1')) as Record<string, (...a: unknown[]) => unknown> & { source: string };
for (const m of ['all', 'run', 'get', 'iterate']) {
  const orig = Stmt[m]!;
  Stmt[m] = function (this: { source: string }, ...a: unknown[]) {
    const t = performance.now();
    try { return orig.apply(this, a); } finally {
      const k = this.source.slice(0, 140);
      const s = stats.get(k) ?? { n: 0, ms: 0 }; s.n++; s.ms += performance.now() - t; stats.set(k, s);
    }
  };
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
const database = openDatabase({ dataDir: dir });
await migrateToLatest(database.db);
await ensureBuiltinRoles(database.db);
await seedDemo(database.db, { scale: 'small', password: 'bench-password-1', events: false } as never);
const app = await buildApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn' } as never), { database, pii: createPiiCipher(crypto.randomBytes(32)), loginRateLimit: 1e6, publicRateLimit: 1e6 });
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'bench-password-1' } });
const cookies = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const csrf = login.cookies.find((c) => c.name === 'csrf')!.value;
const grids = await database.db.selectFrom('nodes').select(['centroid_lat', 'centroid_lng']).where('level', '=', 'grid').execute();
const cat = (await database.db.selectFrom('event_categories').select('id').where('code', '=', 'environment.garbage').executeTakeFirstOrThrow()).id;
const N = Number(process.env.N ?? 3000);
const send = (i: number) => {
  const g = grids[i % grids.length]!;
  return app.inject({ method: 'POST', url: '/api/events', headers: { cookie: cookies, 'x-csrf-token': csrf }, payload: { categoryId: cat, title: `p${i}`, description: 'x', lat: g.centroid_lat! + (i % 50) / 1e6, lng: g.centroid_lng! } });
};
for (let i = 0; i < 200; i++) await send(i);
stats.clear();
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const r = await send(i);
  if (r.statusCode !== 200) throw new Error(r.body);
}
const ms = performance.now() - t0;
console.log(`${N} sequential reports: ${(ms / N).toFixed(3)} ms each, ${Math.round((N / ms) * 1000)}/s`);
for (const [k, v] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) console.log(`${(v.ms / N).toFixed(3)} ms/req  n=${v.n}  ${k}`);
await app.close();
await database.close();
fs.rmSync(dir, { recursive: true, force: true });
