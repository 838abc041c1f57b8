import type { DB } from '../../db/index.js';

/** Of these sessions, the ones still signed in (not signed out, not expired). */
export async function liveSessions(db: DB, ids: readonly number[], now: string): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('sessions')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .where('expires_at', '>', now)
      .execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}
