// Screening sweeps (摸排): questionnaires as versioned data, sweeps (a campaign under a command over a
// subtree's target population), their targets (one row per person, on exactly one grid's list,
// household by household) and the seconded cadres paired with grids. Answers are health data, stored
// encrypted (the personal-data key) and readable only through the service. Progress is counted in
// live_counters, not here. Ships the seed's questionnaire: the two questions of 2020 ("有无重点地区
// 返回人员? 有无确诊病例密切接触史?") with temperature and symptoms.
import { type Kysely } from 'kysely';
import { dialectOf, idColumn, pathType } from '../dialect.js';

const SHIPPED = {
  questions: [
    {
      key: 'returned_key_area',
      type: 'yes_no',
      label: { zh: '是否从重点地区返回？', en: 'Returned from a key area?' },
      required: true,
    },
    {
      key: 'returned_from',
      type: 'region',
      label: { zh: '从哪个地区返回', en: 'Returned from where' },
      required: true,
      showIf: { key: 'returned_key_area', equals: true },
    },
    {
      key: 'returned_on',
      type: 'date',
      label: { zh: '返回日期', en: 'Date of return' },
      required: true,
      showIf: { key: 'returned_key_area', equals: true },
    },
    {
      key: 'close_contact',
      type: 'yes_no',
      label: { zh: '有无确诊病例密切接触史？', en: 'Close contact with a confirmed case?' },
      required: true,
    },
    {
      key: 'temperature',
      type: 'number',
      label: { zh: '体温', en: 'Temperature' },
      required: true,
      unit: '°C',
      min: 34,
      max: 43,
    },
    {
      key: 'symptoms',
      type: 'multiple',
      label: { zh: '症状（可多选）', en: 'Symptoms (any that apply)' },
      required: false,
      options: [
        { value: 'fever', label: { zh: '发热', en: 'Fever' } },
        { value: 'cough', label: { zh: '咳嗽', en: 'Cough' } },
        { value: 'sore_throat', label: { zh: '咽痛', en: 'Sore throat' } },
        { value: 'fatigue', label: { zh: '乏力', en: 'Fatigue' } },
        { value: 'short_breath', label: { zh: '气促', en: 'Short of breath' } },
        { value: 'diarrhoea', label: { zh: '腹泻', en: 'Diarrhoea' } },
      ],
    },
  ],
  riskRules: [
    { level: 'high', when: [{ key: 'close_contact', op: 'eq', value: true }] },
    { level: 'high', when: [{ key: 'symptoms', op: 'includes', value: 'fever' }] },
    {
      level: 'high',
      when: [
        { key: 'returned_key_area', op: 'eq', value: true },
        { key: 'temperature', op: 'gte', value: 37.3 },
      ],
    },
    { level: 'medium', when: [{ key: 'returned_key_area', op: 'eq', value: true }] },
    { level: 'medium', when: [{ key: 'temperature', op: 'gte', value: 37.3 }] },
    { level: 'medium', when: [{ key: 'symptoms', op: 'includes', value: 'cough' }] },
  ],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);
  const path = pathType(d);

  await db.schema
    .createTable('questionnaires')
    .addColumn('id', 'integer', id)
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    // Questions, conditions and risk rules as JSON (common/questionnaire.ts); never changed once written.
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('questionnaires_version', ['code', 'version'])
    .execute();
  await db
    .insertInto('questionnaires')
    .values({
      code: 'epidemic_screening',
      version: 1,
      title_zh: '疫情防控摸排登记',
      title_en: 'Epidemic screening',
      definition: JSON.stringify(SHIPPED),
      created_by_user_id: null,
      created_at: new Date().toISOString(),
    })
    .execute();

  await db.schema
    .createTable('sweeps')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull())
    // The purpose its answers are kept for: deleted when the retention after the command's close runs out.
    .addColumn('command_id', 'integer', (c) => c.notNull().references('incident_commands.id'))
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaires.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    // floating | arrivals | tag | list
    .addColumn('population_kind', 'text', (c) => c.notNull())
    .addColumn('population_since', 'text')
    .addColumn('population_tag', 'text')
    .addColumn('deadline', 'text', (c) => c.notNull())
    // open | closed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    // When its answers were deleted by the retention rule.
    .addColumn('purged_at', 'text')
    .execute();
  await db.schema.createIndex('sweeps_path').on('sweeps').columns(['node_path', 'id']).execute();

  await db.schema
    .createTable('sweep_targets')
    .addColumn('id', 'integer', id)
    .addColumn('sweep_id', 'integer', (c) => c.notNull().references('sweeps.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    // The list it is on: the grid holding the person (or their own place, above the grids).
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('household_id', 'integer', (c) => c.references('households.id'))
    // pending | not_home | answered | moved | refused
    .addColumn('status', 'text', (c) => c.notNull())
    // low | medium | high, once answered
    .addColumn('risk', 'text')
    // The answers (and the visit's note) as encrypted JSON, with the version they were given under.
    .addColumn('answers_enc', 'text')
    .addColumn('questionnaire_id', 'integer', (c) => c.references('questionnaires.id'))
    .addColumn('visits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('visited_at', 'text')
    .addColumn('visited_by_user_id', 'integer', (c) => c.references('users.id'))
    // 1: met on the spot and added to the registry by this sweep.
    .addColumn('found', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('sweep_targets_person')
    .on('sweep_targets')
    .columns(['sweep_id', 'person_id'])
    .unique()
    .execute();
  // A grid's list household by household, and a subtree's results for the export.
  await db.schema
    .createIndex('sweep_targets_list')
    .on('sweep_targets')
    .columns(['sweep_id', 'node_path', 'household_id', 'id'])
    .execute();

  await db.schema
    .createTable('sweep_helpers')
    .addColumn('sweep_id', 'integer', (c) => c.notNull().references('sweeps.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', path, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sweep_helpers_pk', ['sweep_id', 'node_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('sweep_helpers_user')
    .on('sweep_helpers')
    .columns(['user_id', 'sweep_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['sweep_helpers', 'sweep_targets', 'sweeps', 'questionnaires'])
    await db.schema.dropTable(t).execute();
}
