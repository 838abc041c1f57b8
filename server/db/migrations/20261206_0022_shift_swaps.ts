// Joint defence (治安联防), duty rosters continued: swap requests (a rostered person hands their place
// on a shift to another account, or trades it for that account's shift, or opens it up; the
// checkpoint's lead or a roster manager decides), the reminders sent before a shift (one per
// assignment, recorded so a restart does not send it again), and the mark a check-in gets when the
// sweep stopped counting it as on duty because its shift ended without a check-out.
import { type Kysely } from 'kysely';
import { dialectOf, idColumn, pathType } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);
  const path = pathType(d);

  await db.schema
    .createTable('shift_swaps')
    .addColumn('id', 'integer', id)
    .addColumn('shift_id', 'integer', (c) => c.notNull().references('shifts.id'))
    .addColumn('checkpoint_id', 'integer', (c) => c.notNull().references('checkpoints.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('from_user_id', 'integer', (c) => c.notNull().references('users.id'))
    // Who takes the place (null: opened up for the lead to fill), and the shift they give in exchange.
    .addColumn('to_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('to_shift_id', 'integer', (c) => c.references('shifts.id'))
    .addColumn('reason', 'text')
    // pending | approved | refused | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('note', 'text')
    .execute();
  // A checkpoint's requests (the lead's queue), a subtree's, and a person's own (asked or offered).
  await db.schema
    .createIndex('shift_swaps_checkpoint')
    .on('shift_swaps')
    .columns(['checkpoint_id', 'id'])
    .execute();
  await db.schema.createIndex('shift_swaps_path').on('shift_swaps').columns(['node_path', 'id']).execute();
  await db.schema.createIndex('shift_swaps_from').on('shift_swaps').columns(['from_user_id', 'id']).execute();
  await db.schema.createIndex('shift_swaps_to').on('shift_swaps').columns(['to_user_id', 'id']).execute();

  await db.schema
    .createTable('shift_reminders')
    .addColumn('assignment_id', 'integer', (c) => c.primaryKey().references('shift_assignments.id'))
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();

  // Set when the sweep took a check-in without a check-out off the staffed-now counter.
  await db.schema.alterTable('shift_check_ins').addColumn('uncounted_at', 'text').execute();
  // The sweep's question: check-ins still counted as on duty.
  await db.schema
    .createIndex('shift_check_ins_open')
    .on('shift_check_ins')
    .columns(['checked_out_at', 'uncounted_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('shift_check_ins_open').execute();
  await db.schema.alterTable('shift_check_ins').dropColumn('uncounted_at').execute();
  for (const t of ['shift_reminders', 'shift_swaps']) await db.schema.dropTable(t).execute();
}
