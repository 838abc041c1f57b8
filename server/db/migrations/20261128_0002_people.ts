// People and households registry: encrypted identity with blind indexes, tags, history, import jobs.
import type { Kysely } from 'kysely';
import { dialectOf, idColumn, pathType } from '../dialect.js';

// New permissions for the built-in roles of an existing installation (fresh ones get them on insert).
const GRANTS: Record<string, string[]> = {
  district_commander: ['people.read'],
  town_commander: ['people.read', 'people.reveal', 'people.merge'],
  village_cadre: ['people.read', 'people.write', 'people.import', 'people.reveal', 'people.merge'],
  grid_worker: ['people.read', 'people.write'],
  mediator: ['people.read'],
  counsellor: ['people.read'],
  volunteer_coordinator: ['people.read'],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);

  await db.schema
    .createTable('tags')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retired_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('households')
    .addColumn('id', 'integer', id)
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', pathType(d), (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('head_person_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('households_node_path').on('households').columns(['node_path', 'id']).execute();

  await db.schema
    .createTable('persons')
    .addColumn('id', 'integer', id)
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', pathType(d), (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('id_number_enc', 'text')
    .addColumn('id_number_bidx', 'text')
    .addColumn('id_number_masked', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('phone_bidx', 'text')
    .addColumn('phone_masked', 'text')
    .addColumn('gender', 'text')
    .addColumn('birth_date', 'text')
    .addColumn('ethnicity', 'text')
    .addColumn('household_id', 'integer', (c) => c.references('households.id'))
    .addColumn('relation_to_head', 'text')
    .addColumn('address', 'text')
    .addColumn('residence_type', 'text', (c) => c.notNull())
    .addColumn('arrival_date', 'text')
    .addColumn('origin_region', 'text')
    .addColumn('no_id_reason', 'text')
    .addColumn('notes', 'text')
    .addColumn('merged_into_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('persons_id_bidx').on('persons').column('id_number_bidx').unique().execute();
  await db.schema.createIndex('persons_phone_bidx').on('persons').column('phone_bidx').execute();
  await db.schema
    .createIndex('persons_node_path_name')
    .on('persons')
    .columns(['node_path', 'name', 'id'])
    .execute();
  await db.schema.createIndex('persons_name').on('persons').columns(['name', 'id']).execute();
  await db.schema.createIndex('persons_household').on('persons').column('household_id').execute();

  await db.schema
    .createTable('person_tags')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('tag_code', 'text', (c) => c.notNull().references('tags.code'))
    .addPrimaryKeyConstraint('person_tags_pk', ['person_id', 'tag_code'])
    .execute();
  await db.schema
    .createIndex('person_tags_tag')
    .on('person_tags')
    .columns(['tag_code', 'person_id'])
    .execute();

  await db.schema
    .createTable('person_history')
    .addColumn('id', 'integer', id)
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema
    .createIndex('person_history_person')
    .on('person_history')
    .columns(['person_id', 'id'])
    .execute();

  await db.schema
    .createTable('import_jobs')
    .addColumn('id', 'integer', id)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'text')
    .addColumn('error_rows_enc', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('import_jobs_ref').on('import_jobs').columns(['created_by', 'ref']).execute();

  const now = new Date().toISOString();
  const tags: [string, string, string][] = [
    ['elderly_alone', '独居老人', 'Elderly living alone'],
    ['widowed', '丧偶', 'Widowed'],
    ['orphaned', '孤儿', 'Orphaned'],
    ['left_behind_child', '留守儿童', 'Left-behind child'],
    ['disabled', '残疾人', 'Disabled'],
    ['key_care', '重点关爱', 'Key care'],
    ['party_member', '党员', 'Party member'],
    ['volunteer', '志愿者', 'Volunteer'],
  ];
  await db
    .insertInto('tags')
    .values(
      tags.map(([code, zh, en]) => ({
        code,
        name_zh: zh,
        name_en: en,
        builtin: 1,
        retired_at: null,
        created_at: now,
      })),
    )
    .execute();

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
  for (const t of ['import_jobs', 'person_history', 'person_tags', 'persons', 'households', 'tags'])
    await db.schema.dropTable(t).execute();
}
