// Joint mediation and micro courts (矛盾联调): organisations (committees, micro-court points, the family
// team, the court) and their mediators; cases with their parties (ID numbers and phones encrypted,
// with a blind index for the signing check), evidence kept with its SHA-256, sessions, caucus messages;
// agreements with their generated PDF and both hashes, signatures and one-time sign links; judicial
// confirmations; cloud hearings booked on a point's one computer; follow-up visits. Open and
// concluded figures are counted in live_counters, not here.
import { type Kysely } from 'kysely';
import { blobType, dialectOf, idColumn, pathType } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);
  const path = pathType(d);
  const blob = blobType(d);

  await db.schema
    .createTable('mediation_orgs')
    .addColumn('id', 'integer', id)
    // committee | micro_court | family_team | court
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('equipment', 'text')
    .addColumn('hours', 'text')
    // A micro-court point's invited mediator (特邀调解员).
    .addColumn('in_charge_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mediation_orgs_path').on('mediation_orgs').columns(['node_path']).execute();

  await db.schema
    .createTable('mediators')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('mediation_orgs.id'))
    // Dispute types as JSON.
    .addColumn('specialties', 'text', (c) => c.notNull())
    .addColumn('qualification', 'text')
    .addColumn('profile', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('mediators_user_org', ['user_id', 'org_id'])
    .execute();

  await db.schema
    .createTable('mediation_cases')
    .addColumn('id', 'integer', id)
    .addColumn('dossier_year', 'integer', (c) => c.notNull())
    .addColumn('dossier_seq', 'integer', (c) => c.notNull())
    .addColumn('dossier_no', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('mediation_orgs.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('dispute_type', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('claims', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    // 1: a party's messages reach only the mediator unless both sides agree to a joint session.
    .addColumn('caucus', 'integer', (c) => c.notNull())
    .addColumn('mediator_id', 'integer', (c) => c.references('mediators.id'))
    .addColumn('event_id', 'integer', (c) => c.references('events.id'))
    .addColumn('failure_route', 'text')
    .addColumn('conclusion_note', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('concluded_at', 'text')
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id'))
    .addUniqueConstraint('mediation_cases_dossier', ['org_id', 'dossier_year', 'dossier_seq'])
    .execute();
  await db.schema
    .createIndex('mediation_cases_path')
    .on('mediation_cases')
    .columns(['node_path', 'status', 'id'])
    .execute();
  // The statistics read concluded cases by period under a subtree.
  await db.schema
    .createIndex('mediation_cases_concluded')
    .on('mediation_cases')
    .columns(['concluded_at', 'node_path'])
    .execute();
  await db.schema
    .createIndex('mediation_cases_mediator')
    .on('mediation_cases')
    .columns(['mediator_id', 'status'])
    .execute();

  await db.schema
    .createTable('mediation_parties')
    .addColumn('id', 'integer', id)
    .addColumn('case_id', 'integer', (c) => c.notNull().references('mediation_cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('id_number_enc', 'text')
    .addColumn('id_number_bidx', 'text')
    .addColumn('id_number_masked', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('phone_masked', 'text')
    .addColumn('agent', 'text')
    // pending | yes | no
    .addColumn('consent', 'text', (c) => c.notNull())
    .addColumn('online', 'integer', (c) => c.notNull())
    // SHA-256 of the party's own link (to follow the case and write to the mediator).
    .addColumn('access_hash', 'text')
    .execute();
  await db.schema
    .createIndex('mediation_parties_case')
    .on('mediation_parties')
    .columns(['case_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('mediation_parties_access')
    .on('mediation_parties')
    .columns(['access_hash'])
    .unique()
    .execute();

  await db.schema
    .createTable('mediation_evidence')
    .addColumn('id', 'integer', id)
    .addColumn('case_id', 'integer', (c) => c.notNull().references('mediation_cases.id'))
    .addColumn('party_id', 'integer', (c) => c.references('mediation_parties.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', blob, (c) => c.notNull())
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mediation_evidence_case')
    .on('mediation_evidence')
    .columns(['case_id'])
    .execute();

  await db.schema
    .createTable('mediation_sessions')
    .addColumn('id', 'integer', id)
    .addColumn('case_id', 'integer', (c) => c.notNull().references('mediation_cases.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('point_id', 'integer', (c) => c.references('mediation_orgs.id'))
    .addColumn('meeting_link', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    // The minutes' required elements and the parties present, as JSON once held.
    .addColumn('minutes', 'text')
    .addColumn('attendance', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mediation_sessions_case')
    .on('mediation_sessions')
    .columns(['case_id'])
    .execute();
  await db.schema
    .createIndex('mediation_sessions_time')
    .on('mediation_sessions')
    .columns(['starts_at'])
    .execute();

  await db.schema
    .createTable('mediation_messages')
    .addColumn('id', 'integer', id)
    .addColumn('case_id', 'integer', (c) => c.notNull().references('mediation_cases.id'))
    // null: written by the mediator.
    .addColumn('party_id', 'integer', (c) => c.references('mediation_parties.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    // 1: every party reads it; 0: only the mediator (and, for the mediator's own, its addressee).
    .addColumn('to_all', 'integer', (c) => c.notNull())
    .addColumn('to_party_id', 'integer', (c) => c.references('mediation_parties.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mediation_messages_case')
    .on('mediation_messages')
    .columns(['case_id', 'id'])
    .execute();

  await db.schema
    .createTable('mediation_agreements')
    .addColumn('id', 'integer', id)
    .addColumn('case_id', 'integer', (c) => c.notNull().references('mediation_cases.id'))
    // signing | in_effect | void
    .addColumn('status', 'text', (c) => c.notNull())
    // The Art. 29 contents as JSON (the PDF's source).
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('pdf', blob, (c) => c.notNull())
    .addColumn('pdf_sha256', 'text', (c) => c.notNull())
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('effective_at', 'text')
    .execute();
  await db.schema
    .createIndex('mediation_agreements_case')
    .on('mediation_agreements')
    .columns(['case_id', 'status'])
    .execute();
  await db.schema
    .createIndex('mediation_agreements_pdf')
    .on('mediation_agreements')
    .columns(['pdf_sha256'])
    .execute();

  // Who must sign (every party and the mediator, party_id null) and when they did.
  await db.schema
    .createTable('mediation_signatures')
    .addColumn('id', 'integer', id)
    .addColumn('agreement_id', 'integer', (c) => c.notNull().references('mediation_agreements.id'))
    .addColumn('party_id', 'integer', (c) => c.references('mediation_parties.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // online | assisted, once signed
    .addColumn('method', 'text')
    .addColumn('checked_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('signed_at', 'text')
    // SHA-256 of the current one-time link; cleared when used.
    .addColumn('link_hash', 'text')
    .execute();
  await db.schema
    .createIndex('mediation_signatures_agreement')
    .on('mediation_signatures')
    .columns(['agreement_id', 'party_id'])
    .execute();
  await db.schema
    .createIndex('mediation_signatures_link')
    .on('mediation_signatures')
    .columns(['link_hash'])
    .unique()
    .execute();

  await db.schema
    .createTable('mediation_confirmations')
    .addColumn('id', 'integer', id)
    .addColumn('agreement_id', 'integer', (c) => c.notNull().references('mediation_agreements.id'))
    .addColumn('court_id', 'integer', (c) => c.notNull().references('mediation_orgs.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('materials', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('accept_by', 'text', (c) => c.notNull())
    .addColumn('ruling', 'text')
    .addColumn('decided_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createIndex('mediation_confirmations_agreement')
    .on('mediation_confirmations')
    .columns(['agreement_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('mediation_confirmations_court')
    .on('mediation_confirmations')
    .columns(['court_id', 'status'])
    .execute();

  await db.schema
    .createTable('micro_hearings')
    .addColumn('id', 'integer', id)
    .addColumn('point_id', 'integer', (c) => c.notNull().references('mediation_orgs.id'))
    .addColumn('case_id', 'integer', (c) => c.references('mediation_cases.id'))
    .addColumn('judge_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('participants', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attendance_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('micro_hearings_point')
    .on('micro_hearings')
    .columns(['point_id', 'starts_at'])
    .execute();

  await db.schema
    .createTable('mediation_follow_ups')
    .addColumn('id', 'integer', id)
    .addColumn('agreement_id', 'integer', (c) => c.notNull().references('mediation_agreements.id'))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('mediation_cases.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('performance', 'text')
    .addColumn('satisfaction', 'integer')
    .addColumn('note', 'text')
    .addColumn('visited_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('visited_at', 'text')
    .execute();
  // The statistics' daily figures per place (the case's node and every ancestor), per dispute type
  // ('' for all types), kept in each change's transaction: a district's year is a few thousand rows
  // read by key, not a year of cases grouped on every call.
  await db.schema
    .createTable('mediation_stats_daily')
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('dispute_type', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agreements', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('withdrawals', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('days_sum', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('decided', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confirmed', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('mediation_stats_daily_pk', ['node_path', 'dispute_type', 'day'])
    .execute();

  await db.schema
    .createIndex('mediation_follow_ups_due')
    .on('mediation_follow_ups')
    .columns(['node_path', 'status', 'due_on'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'mediation_stats_daily',
    'mediation_follow_ups',
    'micro_hearings',
    'mediation_confirmations',
    'mediation_signatures',
    'mediation_agreements',
    'mediation_messages',
    'mediation_sessions',
    'mediation_evidence',
    'mediation_parties',
    'mediation_cases',
    'mediators',
    'mediation_orgs',
  ])
    await db.schema.dropTable(t).execute();
}
