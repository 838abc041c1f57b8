// Joint defence, part two: passages registered at checkpoints (卡口登记), the people aboard (ID
// number and phone encrypted, blind-indexed and masked as in `persons`, and linked to the registry's
// person by the blind index, never creating one), the idempotency keys that make a retried
// registration answer the first one, hourly counts kept in the registration's transaction for the
// statistics, risk rules per incident command, and hand-offs of risky travellers to the grid they
// are bound for, with their history.
import { type Kysely } from 'kysely';
import { dialectOf, idColumn, pathType } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);
  const path = pathType(d);

  await db.schema
    .createTable('passages')
    .addColumn('id', 'integer', id)
    .addColumn('checkpoint_id', 'integer', (c) => c.notNull().references('checkpoints.id'))
    // The checkpoint's path when registered: the chain of command's scope and the subtree index.
    .addColumn('node_path', path, (c) => c.notNull())
    // The checkpoint's incident command when registered (its risk rules and retention), if any.
    .addColumn('command_id', 'integer', (c) => c.references('incident_commands.id'))
    .addColumn('direction', 'text', (c) => c.notNull())
    // Normalised (upper case, no separators), as parsePlate answers it.
    .addColumn('plate', 'text')
    .addColumn('vehicle_type', 'text')
    .addColumn('origin_region', 'text')
    .addColumn('destination_node_id', 'integer', (c) => c.references('nodes.id'))
    .addColumn('destination_region', 'text')
    .addColumn('purpose', 'text')
    // The screening answers for everyone aboard, JSON (a traveller's own answers win).
    .addColumn('answers', 'text')
    .addColumn('risky', 'integer', (c) => c.notNull())
    .addColumn('people_count', 'integer', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('registered_by_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Plate search, a checkpoint's passages over time, a subtree's over time, and a command's risky
  // ones (the outbound list and the retention job).
  // The plate index carries the id and the path too, so that a plate search's count and its page of
  // ids (scoped by path, newest first) are read from the index alone (ADR 0016).
  await db.schema
    .createIndex('passages_plate_cover')
    .on('passages')
    .columns(['plate', 'registered_at', 'id', 'node_path'])
    .execute();
  await db.schema
    .createIndex('passages_checkpoint_at')
    .on('passages')
    .columns(['checkpoint_id', 'registered_at'])
    .execute();
  await db.schema
    .createIndex('passages_path_at')
    .on('passages')
    .columns(['node_path', 'registered_at'])
    .execute();
  await db.schema.createIndex('passages_command').on('passages').columns(['command_id', 'risky']).execute();

  await db.schema
    .createTable('passage_people')
    .addColumn('id', 'integer', id)
    .addColumn('passage_id', 'integer', (c) => c.notNull().references('passages.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('id_number_enc', 'text')
    .addColumn('id_number_bidx', 'text')
    .addColumn('id_number_masked', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('phone_bidx', 'text')
    .addColumn('phone_masked', 'text')
    .addColumn('no_id_reason', 'text')
    // The registry's person with the same ID number's blind index, when there is one.
    .addColumn('person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('answers', 'text')
    .addColumn('temperature', 'double precision')
    .addColumn('risky', 'integer', (c) => c.notNull())
    // RISK_REASONS codes, JSON
    .addColumn('reasons', 'text')
    .execute();
  await db.schema
    .createIndex('passage_people_passage')
    .on('passage_people')
    .columns(['passage_id', 'id'])
    .execute();
  await db.schema
    .createIndex('passage_people_id_bidx')
    .on('passage_people')
    .columns(['id_number_bidx', 'passage_id'])
    .execute();
  await db.schema
    .createIndex('passage_people_name')
    .on('passage_people')
    .columns(['name', 'passage_id'])
    .execute();

  // A retried registration (same user, same Idempotency-Key) answers the first passage: the unique
  // pair is what makes two copies arriving at the same moment register once.
  await db.schema
    .createTable('passage_idempotency')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    // SHA-256 of the request body in a canonical form: the same key with another body is refused.
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('passage_id', 'integer', (c) => c.notNull().references('passages.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('passage_idempotency_pk', ['user_id', 'key'])
    .execute();
  await db.schema
    .createIndex('passage_idempotency_passage')
    .on('passage_idempotency')
    .column('passage_id')
    .execute();

  // Passages per checkpoint per hour (UTC hour, 'YYYY-MM-DDTHH'), kept in the registration's
  // transaction, so that a week's statistics read 168 rows, not every passage.
  await db.schema
    .createTable('passage_hourly')
    .addColumn('checkpoint_id', 'integer', (c) => c.notNull().references('checkpoints.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('in_count', 'integer', (c) => c.notNull())
    .addColumn('out_count', 'integer', (c) => c.notNull())
    .addColumn('risky_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('passage_hourly_pk', ['checkpoint_id', 'hour'])
    .execute();
  await db.schema
    .createIndex('passage_hourly_path')
    .on('passage_hourly')
    .columns(['node_path', 'hour'])
    .execute();

  await db.schema
    .createTable('risk_rules')
    .addColumn('command_id', 'integer', (c) => c.primaryKey().references('incident_commands.id'))
    // Region codes, JSON
    .addColumn('key_regions', 'text', (c) => c.notNull())
    .addColumn('key_region_14d_risky', 'integer', (c) => c.notNull())
    .addColumn('case_contact_risky', 'integer', (c) => c.notNull())
    .addColumn('fever_at', 'double precision', (c) => c.notNull())
    .addColumn('handoff_hours', 'integer', (c) => c.notNull())
    .addColumn('retention_days', 'integer', (c) => c.notNull())
    .addColumn('updated_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('handoffs')
    .addColumn('id', 'integer', id)
    .addColumn('passage_id', 'integer', (c) => c.notNull().references('passages.id'))
    .addColumn('passage_person_id', 'integer', (c) => c.notNull().unique().references('passage_people.id'))
    .addColumn('checkpoint_id', 'integer', (c) => c.notNull().references('checkpoints.id'))
    .addColumn('command_id', 'integer', (c) => c.references('incident_commands.id'))
    // The grid (or the place above one) the traveller is bound for, and its path: the worker's scope.
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    // open | visited | closed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('overdue', 'integer', (c) => c.notNull())
    .addColumn('escalated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // A grid's open hand-offs by due time (the worker's tasks), and the sweep's "open and past due".
  await db.schema
    .createIndex('handoffs_path')
    .on('handoffs')
    .columns(['node_path', 'state', 'due_at'])
    .execute();
  await db.schema.createIndex('handoffs_due').on('handoffs').columns(['state', 'due_at']).execute();
  await db.schema.createIndex('handoffs_passage').on('handoffs').column('passage_id').execute();

  await db.schema
    .createTable('handoff_history')
    .addColumn('id', 'integer', id)
    .addColumn('handoff_id', 'integer', (c) => c.notNull().references('handoffs.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    // create | visit | close | escalate
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('handoff_history_handoff')
    .on('handoff_history')
    .columns(['handoff_id', 'id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'handoff_history',
    'handoffs',
    'risk_rules',
    'passage_hourly',
    'passage_idempotency',
    'passage_people',
    'passages',
  ])
    await db.schema.dropTable(t).execute();
}
