// The command system (指挥调度): incident commands, directives that cascade down the tree and come
// back (targets, relays, history, attachments), daily situation reports, notices delivered door to
// door, the cockpit's maintained counters, and the outbox of live updates that SSE clients read.
import { sql, type Kysely } from 'kysely';
import { blobType, dialectOf, idColumn, makeAppendOnly, pathType } from '../dialect.js';

// New permissions for the built-in roles of an existing installation (fresh ones get them on insert).
const LEAD = ['command.read', 'command.manage', 'directives.issue', 'reports.manage', 'notices.publish'];
const GRANTS: Record<string, string[]> = {
  district_commander: LEAD,
  town_commander: [...LEAD, 'directives.respond', 'reports.submit'],
  village_cadre: [
    'command.read',
    'directives.issue',
    'directives.respond',
    'reports.submit',
    'notices.publish',
    'notices.deliver',
  ],
  grid_worker: ['command.read', 'directives.respond', 'reports.submit', 'notices.deliver'],
};
/** Event states that count as open, frozen here as this migration saw them. */
const OPEN_EVENT_STATES = [
  'reported',
  'accepted',
  'dispatched',
  'returned',
  'in_progress',
  'extension_requested',
  'parked',
  'handled',
  'reopened',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);
  const path = pathType(d);

  await db.schema
    .createTable('incident_commands')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('response_level', 'text', (c) => c.notNull())
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('summary', 'text')
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_commands_path')
    .on('incident_commands')
    .columns(['node_path', 'id'])
    .execute();
  await db.schema
    .createTable('incident_command_officers')
    .addColumn('command_id', 'integer', (c) => c.notNull().references('incident_commands.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('incident_command_officers_pk', ['command_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('directives')
    .addColumn('id', 'integer', id)
    .addColumn('command_id', 'integer', (c) => c.references('incident_commands.id'))
    // A relay names the directive it passes down and the target (its own node's) it came from.
    .addColumn('parent_id', 'integer', (c) => c.references('directives.id'))
    .addColumn('parent_target_id', 'integer')
    .addColumn('root_id', 'integer')
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('issuer_node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('issuer_node_path', path, (c) => c.notNull())
    .addColumn('issued_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('sign_due_at', 'text', (c) => c.notNull())
    .addColumn('report_due_at', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_level', 'text')
    .addColumn('target_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('directives_issuer')
    .on('directives')
    .columns(['issuer_node_path', 'id'])
    .execute();
  await db.schema.createIndex('directives_root').on('directives').columns(['root_id', 'id']).execute();
  await db.schema.createIndex('directives_command').on('directives').columns(['command_id', 'id']).execute();
  // A node relays a directive once, even when two of its commanders press at the same moment.
  await db.schema
    .createIndex('directives_relay_once')
    .on('directives')
    .columns(['parent_id', 'issuer_node_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('directive_targets')
    .addColumn('id', 'integer', id)
    .addColumn('directive_id', 'integer', (c) => c.notNull().references('directives.id'))
    .addColumn('root_id', 'integer', (c) => c.notNull())
    .addColumn('command_id', 'integer')
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('node_level', 'text', (c) => c.notNull())
    // pending → signed → reported; `overdue` is set by the sweep when a deadline passes and cleared by the step that meets it.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('overdue', 'integer', (c) => c.notNull())
    .addColumn('sign_due_at', 'text', (c) => c.notNull())
    .addColumn('report_due_at', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text')
    .addColumn('signed_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('reported_at', 'text')
    .addColumn('reported_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('report_text', 'text')
    .addColumn('report_figures', 'text')
    .addColumn('sign_escalated_at', 'text')
    .addColumn('report_escalated_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('relay_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('directive_targets_once', ['directive_id', 'node_id'])
    .execute();
  await db.schema
    .createIndex('directive_targets_root')
    .on('directive_targets')
    .columns(['root_id', 'node_path'])
    .execute();
  await db.schema
    .createIndex('directive_targets_node')
    .on('directive_targets')
    .columns(['node_id', 'state'])
    .execute();
  await db.schema
    .createIndex('directive_targets_path')
    .on('directive_targets')
    .columns(['node_path', 'state'])
    .execute();
  // The sweep's: only open targets not yet escalated, so a year of finished ones costs it nothing.
  await db.schema
    .createIndex('directive_targets_sign_due')
    .on('directive_targets')
    .column('sign_due_at')
    .where(sql.raw<boolean>("state = 'pending' and sign_escalated_at is null"))
    .execute();
  await db.schema
    .createIndex('directive_targets_report_due')
    .on('directive_targets')
    .column('report_due_at')
    .where(sql.raw<boolean>("state <> 'reported' and report_escalated_at is null"))
    .execute();

  await db.schema
    .createTable('directive_history')
    .addColumn('id', 'integer', id)
    .addColumn('directive_id', 'integer', (c) => c.notNull().references('directives.id'))
    .addColumn('target_id', 'integer', (c) => c.references('directive_targets.id'))
    .addColumn('root_id', 'integer', (c) => c.notNull())
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .execute();
  await db.schema
    .createIndex('directive_history_directive')
    .on('directive_history')
    .columns(['directive_id', 'id'])
    .execute();
  await db.schema
    .createIndex('directive_history_action')
    .on('directive_history')
    .columns(['action', 'id'])
    .execute();
  await makeAppendOnly(db, 'directive_history');

  // Attachments of a directive or of a target's report-back, held under a one-time token until used (as event photos).
  await db.schema
    .createTable('directive_files')
    .addColumn('id', 'integer', id)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('directive_id', 'integer', (c) => c.references('directives.id'))
    .addColumn('target_id', 'integer', (c) => c.references('directive_targets.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', blobType(d), (c) => c.notNull())
    .addColumn('uploaded_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'text')
    .execute();
  await db.schema
    .createIndex('directive_files_directive')
    .on('directive_files')
    .columns(['directive_id', 'target_id'])
    .execute();

  await db.schema
    .createTable('report_templates')
    .addColumn('id', 'integer', id)
    .addColumn('command_id', 'integer', (c) => c.references('incident_commands.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('target_level', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('due_time', 'text', (c) => c.notNull())
    .addColumn('start_day', 'text', (c) => c.notNull())
    .addColumn('end_day', 'text')
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await db.schema
    .createIndex('report_templates_path')
    .on('report_templates')
    .columns(['node_path', 'id'])
    .execute();
  await db.schema
    .createTable('report_submissions')
    .addColumn('id', 'integer', id)
    .addColumn('template_id', 'integer', (c) => c.notNull().references('report_templates.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('values', 'text', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('submitted_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_submissions_once', ['template_id', 'day', 'node_id'])
    .execute();
  await db.schema
    .createIndex('report_submissions_day')
    .on('report_submissions')
    .columns(['template_id', 'day', 'node_path'])
    .execute();

  await db.schema
    .createTable('notices')
    .addColumn('id', 'integer', id)
    .addColumn('command_id', 'integer', (c) => c.references('incident_commands.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('households', 'integer', (c) => c.notNull())
    // The notice goes to households registered by its publication: those with an id up to this one.
    .addColumn('last_household_id', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by_user_id', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('notices_path').on('notices').columns(['node_path', 'id']).execute();
  await db.schema
    .createTable('notice_deliveries')
    .addColumn('id', 'integer', id)
    .addColumn('notice_id', 'integer', (c) => c.notNull().references('notices.id'))
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('delivered_at', 'text', (c) => c.notNull())
    .addColumn('delivered_by_user_id', 'integer', (c) => c.references('users.id'))
    .addUniqueConstraint('notice_deliveries_once', ['notice_id', 'household_id'])
    .execute();
  await db.schema
    .createIndex('notice_deliveries_path')
    .on('notice_deliveries')
    .columns(['notice_id', 'node_path'])
    .execute();
  // Households and deliveries per node of the notice's subtree (the node itself and every node below that has households).
  await db.schema
    .createTable('notice_progress')
    .addColumn('notice_id', 'integer', (c) => c.notNull().references('notices.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('households', 'integer', (c) => c.notNull())
    .addColumn('delivered', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_progress_pk', ['notice_id', 'node_path'])
    .execute();

  // The cockpit's figures: counters per node path (the node and every ancestor are bumped together),
  // per command (0 = all), changed in the same transaction as the change they count.
  await db.schema
    .createTable('live_counters')
    .addColumn('command_id', 'integer', (c) => c.notNull())
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_counters_pk', ['command_id', 'metric', 'node_path'])
    .execute();

  // The outbox of live updates: written in the change's transaction, read by every app process's
  // bus and pushed to SSE clients whose jurisdiction holds one of `paths`. Ids follow commit order
  // (written under the audit chain's lock), so `Last-Event-ID` replays exactly what was missed.
  await db.schema
    .createTable('live_events')
    .addColumn('id', 'integer', id)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('command_id', 'integer')
    .addColumn('paths', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('live_events_at').on('live_events').column('at').execute();
  // The cockpit's feed of latest escalations reads escalations newest first.
  await db.schema.createIndex('event_history_action').on('event_history').columns(['action', 'id']).execute();

  // Open events per node and ancestor, counted once from what is there.
  const open = await db
    .selectFrom('events')
    .select(['node_path', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', OPEN_EVENT_STATES)
    .groupBy('node_path')
    .execute();
  const totals = new Map<string, number>();
  for (const r of open) {
    const ids = String(r.node_path).split('/').filter(Boolean);
    for (let i = 1; i <= ids.length; i++) {
      const p = `/${ids.slice(0, i).join('/')}/`;
      totals.set(p, (totals.get(p) ?? 0) + Number(r.n));
    }
  }
  const rows = [...totals].map(([node_path, value]) => ({
    command_id: 0,
    node_path,
    metric: 'events.open',
    value,
  }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('live_counters')
      .values(rows.slice(i, i + 500))
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
  await db.schema.dropIndex('event_history_action').execute();
  for (const t of [
    'live_events',
    'live_counters',
    'notice_progress',
    'notice_deliveries',
    'notices',
    'report_submissions',
    'report_templates',
    'directive_files',
    'directive_history',
    'directive_targets',
    'directives',
    'incident_command_officers',
    'incident_commands',
  ])
    await db.schema.dropTable(t).execute();
}
