// The built-in roles' grants have one source (common/roles.ts): the sync at start restores a built-in
// role whose grants were changed in the database, re-creates a missing one, audits what it changed,
// and leaves custom roles alone. On both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../../common/roles.js';
import type { DatabaseHandle, DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { createTestDatabase } from '../../test/harness.js';
import { ensureBuiltinRoles } from './index.js';

let h: DatabaseHandle;
let db: DB;
beforeAll(async () => {
  // createTestDatabase has already synced once, on a fresh database.
  h = await createTestDatabase();
  db = h.db;
});
afterAll(async () => h.close());

const grantsOf = async (code: string) =>
  JSON.parse(
    (await db.selectFrom('roles').select('permissions').where('code', '=', code).executeTakeFirstOrThrow())
      .permissions,
  ) as string[];
const syncRows = () =>
  db
    .selectFrom('audit_log')
    .select(['entity_id', 'actor_label', 'detail'])
    .where('action', '=', 'role.sync')
    .orderBy('id')
    .execute();
const GRID_WORKER = BUILTIN_ROLES.find((r) => r.code === 'grid_worker')!;
const JUDGE = BUILTIN_ROLES.find((r) => r.code === 'judge')!;

describe('built-in roles synced at start', () => {
  it('a fresh database holds every built-in role with its grants, and no sync rows', async () => {
    for (const r of BUILTIN_ROLES) expect(await grantsOf(r.code)).toEqual([...new Set(r.permissions)].sort());
    expect(await syncRows()).toEqual([]);
  });

  it('a built-in role whose grants were altered is restored, a missing one re-created, a custom one untouched; audited once', async () => {
    expect(GRID_WORKER.permissions).toContain('events.report');
    expect(GRID_WORKER.permissions).not.toContain('people.reveal');
    const altered = [...GRID_WORKER.permissions.filter((p) => p !== 'events.report'), 'people.reveal'];
    await db
      .updateTable('roles')
      .set({ permissions: JSON.stringify(altered) })
      .where('code', '=', 'grid_worker')
      .execute();
    await db.deleteFrom('roles').where('code', '=', 'judge').execute();
    const now = nowIso();
    const customGrants = ['events.report', 'nodes.read', 'people.reveal'];
    await db
      .insertInto('roles')
      .values({
        code: 'night_patrol',
        name_zh: '夜巡',
        name_en: 'Night patrol',
        permissions: JSON.stringify(customGrants),
        builtin: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const gridWorkerId = (
      await db.selectFrom('roles').select('id').where('code', '=', 'grid_worker').executeTakeFirstOrThrow()
    ).id;

    await ensureBuiltinRoles(db);

    expect(await grantsOf('grid_worker')).toEqual([...GRID_WORKER.permissions].sort());
    expect(await grantsOf('judge')).toEqual([...JUDGE.permissions].sort());
    expect(await grantsOf('night_patrol')).toEqual(customGrants);
    const judgeId = (
      await db.selectFrom('roles').select('id').where('code', '=', 'judge').executeTakeFirstOrThrow()
    ).id;
    const rows = await syncRows();
    expect(rows.map((r) => [r.entity_id, r.actor_label, JSON.parse(r.detail!) as unknown])).toEqual([
      [
        String(gridWorkerId),
        'system',
        { code: 'grid_worker', added: ['events.report'], removed: ['people.reveal'] },
      ],
      [String(judgeId), 'system', { code: 'judge', added: [...JUDGE.permissions].sort(), removed: [] }],
    ]);

    // Nothing left to change: the next start writes nothing.
    await ensureBuiltinRoles(db);
    expect(await syncRows()).toHaveLength(2);
  });
});
