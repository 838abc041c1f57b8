// The built-in roles' grants have one source, `common/roles.ts`: at every start the database is made
// to match it (missing roles added, grants added and removed), and each change is audited. Migrations
// carry no grant lists; custom roles are never touched. Names stay as an administrator set them.
import { BUILTIN_ROLES } from '../../../common/roles.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { recordAudit } from '../../platform/audit.js';

const BOOT = { actor: null, requestId: 'boot:roles.sync' } as const;

export async function ensureBuiltinRoles(db: DB): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('roles').select(['id', 'code', 'permissions', 'builtin']).execute();
    // A fresh database gets its roles without an audit row each: nothing was there to change.
    const fresh = rows.length === 0;
    const have = new Map(rows.map((r) => [r.code, r]));
    const now = nowIso();
    for (const role of BUILTIN_ROLES) {
      const want: string[] = [...new Set(role.permissions)].sort();
      const row = have.get(role.code);
      if (!row) {
        const inserted = await trx
          .insertInto('roles')
          .values({
            code: role.code,
            name_zh: role.zh,
            name_en: role.en,
            permissions: JSON.stringify(want),
            builtin: 1,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (!fresh)
          await recordAudit(trx, BOOT, {
            action: 'role.sync',
            entityType: 'role',
            entityId: inserted.id,
            after: { code: role.code, permissions: want },
            detail: { code: role.code, added: want, removed: [] },
          });
        continue;
      }
      // A custom role that took a built-in's code before it existed is left as its administrator made it.
      if (row.builtin !== 1) continue;
      const had = JSON.parse(row.permissions) as string[];
      const added = want.filter((p) => !had.includes(p));
      const removed = had.filter((p) => !want.includes(p)).sort();
      if (added.length === 0 && removed.length === 0 && had.length === want.length) continue;
      await trx
        .updateTable('roles')
        .set({ permissions: JSON.stringify(want), updated_at: now })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, BOOT, {
        action: 'role.sync',
        entityType: 'role',
        entityId: row.id,
        before: { permissions: had },
        after: { permissions: want },
        detail: { code: role.code, added, removed },
      });
    }
  });
}
