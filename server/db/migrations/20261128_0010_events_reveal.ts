// events.reveal, the audited reveal of an event reporter's phone, for the built-in roles that triage
// on an existing installation (fresh ones get it on insert). An administrator's own roles are left as
// they are. No schema change.
import type { Kysely } from 'kysely';

const GRANTS: Record<string, string[]> = {
  district_commander: ['events.reveal'],
  town_commander: ['events.reveal'],
  village_cadre: ['events.reveal'],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const [code, perms] of Object.entries(GRANTS)) {
    const role: { id: number; permissions: string } | undefined = await db
      .selectFrom('roles')
      .select(['id', 'permissions'])
      .where('code', '=', code)
      .executeTakeFirst();
    if (!role) continue;
    const merged = [...new Set([...(JSON.parse(role.permissions) as string[]), ...perms])].sort();
    await db
      .updateTable('roles')
      .set({ permissions: JSON.stringify(merged) })
      .where('id', '=', role.id)
      .execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const code of Object.keys(GRANTS)) {
    const role: { id: number; permissions: string } | undefined = await db
      .selectFrom('roles')
      .select(['id', 'permissions'])
      .where('code', '=', code)
      .executeTakeFirst();
    if (!role) continue;
    const kept = (JSON.parse(role.permissions) as string[]).filter((p) => p !== 'events.reveal');
    await db
      .updateTable('roles')
      .set({ permissions: JSON.stringify(kept) })
      .where('id', '=', role.id)
      .execute();
  }
}
