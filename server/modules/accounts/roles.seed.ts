// Inserts the built-in roles that are missing; an administrator's edits to existing ones are kept.
// The system administrator always holds every registered permission, new ones included.
import { PERMISSION_CODES } from '../../../common/permissions.js';
import { BUILTIN_ROLES } from '../../../common/roles.js';
import type { Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';

export async function ensureBuiltinRoles(db: Executor): Promise<void> {
  const have = new Set((await db.selectFrom('roles').select('code').execute()).map((r) => r.code));
  const now = nowIso();
  await db
    .updateTable('roles')
    .set({ permissions: JSON.stringify([...PERMISSION_CODES].sort()) })
    .where('code', '=', 'system_admin')
    .execute();
  const missing = BUILTIN_ROLES.filter((r) => !have.has(r.code));
  if (missing.length === 0) return;
  await db
    .insertInto('roles')
    .values(
      missing.map((r) => ({
        code: r.code,
        name_zh: r.zh,
        name_en: r.en,
        permissions: JSON.stringify([...r.permissions].sort()),
        builtin: 1,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}
