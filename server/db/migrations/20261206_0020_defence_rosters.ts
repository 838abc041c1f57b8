// Joint defence (治安联防), part one: checkpoints and their duty rosters. A checkpoint sits at a node
// (its path kept beside it, as every placed record, for subtree ranges) and optionally under an
// incident command; it keeps one shift pattern; shifts are rows of their own (generated from the
// pattern by server/modules/defence/roster.ts, one per checkpoint and start), people are assigned to
// shifts with a role, and each assignment has at most one check-in (with its place) and check-out.
import { type Kysely } from 'kysely';
import { dialectOf, idColumn, pathType } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);
  const path = pathType(d);

  await db.schema
    .createTable('checkpoints')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull())
    // expressway_exit | road | village_entrance | compound_gate | other
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('command_id', 'integer', (c) => c.references('incident_commands.id'))
    // open | suspended | closed, since status_from (a bulk opening may name the hour it takes effect)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_from', 'text', (c) => c.notNull())
    .addColumn('staff_per_shift', 'integer', (c) => c.notNull())
    .addColumn('lead_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Lists by subtree, newest first; and a command's checkpoints for opening and closing in bulk.
  await db.schema.createIndex('checkpoints_path').on('checkpoints').columns(['node_path', 'id']).execute();
  await db.schema
    .createIndex('checkpoints_command')
    .on('checkpoints')
    .columns(['command_id', 'id'])
    .execute();

  await db.schema
    .createTable('roster_patterns')
    .addColumn('checkpoint_id', 'integer', (c) => c.primaryKey().references('checkpoints.id'))
    // three_by_eight | two_by_twelve | custom; the pattern itself as roster.ts's ShiftPattern, JSON
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('updated_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('shifts')
    .addColumn('id', 'integer', id)
    .addColumn('checkpoint_id', 'integer', (c) => c.notNull().references('checkpoints.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    // The local date its duty day began on, and its place in that day (roster.ts's Shift)
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Generating a range again adds only the shifts not there yet; and this index serves "a
    // checkpoint's shifts in a time range".
    .addUniqueConstraint('shifts_checkpoint_start', ['checkpoint_id', 'starts_at'])
    .execute();
  // "A node's subtree's shifts ahead": range on the path, then on the start.
  await db.schema.createIndex('shifts_path_start').on('shifts').columns(['node_path', 'starts_at']).execute();

  await db.schema
    .createTable('shift_assignments')
    .addColumn('id', 'integer', id)
    .addColumn('shift_id', 'integer', (c) => c.notNull().references('shifts.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // police | cadre | grid_worker | party_member | volunteer | other
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('assigned_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('shift_assignments_shift_user', ['shift_id', 'user_id'])
    .execute();
  // "My shifts": a person's assignments.
  await db.schema
    .createIndex('shift_assignments_user')
    .on('shift_assignments')
    .columns(['user_id', 'shift_id'])
    .execute();

  await db.schema
    .createTable('shift_check_ins')
    .addColumn('id', 'integer', id)
    .addColumn('assignment_id', 'integer', (c) => c.notNull().unique().references('shift_assignments.id'))
    .addColumn('checked_in_at', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('checked_out_at', 'text')
    .addColumn('out_lat', 'double precision')
    .addColumn('out_lng', 'double precision')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['shift_check_ins', 'shift_assignments', 'shifts', 'roster_patterns', 'checkpoints'])
    await db.schema.dropTable(t).execute();
}
