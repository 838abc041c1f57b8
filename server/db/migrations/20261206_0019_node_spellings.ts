// Places found by how their names are typed without a Chinese input method: each node keeps its
// name's full pinyin and initials (server/platform/spelling.ts), so a search by `zhangbancun` or
// `zbc` is a LIKE in SQL like a search by name. The nodes already there are spelled here, in batches.
import { sql, type Kysely } from 'kysely';
import { spellName } from '../../platform/spelling.js';

const BATCH = 500;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('nodes')
    .addColumn('name_pinyin', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('nodes')
    .addColumn('name_initials', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  for (let after = 0; ;) {
    const rows = (await db
      .selectFrom('nodes')
      .select(['id', 'name'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute()) as { id: number; name: string }[];
    if (rows.length === 0) break;
    // One statement a batch: update … set … = case id when … then … end.
    const spelled = rows.map((r) => ({ id: r.id, ...spellName(r.name) }));
    const caseOf = (col: 'name_pinyin' | 'name_initials') =>
      sql`case id ${sql.join(
        spelled.map((s) => sql`when ${s.id} then ${s[col]}`),
        sql` `,
      )} end`;
    await db
      .updateTable('nodes')
      .set({ name_pinyin: caseOf('name_pinyin'), name_initials: caseOf('name_initials') })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    after = rows.at(-1)!.id;
  }
}
