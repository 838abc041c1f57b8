// Joint services (服务联办): volunteer organisations (NGOs, party branches, enterprises, owners'
// committees) and their volunteers, each linked to a person record with consent recorded; invitation
// links; call-outs with their sign-ups, check-ins and credited minutes (filled counted on the row, so
// that "fill until full" is one guarded update); service requests for people in need; care rosters
// for vulnerable residents (one row a person: the tag that makes visits due, the next due day) and the
// visits logged; hours per volunteer and organisation per month for rankings.
import { type Kysely } from 'kysely';
import { blobType, dialectOf, idColumn, pathType } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);
  const path = pathType(d);
  const blob = blobType(d);

  await db.schema
    .createTable('volunteer_orgs')
    .addColumn('id', 'integer', id)
    // ngo | party_branch | enterprise | owners_committee
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // The organisation's area: where it serves and whose coordinators manage it.
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('minutes_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('volunteer_orgs_path').on('volunteer_orgs').columns(['node_path']).execute();
  await db.schema
    .createTable('volunteer_org_coordinators')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('volunteer_orgs.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('volunteer_org_coordinators_pk', ['org_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('volunteers')
    .addColumn('id', 'integer', id)
    .addColumn('person_id', 'integer', (c) => c.notNull().unique().references('persons.id'))
    // The account they sign in with, when they have one.
    .addColumn('user_id', 'integer', (c) => c.unique().references('users.id'))
    .addColumn('org_id', 'integer', (c) => c.references('volunteer_orgs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('home_node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('home_path', path, (c) => c.notNull())
    .addColumn('party_member', 'integer', (c) => c.notNull())
    // JSON arrays of codes; availability as [{day, from, to}] windows.
    .addColumn('skills', 'text', (c) => c.notNull())
    .addColumn('certifications', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('availability', 'text', (c) => c.notNull())
    // active | paused | left
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('consent_at', 'text', (c) => c.notNull())
    .addColumn('consent_recorded_by', 'integer', (c) => c.references('users.id'))
    // invitation | coordinator | import
    .addColumn('joined_via', 'text', (c) => c.notNull())
    .addColumn('minutes_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('no_shows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // "Volunteers near a place" and "a coordinator's people": a range on the home path.
  await db.schema
    .createIndex('volunteers_home')
    .on('volunteers')
    .columns(['home_path', 'status', 'id'])
    .execute();
  await db.schema.createIndex('volunteers_org').on('volunteers').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('volunteer_invitations')
    .addColumn('id', 'integer', id)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('org_id', 'integer', (c) => c.references('volunteer_orgs.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('max_uses', 'integer', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('callouts')
    .addColumn('id', 'integer', id)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('meeting_point', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    // Kept with each sign-up in its transaction: the guarded "filled < capacity" update is the lock.
    .addColumn('filled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skills', 'text', (c) => c.notNull())
    // A checkpoint's uncovered shift turned into a call-out: who signs up stands the shift.
    .addColumn('shift_id', 'integer', (c) => c.unique().references('shifts.id'))
    .addColumn('org_id', 'integer', (c) => c.references('volunteer_orgs.id'))
    // open | closed | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('posted_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('callouts_path_start')
    .on('callouts')
    .columns(['node_path', 'starts_at'])
    .execute();
  await db.schema.createIndex('callouts_status_end').on('callouts').columns(['status', 'ends_at']).execute();

  await db.schema
    .createTable('callout_signups')
    .addColumn('id', 'integer', id)
    .addColumn('callout_id', 'integer', (c) => c.notNull().references('callouts.id'))
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id'))
    // signed_up | withdrawn | checked_in | done | no_show
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('checked_in_at', 'text')
    .addColumn('in_lat', 'double precision')
    .addColumn('in_lng', 'double precision')
    .addColumn('checked_out_at', 'text')
    .addColumn('out_lat', 'double precision')
    .addColumn('out_lng', 'double precision')
    .addColumn('minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('callout_signups_once', ['callout_id', 'volunteer_id'])
    .execute();
  await db.schema
    .createIndex('callout_signups_volunteer')
    .on('callout_signups')
    .columns(['volunteer_id', 'callout_id'])
    .execute();

  await db.schema
    .createTable('service_requests')
    .addColumn('id', 'integer', id)
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    // meals | medicine | shopping | accompaniment | home_repair | companionship
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    // grid_worker | carer | follow_up | public | coordinator
    .addColumn('source', 'text', (c) => c.notNull())
    // The home-observation follow-up that raised it, when one did.
    .addColumn('follow_up_id', 'integer')
    // open | assigned | accepted | done | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('volunteer_id', 'integer', (c) => c.references('volunteers.id'))
    .addColumn('org_id', 'integer', (c) => c.references('volunteer_orgs.id'))
    // Taken (accepted) by then, or it escalates a level and the deadline moves on.
    .addColumn('respond_by', 'text', (c) => c.notNull())
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escalated_at', 'text')
    .addColumn('accepted_at', 'text')
    .addColumn('done_at', 'text')
    .addColumn('done_note', 'text')
    .addColumn('photo_sha256', 'text')
    .addColumn('photo_mime', 'text')
    .addColumn('photo', blob)
    .addColumn('minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('satisfaction', 'integer')
    .addColumn('cancel_reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('service_requests_path')
    .on('service_requests')
    .columns(['node_path', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('service_requests_volunteer')
    .on('service_requests')
    .columns(['volunteer_id', 'status'])
    .execute();
  await db.schema
    .createIndex('service_requests_due')
    .on('service_requests')
    .columns(['status', 'respond_by'])
    .execute();

  await db.schema
    .createTable('care_rules')
    .addColumn('tag_code', 'text', (c) => c.primaryKey())
    .addColumn('every_days', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('care_roster')
    .addColumn('id', 'integer', id)
    .addColumn('person_id', 'integer', (c) => c.notNull().unique().references('persons.id'))
    // The tag whose rule makes visits due soonest: the only tag a visitor is shown.
    .addColumn('tag_code', 'text', (c) => c.notNull())
    .addColumn('every_days', 'integer', (c) => c.notNull())
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('visitor_id', 'integer', (c) => c.references('volunteers.id'))
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('last_visit_on', 'text')
    .addColumn('next_due_on', 'text', (c) => c.notNull())
    .execute();
  // Overdue per grid: a range on the path, then on the due day.
  await db.schema
    .createIndex('care_roster_due')
    .on('care_roster')
    .columns(['node_path', 'next_due_on'])
    .execute();
  await db.schema.createIndex('care_roster_visitor').on('care_roster').columns(['visitor_id']).execute();
  await db.schema
    .createTable('care_visits')
    .addColumn('id', 'integer', id)
    .addColumn('roster_id', 'integer', (c) => c.notNull().references('care_roster.id'))
    .addColumn('volunteer_id', 'integer', (c) => c.references('volunteers.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('visited_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('care_visits_roster')
    .on('care_visits')
    .columns(['roster_id', 'visited_on'])
    .execute();

  // Minutes credited per volunteer per month (local), with their organisation then: rankings per period.
  await db.schema
    .createTable('volunteer_hours')
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('home_path', path, (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('volunteer_hours_pk', ['volunteer_id', 'month'])
    .execute();
  // Covering: a month's or a town's ranking sums minutes per volunteer or organisation from the index
  // alone (a district's year reads most of the table either way).
  await db.schema
    .createIndex('volunteer_hours_month')
    .on('volunteer_hours')
    .columns(['month', 'home_path', 'volunteer_id', 'org_id', 'minutes'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'volunteer_hours',
    'care_visits',
    'care_roster',
    'care_rules',
    'service_requests',
    'callout_signups',
    'callouts',
    'volunteer_invitations',
    'volunteers',
    'volunteer_org_coordinators',
    'volunteer_orgs',
  ])
    await db.schema.dropTable(t).execute();
}
