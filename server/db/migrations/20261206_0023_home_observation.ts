// Home observation (居家观察): orders for people observed at home, their carers, the household
// members observed with them, and one follow-up row a day, generated when the order is made (and
// extended) so that "due today" and "missed" are index lookups. Dates are Asia/Shanghai calendar
// days as 'YYYY-MM-DD' text, never instants. The reason and each follow-up's findings are health
// data: stored encrypted (the personal-data key), readable only through the service.
import { type Kysely, sql } from 'kysely';
import { dialectOf, idColumn, pathType } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);
  const path = pathType(d);

  await db.schema
    .createTable('observation_orders')
    .addColumn('id', 'integer', id)
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    // The person's place when ordered: the order's scope and where its figures count.
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('command_id', 'integer', (c) => c.references('incident_commands.id'))
    .addColumn('reason_enc', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    // active | released | transferred
    .addColumn('status', 'text', (c) => c.notNull())
    // hospital | moved_away, for a transfer
    .addColumn('transfer_to', 'text')
    .addColumn('created_by_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The local date it was made: days before it (a start yesterday) are never flagged missed.
    .addColumn('created_on', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  // A subtree's orders, newest first; one order in observation per person at a time.
  await db.schema
    .createIndex('observation_orders_path')
    .on('observation_orders')
    .columns(['node_path', 'id'])
    .execute();
  await db.schema
    .createIndex('observation_orders_active_person')
    .on('observation_orders')
    .column('person_id')
    .unique()
    .where(sql.ref('status'), '=', 'active')
    .execute();

  await db.schema
    .createTable('observation_carers')
    .addColumn('order_id', 'integer', (c) => c.notNull().references('observation_orders.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // party_member | grid_worker | doctor
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('observation_carers_pk', ['order_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('observation_carers_user')
    .on('observation_carers')
    .columns(['user_id', 'order_id'])
    .execute();

  await db.schema
    .createTable('observation_members')
    .addColumn('order_id', 'integer', (c) => c.notNull().references('observation_orders.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addPrimaryKeyConstraint('observation_members_pk', ['order_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('observation_follow_ups')
    .addColumn('id', 'integer', id)
    .addColumn('order_id', 'integer', (c) => c.notNull().references('observation_orders.id'))
    // The order's path, copied: a place's due follow-ups of a day are one index range.
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    // due | well | unwell | not_reached | refused | missed
    .addColumn('status', 'text', (c) => c.notNull())
    // temperature, symptoms, needs and note as encrypted JSON, once recorded
    .addColumn('detail_enc', 'text')
    .addColumn('recorded_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'text')
    // A day that found the person unwell is an alert at the top of the village's tasks until handled.
    .addColumn('handled_at', 'text')
    .addColumn('handled_by_user_id', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('observation_follow_ups_day')
    .on('observation_follow_ups')
    .columns(['order_id', 'date'])
    .unique()
    .execute();
  // The morning sweep's "still due, day past", and a place's follow-ups of a day (tasks).
  await db.schema
    .createIndex('observation_follow_ups_due')
    .on('observation_follow_ups')
    .columns(['status', 'date', 'node_path'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'observation_follow_ups',
    'observation_members',
    'observation_carers',
    'observation_orders',
  ])
    await db.schema.dropTable(t).execute();
}
