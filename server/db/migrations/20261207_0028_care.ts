// Psychological care (心理关爱): scales (shipped ones synced at start, an administrator's own), one-time
// links a person fills without an account (the draft kept as they go), scored responses, urgent
// alerts from the crisis rules, counsellors' caseloads and their contacts. Answers, drafts, notes and
// referrals are health data: stored encrypted (`*_enc`), read only through the care service.
import type { Kysely } from 'kysely';
import { dialectOf, idColumn, pathType } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);
  const path = pathType(d);

  await db.schema
    .createTable('care_scales')
    .addColumn('id', 'integer', id)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('loinc', 'text')
    .addColumn('total_loinc', 'text')
    // The ScaleDefinition as JSON (common/care-scales.ts).
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('builtin', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('care_links')
    .addColumn('id', 'integer', id)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scale_id', 'integer', (c) => c.notNull().references('care_scales.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('sent_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('draft_enc', 'text')
    .addColumn('draft_at', 'text')
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('care_links_person')
    .on('care_links')
    .columns(['person_id', 'sent_at'])
    .execute();
  await db.schema.createIndex('care_links_sender').on('care_links').columns(['sent_by', 'sent_at']).execute();
  await db.schema.createIndex('care_links_path').on('care_links').columns(['node_path', 'sent_at']).execute();

  await db.schema
    .createTable('care_responses')
    .addColumn('id', 'integer', id)
    .addColumn('link_id', 'integer', (c) => c.notNull().unique().references('care_links.id'))
    .addColumn('scale_id', 'integer', (c) => c.notNull().references('care_scales.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('answers_enc', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('band', 'text', (c) => c.notNull())
    // JSON array of CrisisReason: empty when no crisis rule held.
    .addColumn('crisis', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('care_responses_person')
    .on('care_responses')
    .columns(['person_id', 'submitted_at'])
    .execute();
  await db.schema
    .createIndex('care_responses_path')
    .on('care_responses')
    .columns(['node_path', 'submitted_at'])
    .execute();

  await db.schema
    .createTable('care_cases')
    .addColumn('id', 'integer', id)
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('counsellor_id', 'integer', (c) => c.notNull().references('users.id'))
    // open | referred | closed
    .addColumn('status', 'text', (c) => c.notNull())
    // low | moderate | high | imminent
    .addColumn('risk', 'text', (c) => c.notNull())
    .addColumn('next_contact_on', 'text')
    .addColumn('last_contact_at', 'text')
    .addColumn('referral_kind', 'text')
    .addColumn('referral_enc', 'text')
    .addColumn('referred_at', 'text')
    .addColumn('close_note_enc', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('care_cases_counsellor')
    .on('care_cases')
    .columns(['counsellor_id', 'status', 'next_contact_on'])
    .execute();
  await db.schema.createIndex('care_cases_path').on('care_cases').columns(['node_path', 'status']).execute();
  await db.schema
    .createIndex('care_cases_person')
    .on('care_cases')
    .columns(['person_id', 'status'])
    .execute();

  await db.schema
    .createTable('care_contacts')
    .addColumn('id', 'integer', id)
    .addColumn('case_id', 'integer', (c) => c.notNull().references('care_cases.id'))
    // call | message | visit
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note_enc', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('care_contacts_case').on('care_contacts').columns(['case_id', 'at']).execute();

  await db.schema
    .createTable('care_alerts')
    .addColumn('id', 'integer', id)
    .addColumn('response_id', 'integer', (c) => c.notNull().unique().references('care_responses.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    // The on-duty counsellor it went to first (null when the area had none: then the place above).
    .addColumn('counsellor_id', 'integer', (c) => c.references('users.id'))
    // open | acknowledged
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('ack_by', 'text', (c) => c.notNull())
    .addColumn('escalated_at', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'integer', (c) => c.references('users.id'))
    .addColumn('case_id', 'integer', (c) => c.references('care_cases.id'))
    .execute();
  await db.schema.createIndex('care_alerts_open').on('care_alerts').columns(['status', 'ack_by']).execute();
  await db.schema
    .createIndex('care_alerts_path')
    .on('care_alerts')
    .columns(['node_path', 'status'])
    .execute();
  await db.schema.createIndex('care_alerts_person').on('care_alerts').columns(['person_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'care_alerts',
    'care_contacts',
    'care_cases',
    'care_responses',
    'care_links',
    'care_scales',
  ])
    await db.schema.dropTable(t).execute();
}
