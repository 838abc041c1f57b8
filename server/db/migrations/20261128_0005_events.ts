// Joint handling (问题联治): categories with time limits, departments and their handlers, events with
// an append-only history, the work calendar's exceptions, and per-user notifications.
import type { Kysely } from 'kysely';
import { dialectOf, idColumn, makeAppendOnly, pathType } from '../dialect.js';

// The rollup's counters, frozen here as this migration created them.
const KPI_COUNTERS = [
  'received',
  'accepted',
  'rejected',
  'due',
  'closed',
  'closed_on_time',
  'sign_due',
  'signed_on_time',
  'verified',
  'reworked',
  'handled',
  'evaluated',
  'satisfied',
  'escalated_village',
  'escalated_town',
  'escalated_district',
];

// New permissions for the built-in roles of an existing installation (fresh ones get them on insert).
const GRANTS: Record<string, string[]> = {
  district_commander: ['events.read', 'events.triage'],
  town_commander: ['events.read', 'events.report', 'events.triage', 'departments.manage'],
  village_cadre: ['events.read', 'events.report', 'events.triage'],
  grid_worker: ['events.read', 'events.report', 'events.verify'],
  department_handler: ['events.handle'],
};

interface Field {
  code: string;
  labelZh: string;
  labelEn: string;
  type: 'text' | 'integer' | 'decimal' | 'choice';
  required: boolean;
  choices?: string[];
}
// [code, zh, en, handling level, department kinds, sign/handle/verify working hours, public, closing criteria, extra fields]
type Sub = [string, string, string, string, string[], [number, number, number], boolean, string, Field[]?];
const TAXONOMY: [string, string, string, Sub[]][] = [
  [
    'dispute',
    '矛盾纠纷',
    'Disputes',
    [
      [
        'neighbour',
        '邻里纠纷',
        'Neighbour dispute',
        'village',
        ['judicial'],
        [4, 40, 8],
        true,
        '双方达成调解协议或明确告知救济途径',
      ],
      [
        'family',
        '婚姻家庭纠纷',
        'Marriage and family dispute',
        'village',
        ['judicial', 'civil'],
        [4, 40, 8],
        false,
        '调解结束并回访一次',
      ],
      [
        'land',
        '土地山林纠纷',
        'Land and forest dispute',
        'town',
        ['agriculture', 'judicial'],
        [8, 80, 16],
        false,
        '权属确认或调解协议',
      ],
      [
        'wage',
        '劳资纠纷',
        'Unpaid wages',
        'town',
        ['human_resources'],
        [4, 40, 8],
        true,
        '工资支付到位或进入仲裁程序',
        [
          {
            code: 'workers',
            labelZh: '涉及人数',
            labelEn: 'Workers involved',
            type: 'integer',
            required: true,
          },
          {
            code: 'amount',
            labelZh: '拖欠金额（元）',
            labelEn: 'Amount owed (yuan)',
            type: 'decimal',
            required: false,
          },
        ],
      ],
      [
        'property',
        '物业纠纷',
        'Property management dispute',
        'village',
        ['housing'],
        [4, 40, 8],
        true,
        '物业整改到位或协商一致',
      ],
    ],
  ],
  [
    'security',
    '治安隐患',
    'Public-security hazards',
    [
      ['suspicious', '可疑人员', 'Suspicious person', 'town', ['police'], [1, 8, 4], false, '民警核查并反馈'],
      ['gambling', '赌博线索', 'Gambling lead', 'town', ['police'], [2, 16, 8], false, '查处或核实无此情况'],
      ['fraud', '电信诈骗线索', 'Telecom fraud lead', 'town', ['police'], [1, 8, 4], false, '止付或劝阻到位'],
    ],
  ],
  [
    'safety',
    '安全生产',
    'Work safety',
    [
      [
        'fire_hazard',
        '消防隐患',
        'Fire hazard',
        'town',
        ['fire', 'emergency'],
        [2, 24, 8],
        true,
        '隐患消除并复查',
        [
          {
            code: 'building_type',
            labelZh: '建筑类型',
            labelEn: 'Building type',
            type: 'choice',
            required: true,
            choices: ['住宅', '厂房', '商铺', '其他'],
          },
        ],
      ],
      ['gas', '燃气隐患', 'Gas hazard', 'town', ['emergency'], [1, 8, 4], true, '隐患消除并复查'],
      [
        'construction',
        '施工安全',
        'Construction safety',
        'town',
        ['housing', 'emergency'],
        [4, 40, 8],
        true,
        '整改到位',
      ],
      [
        'hazardous',
        '危险化学品',
        'Hazardous chemicals',
        'district',
        ['emergency'],
        [1, 8, 4],
        false,
        '处置完毕并复查',
      ],
    ],
  ],
  [
    'environment',
    '环境卫生',
    'Environment and sanitation',
    [
      [
        'garbage',
        '垃圾堆放',
        'Rubbish dumped',
        'grid',
        ['urban'],
        [4, 16, 8],
        true,
        '清理完毕，现场照片为证',
        [
          {
            code: 'volume',
            labelZh: '估计体量（立方米）',
            labelEn: 'Estimated volume (m³)',
            type: 'decimal',
            required: false,
          },
        ],
      ],
      [
        'sewage',
        '污水排放',
        'Sewage discharge',
        'town',
        ['environment'],
        [4, 40, 8],
        true,
        '排放停止并采样合格',
      ],
      [
        'burning',
        '露天焚烧',
        'Open burning',
        'village',
        ['environment', 'urban'],
        [1, 8, 4],
        true,
        '明火扑灭并劝导',
      ],
      [
        'noise',
        '噪声扰民',
        'Noise nuisance',
        'town',
        ['environment', 'police'],
        [2, 16, 8],
        true,
        '噪声停止或限时作业',
      ],
    ],
  ],
  [
    'streetscape',
    '市容秩序',
    'Streetscape and order',
    [
      [
        'illegal_building',
        '违章搭建',
        'Illegal construction',
        'town',
        ['urban', 'housing'],
        [8, 80, 16],
        true,
        '拆除或依法立案',
      ],
      [
        'street_vendor',
        '占道经营',
        'Street vending',
        'village',
        ['urban'],
        [4, 16, 8],
        true,
        '劝离或规范经营',
      ],
      ['parking', '乱停车', 'Illegal parking', 'village', ['traffic'], [2, 8, 4], true, '车辆移走'],
      [
        'facility',
        '公共设施损坏',
        'Damaged public facility',
        'village',
        ['urban'],
        [4, 40, 8],
        true,
        '修复完毕',
      ],
    ],
  ],
  [
    'livelihood',
    '民生服务',
    'Livelihood services',
    [
      [
        'elderly_care',
        '困难老人帮扶',
        'Help for an elderly person',
        'village',
        ['civil'],
        [4, 24, 8],
        true,
        '帮扶到位并回访',
      ],
      [
        'water_power',
        '停水停电',
        'Water or power cut',
        'town',
        ['water', 'power'],
        [1, 8, 4],
        true,
        '恢复供应',
      ],
      [
        'road',
        '道路损坏',
        'Damaged road',
        'town',
        ['traffic', 'housing'],
        [4, 80, 16],
        true,
        '修复或设置警示',
      ],
      ['medical', '就医求助', 'Medical help', 'village', ['health'], [1, 8, 4], true, '送医或转介完成'],
    ],
  ],
  [
    'epidemic',
    '疫情防控',
    'Epidemic prevention',
    [
      [
        'arrival',
        '外来人员报备',
        'Arrival from elsewhere',
        'grid',
        ['health'],
        [1, 4, 4],
        true,
        '登记并落实健康管理',
      ],
      ['fever', '发热症状', 'Fever symptoms', 'village', ['health'], [1, 4, 4], true, '送诊或居家观察落实'],
      ['gathering', '聚集活动', 'Gathering', 'village', ['police', 'health'], [1, 8, 4], true, '劝散并登记'],
    ],
  ],
  [
    'other',
    '其他',
    'Other',
    [['other', '其他事项', 'Other matter', 'village', ['town_office'], [4, 40, 8], true, '答复并说明结果']],
  ],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);

  await db.schema
    .createTable('event_categories')
    .addColumn('id', 'integer', id)
    .addColumn('parent_id', 'integer', (c) => c.references('event_categories.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handling_level', 'text')
    .addColumn('department_kinds', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sign_hours', 'real')
    .addColumn('handle_hours', 'real')
    .addColumn('verify_hours', 'real')
    .addColumn('closing_criteria', 'text')
    .addColumn('extra_fields', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retired_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('departments')
    .addColumn('id', 'integer', id)
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', pathType(d), (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('departments_path').on('departments').columns(['node_path', 'kind']).execute();

  await db.schema
    .createTable('department_members')
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('department_members_pk', ['department_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('department_members_user')
    .on('department_members')
    .columns(['user_id', 'department_id'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', id)
    .addColumn('tracking_code', 'text', (c) => c.notNull().unique())
    .addColumn('category_id', 'integer', (c) => c.notNull().references('event_categories.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id'))
    .addColumn('node_path', pathType(d), (c) => c.notNull())
    .addColumn('owner_level', 'text', (c) => c.notNull())
    .addColumn('owner_path', pathType(d), (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lat', 'real')
    .addColumn('lng', 'real')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('reporter_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone_enc', 'text')
    .addColumn('reporter_phone_masked', 'text')
    .addColumn('api_key_id', 'integer')
    .addColumn('lead_department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('due_at', 'text')
    .addColumn('sign_due_at', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('handle_due_at', 'text')
    .addColumn('handled_at', 'text')
    .addColumn('verify_due_at', 'text')
    .addColumn('parked_until', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('close_reason', 'text')
    .addColumn('closed_on_time', 'integer')
    .addColumn('duplicate_of_id', 'integer', (c) => c.references('events.id'))
    .addColumn('evaluation', 'text')
    .addColumn('rework_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escalation_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_node_path').on('events').columns(['node_path', 'created_at']).execute();
  await db.schema.createIndex('events_owner_path').on('events').columns(['owner_path', 'state']).execute();
  // The sweep reads only events whose clock has run out.
  await db.schema.createIndex('events_due').on('events').columns(['due_at']).execute();
  await db.schema
    .createIndex('events_category_time')
    .on('events')
    .columns(['category_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('event_departments')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_departments_pk', ['event_id', 'department_id'])
    .execute();
  await db.schema
    .createIndex('event_departments_department')
    .on('event_departments')
    .columns(['department_id', 'event_id'])
    .execute();

  await db.schema
    .createTable('event_history')
    .addColumn('id', 'integer', id)
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('owner_level', 'text', (c) => c.notNull())
    .addColumn('node_path', pathType(d), (c) => c.notNull())
    .addColumn('actor_user_id', 'integer')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('detail', 'text')
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('event_history_event')
    .on('event_history')
    .columns(['event_id', 'id'])
    .execute();
  await db.schema
    .createIndex('event_history_path_time')
    .on('event_history')
    .columns(['node_path', 'at'])
    .execute();
  await makeAppendOnly(db, 'event_history');

  // KPI counters per node and Asia/Shanghai day, kept at every level of the event's path in the
  // same transaction as the change: a KPI over a node and a period sums at most a year of rows.
  let kpi = db.schema
    .createTable('event_kpi_daily')
    .addColumn('node_path', pathType(d), (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull());
  for (const k of KPI_COUNTERS) kpi = kpi.addColumn(k, 'integer', (c) => c.notNull().defaultTo(0));
  await kpi
    .addColumn('handling_hours', 'real', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('event_kpi_daily_pk', ['node_path', 'day'])
    .execute();

  await db.schema
    .createTable('work_calendar_days')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text_zh', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'integer')
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();

  const now = new Date().toISOString();
  let sort = 0;
  for (const [code, zh, en, subs] of TAXONOMY) {
    const parent = await db
      .insertInto('event_categories')
      .values({
        parent_id: null,
        code,
        name_zh: zh,
        name_en: en,
        is_public: 0,
        department_kinds: '[]',
        extra_fields: '[]',
        sort: sort++,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [sub, szh, sen, level, kinds, [signH, handleH, verifyH], pub, criteria, fields] of subs) {
      await db
        .insertInto('event_categories')
        .values({
          parent_id: parent.id,
          code: `${code}.${sub}`,
          name_zh: szh,
          name_en: sen,
          is_public: pub ? 1 : 0,
          handling_level: level,
          department_kinds: JSON.stringify(kinds),
          sign_hours: signH,
          handle_hours: handleH,
          verify_hours: verifyH,
          closing_criteria: criteria,
          extra_fields: JSON.stringify(fields ?? []),
          sort: sort++,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  }

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
  for (const t of [
    'event_kpi_daily',
    'notifications',
    'work_calendar_days',
    'event_history',
    'event_departments',
    'events',
    'department_members',
    'departments',
    'event_categories',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
