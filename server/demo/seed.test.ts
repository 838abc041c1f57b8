// The demo district seeded into a fresh database (SQLite and PostgreSQL), then signed into through the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../common/roles.js';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/index.js';
import type { NodeRow } from '../db/schema.js';
import { verifyAuditChain } from '../platform/audit.js';
import { createTestDatabase, TEST_PII, testConfig } from '../test/harness.js';
import { DISTRICT_BBOX, SEAT } from './layout.js';
import { seedDemo, type DemoLogin } from './index.js';

interface Ring {
  type: string;
  coordinates: [number, number][][];
}

/** Shoelace area of a polygon's outer ring, in square degrees. */
function area(p: Ring): number {
  const ring = p.coordinates[0]!;
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return a / 2;
}

/** Ray casting: is the point strictly inside the ring? */
function contains(p: Ring, [x, y]: [number, number]): boolean {
  const ring = p.coordinates[0]!;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

let database: DatabaseHandle;
let logins: DemoLogin[];
let nodes: NodeRow[];

beforeAll(async () => {
  database = await createTestDatabase();
  logins = await seedDemo(database.db, { scale: 'small' });
  nodes = await database.db.selectFrom('nodes').selectAll().orderBy('path').execute();
});
afterAll(async () => database.close());

const ofLevel = (level: string) => nodes.filter((n) => n.level === level);

describe('demo district (small)', () => {
  it('has the shape of Lin’an: 1 district, 18 towns and streets, ~60 villages, ~200 grids', () => {
    const [district] = ofLevel('district');
    expect(ofLevel('district')).toHaveLength(1);
    expect(district).toMatchObject({ code: '330112', full_code: '330112', name: '临安区', parent_id: null, depth: 1 });
    expect(ofLevel('town')).toHaveLength(18);
    expect(ofLevel('town').map((t) => t.code).sort()).toEqual(Array.from({ length: 18 }, (_, i) => String(i + 1).padStart(3, '0')));
    expect(ofLevel('town').filter((t) => t.name.endsWith('街道'))).toHaveLength(5);
    expect(ofLevel('village').length).toBeGreaterThanOrEqual(55);
    expect(ofLevel('village').length).toBeLessThanOrEqual(65);
    expect(ofLevel('grid').length).toBeGreaterThanOrEqual(190);
    expect(ofLevel('grid').length).toBeLessThanOrEqual(210);
    for (const n of [...ofLevel('town'), ...ofLevel('village'), ...ofLevel('grid')]) expect(n.responsible_name).toBeTruthy();
  });

  it('has consistent codes, paths and depths', () => {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const g of ofLevel('grid')) expect(g.full_code).toMatch(/^\d{15}$/);
    const siblings = new Set<string>();
    for (const n of nodes) {
      expect(siblings.has(`${n.parent_id}:${n.code}`)).toBe(false);
      siblings.add(`${n.parent_id}:${n.code}`);
      if (n.parent_id === null) {
        expect(n.path).toBe(`/${n.id}/`);
        continue;
      }
      const parent = byId.get(n.parent_id)!;
      expect(n.path).toBe(`${parent.path}${n.id}/`);
      expect(n.full_code).toBe(parent.full_code + n.code);
      expect(n.depth).toBe(parent.depth + 1);
    }
  });

  it('tiles the district with polygons: the grids add up to the bounding box', () => {
    expect(nodes.every((n) => n.polygon !== null && n.centroid_lat !== null && n.centroid_lng !== null)).toBe(true);
    const polygon = (n: NodeRow) => JSON.parse(n.polygon!) as Ring;
    const sum = ofLevel('grid').reduce((s, g) => s + area(polygon(g)), 0);
    const bbox = (DISTRICT_BBOX.e - DISTRICT_BBOX.w) * (DISTRICT_BBOX.n - DISTRICT_BBOX.s);
    expect(Math.abs(sum - bbox) / bbox).toBeLessThan(1e-6);
    for (const n of nodes) {
      const ring = polygon(n).coordinates[0]!;
      expect(ring[0]).toEqual(ring.at(-1));
      for (const [x, y] of ring) {
        expect(Math.round(x * 1e6) / 1e6).toBe(x);
        expect(Math.round(y * 1e6) / 1e6).toBe(y);
      }
      expect(contains(polygon(n), [n.centroid_lng!, n.centroid_lat!])).toBe(true);
    }
    const seat = ofLevel('town').find((t) => t.name === '锦城街道')!;
    expect(contains(polygon(seat), [SEAT.lng, SEAT.lat])).toBe(true);
  });

  it('has one account per built-in role, and the admin can sign in through the app', async () => {
    expect(logins).toHaveLength(BUILTIN_ROLES.length);
    expect(new Set(logins.map((l) => l.username)).size).toBe(BUILTIN_ROLES.length);
    for (const r of BUILTIN_ROLES) expect(logins.some((l) => l.role.startsWith(r.zh))).toBe(true);
    for (const l of logins) expect(l.password.length).toBeGreaterThanOrEqual(10);
    expect(logins.find((l) => l.username === 'towncmd')?.node).toBe('锦城街道');

    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const admin = logins.find((l) => l.username === 'admin')!;
      const ok = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: admin.password } });
      expect(ok.statusCode).toBe(200);
      const me = ok.json<{ assignments: { role: { code: string }; node: { name: string } }[] }>();
      expect(me.assignments.map((a) => [a.role.code, a.node.name])).toEqual([['system_admin', '临安区']]);
      const gw = logins.find((l) => l.username === 'gridworker')!;
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'gridworker', password: gw.password } });
      expect(res.json<{ assignments: { node: { level: string } }[] }>().assignments[0]?.node.level).toBe('grid');
      const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'not-the-password' } });
      expect(wrong.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('writes one demo.seed audit row, chained, and refuses a second seed', async () => {
    const rows = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'demo.seed').execute();
    expect(rows).toHaveLength(1);
    const detail = JSON.parse(rows[0]!.detail!) as Record<string, unknown>;
    expect(detail).toMatchObject({ scale: 'small', towns: 18, villages: ofLevel('village').length, grids: ofLevel('grid').length, users: 12 });
    expect(rows[0]!.node_path).toBe(ofLevel('district')[0]!.path);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    await expect(seedDemo(database.db, { scale: 'small', password: 'whatever-123' })).rejects.toThrow(/already has nodes/);
  });
});
