// Seeds the demo district into an empty database: the jurisdiction tree with polygons, one account
// per built-in role, the residents and their households (when given the personal-data key), and one
// audit row. Everything in one transaction, inserted in batches.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { BUILTIN_ROLES } from '../../common/roles.js';
import type { DB, Executor } from '../db/index.js';
import { dialectOf } from '../db/dialect.js';
import { nowIso } from '../db/index.js';
import type { NewNode } from '../db/schema.js';
import { recordAudit } from '../platform/audit.js';
import { hashPassword } from '../platform/crypto.js';
import { spellName } from '../platform/spelling.js';
import type { PiiCipher } from '../platform/pii.js';
import { newUserRow } from '../modules/accounts/index.js';
import { ensureOpen311Key } from '../modules/open311/index.js';
import {
  NAMED_VILLAGE,
  planDistrict,
  rectCentroid,
  rectPolygon,
  walk,
  type DemoScale,
  type PlannedNode,
} from './layout.js';
import type { DemoGrid } from './people.js';
import { seedPeople, type PeopleCounts } from './people-seed.js';
import { seedDepartments } from './departments.js';
import { seedDemoCommand } from './command-seed.js';
import { seedDemoEvents } from './events-seed.js';
import { seedDemoAccountsWork } from './accounts-work-seed.js';
import { seedDemoReports } from './reports-seed.js';
import { seedDemoNotice } from './notices-seed.js';
import { seedDemoDefence } from './defence-seed.js';
import { seedPassages } from './passages-seed.js';
import { seedObservations } from './observation-seed.js';
import { seedSweep } from './screening-seed.js';
import { seedMediation } from './mediation-seed.js';
import { seedServices } from './services-seed.js';
import { seedCare } from './care-seed.js';

export type { DemoScale } from './layout.js';

export interface DemoLogin {
  username: string;
  password: string;
  /** The role's Chinese and English names. */
  role: string;
  /** The name of the node the role is assigned at. */
  node: string;
}

export interface SeedOptions {
  scale: DemoScale;
  /** One password for every demo account; a random readable one per account when absent. */
  password?: string | undefined;
  /**
   * The deployment's personal-data cipher. With it the residents are seeded too (about 20,000 at
   * small scale, 700,000 at district scale), their ID numbers and phones encrypted with it; without
   * it only the tree and the accounts.
   */
  pii?: PiiCipher | undefined;
  /** DEMO_OPEN311_KEY: the value of an Open311 key named 'demo', for trying Open311 clients at once. */
  open311Key?: string | undefined;
  /** Replay 90 days of events too (default when pii is given); the benchmarks that measure other things leave them out. */
  events?: boolean;
}

/** Where each demo account sits in the tree: a function of the plan picks the node. */
interface DemoAccount {
  username: string;
  displayName: string;
  role: string;
  at: (p: Places) => PlannedNode;
}
interface Places {
  district: PlannedNode;
  town: (name: string) => PlannedNode;
}

const firstChild = (n: PlannedNode) => n.children[0]!;

const ACCOUNTS: readonly DemoAccount[] = [
  { username: 'admin', displayName: '钱立新', role: 'system_admin', at: (p) => p.district },
  { username: 'commander', displayName: '俞建国', role: 'district_commander', at: (p) => p.district },
  { username: 'towncmd', displayName: '章海燕', role: 'town_commander', at: (p) => p.town('锦城街道') },
  {
    username: 'cadre',
    displayName: '楼德明',
    role: 'village_cadre',
    at: (p) => firstChild(p.town('锦城街道')),
  },
  {
    username: 'gridworker',
    displayName: '汪晓燕',
    role: 'grid_worker',
    at: (p) => firstChild(firstChild(p.town('锦城街道'))),
  },
  // A member of 锦城街道综合执法队 (urban management): sees what is dispatched to the team.
  { username: 'handler', displayName: '方志强', role: 'department_handler', at: (p) => p.town('锦城街道') },
  // 昌化镇 lies on the road to Anhui, where the border checkpoints stood.
  { username: 'checkpoint', displayName: '洪卫东', role: 'checkpoint_staff', at: (p) => p.town('昌化镇') },
  { username: 'mediator', displayName: '金秀英', role: 'mediator', at: (p) => p.town('於潜镇') },
  { username: 'judge', displayName: '应文斌', role: 'judge', at: (p) => p.district },
  // The party secretary of 太源村, appointed by the court as the invited mediator of its micro court.
  {
    username: 'invited',
    displayName: '许建华',
    role: 'invited_mediator',
    at: (p) => p.town(NAMED_VILLAGE.town).children.find((v) => v.name === NAMED_VILLAGE.name)!,
  },
  { username: 'counsellor', displayName: '盛丽萍', role: 'counsellor', at: (p) => p.district },
  {
    username: 'volcoord',
    displayName: '葛春华',
    role: 'volunteer_coordinator',
    at: (p) => p.town('锦城街道'),
  },
  {
    username: 'volunteer',
    displayName: '骆思远',
    role: 'volunteer',
    at: (p) => p.town('锦城街道').children[1] ?? firstChild(p.town('锦城街道')),
  },
  // Sent down from a district office to help the demo grid worker's grid screen its list.
  { username: 'seconded', displayName: '蒋文涛', role: 'seconded_cadre', at: (p) => p.district },
];

// Crockford's base32: no I, L, O or U to misread.
const READABLE = '0123456789abcdefghjkmnpqrstvwxyz';
export function readablePassword(): string {
  let s = 'Linli-';
  for (let i = 0; i < 8; i++) s += READABLE[crypto.randomInt(READABLE.length)];
  return s;
}

// 15 columns a row: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
const BATCH = 500;

/** Inserts one level of nodes in batches; returns the new ids by full code. */
async function insertLevel(trx: Executor, rows: Omit<NewNode, 'path'>[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    // The path holds the node's own id, so it is a unique placeholder until the ids are known.
    const inserted = await trx
      .insertInto('nodes')
      .values(batch.map((r) => ({ ...r, path: `/pending-${r.full_code}/` })))
      .returning(['id', 'full_code'])
      .execute();
    // RETURNING order is not guaranteed on SQLite: match rows by their unique full code.
    for (const r of inserted) ids.set(r.full_code, r.id);
  }
  return ids;
}

/** Sets the real path of every node of one depth from its parent's: one statement per level. */
async function settlePaths(trx: Executor, depth: number): Promise<void> {
  await trx
    .updateTable('nodes')
    .set({
      path: sql<string>`(select p.path from nodes as p where p.id = nodes.parent_id) || cast(nodes.id as text) || '/'`,
    })
    .where('depth', '=', depth)
    .where('path', 'like', '/pending-%')
    .execute();
}

function placesOf(plan: PlannedNode): Places {
  const towns = new Map(plan.children.map((t) => [t.name, t]));
  return {
    district: plan,
    town: (name) => {
      const t = towns.get(name);
      if (!t) throw new Error(`demo plan has no town ${name}`);
      return t;
    },
  };
}

/**
 * Where each demo account sits at a scale, without a database: what the start banner prints and the
 * README's demo logins table states (a unit test holds them together).
 */
export function demoAccountPlaces(scale: DemoScale): {
  username: string;
  role: string;
  node: string;
  level: PlannedNode['level'];
  /** The name of the node above (null for the district). */
  parent: string | null;
}[] {
  const plan = planDistrict(scale);
  const places = placesOf(plan);
  const parents = new Map<PlannedNode, PlannedNode>();
  for (const n of walk(plan)) for (const c of n.children) parents.set(c, n);
  return ACCOUNTS.map((a) => {
    const n = a.at(places);
    return {
      username: a.username,
      role: a.role,
      node: n.name,
      level: n.level,
      parent: parents.get(n)?.name ?? null,
    };
  });
}

export async function seedDemo(db: DB, opts: SeedOptions): Promise<DemoLogin[]> {
  const plan = planDistrict(opts.scale);
  const places = placesOf(plan);
  const roleNames = new Map(BUILTIN_ROLES.map((r) => [r.code, `${r.zh} ${r.en}`]));
  // Every built-in role gets its account; a role added later without one should fail loudly here.
  const missing = BUILTIN_ROLES.filter((r) => !ACCOUNTS.some((a) => a.role === r.code));
  if (missing.length > 0)
    throw new Error(`demo has no account for role(s) ${missing.map((r) => r.code).join(', ')}`);

  const accounts = ACCOUNTS.map((a) => ({
    ...a,
    node: a.at(places),
    password: opts.password ?? readablePassword(),
  }));
  // argon2 is deliberately slow: hash in parallel, and before the transaction so no lock is held meanwhile.
  const hashes = await Promise.all(accounts.map((a) => hashPassword(a.password)));

  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('nodes').select('id').limit(1).executeTakeFirst();
    if (existing)
      throw new Error(
        'The database already has nodes: the demo district is only seeded into an empty database.',
      );
    const now = nowIso();
    const row = (n: PlannedNode, parentId: number | null, depth: number): Omit<NewNode, 'path'> => {
      const c = rectCentroid(n.rect);
      return {
        parent_id: parentId,
        level: n.level,
        code: n.code,
        full_code: n.fullCode,
        name: n.name,
        ...spellName(n.name),
        depth,
        polygon: JSON.stringify(rectPolygon(n.rect)),
        centroid_lat: c.lat,
        centroid_lng: c.lng,
        responsible_name: n.responsibleName,
        retired_at: null,
        created_at: now,
        updated_at: now,
      };
    };

    // Level by level: each level's parent ids come from the level above.
    const ids = await insertLevel(trx, [row(plan, null, 1)]);
    const rootId = ids.get(plan.fullCode)!;
    const rootPath = `/${rootId}/`;
    await trx.updateTable('nodes').set({ path: rootPath }).where('id', '=', rootId).execute();
    let parents: PlannedNode[] = [plan];
    for (let depth = 2; parents.some((p) => p.children.length > 0); depth++) {
      const rows = parents.flatMap((p) => p.children.map((c) => row(c, ids.get(p.fullCode)!, depth)));
      for (const [code, id] of await insertLevel(trx, rows)) ids.set(code, id);
      await settlePaths(trx, depth);
      parents = parents.flatMap((p) => p.children);
    }

    const users = await trx
      .insertInto('users')
      .values(accounts.map((a, i) => newUserRow(a.username, a.displayName, hashes[i]!, now)))
      .returning(['id', 'username'])
      .execute();
    const userIds = new Map(users.map((u) => [u.username, u.id]));
    const roles = await trx
      .selectFrom('roles')
      .select(['id', 'code'])
      .where(
        'code',
        'in',
        accounts.map((a) => a.role),
      )
      .execute();
    const roleIds = new Map(roles.map((r) => [r.code, r.id]));
    await trx
      .insertInto('role_assignments')
      .values(
        accounts.map((a) => {
          const roleId = roleIds.get(a.role);
          if (roleId === undefined)
            throw new Error(`role ${a.role} is missing: run ensureBuiltinRoles first`);
          return {
            user_id: userIds.get(a.username)!,
            role_id: roleId,
            node_id: ids.get(a.node.fullCode)!,
            created_at: now,
          };
        }),
      )
      .execute();

    const townPlaces = plan.children.map((t) => ({
      id: ids.get(t.fullCode)!,
      path: `${rootPath}${ids.get(t.fullCode)!}/`,
      name: t.name,
    }));
    await seedDepartments(trx, {
      district: { id: rootId, path: rootPath, name: plan.name },
      towns: townPlaces,
      handlerTown: '锦城街道',
      handlerUserId: userIds.get('handler')!,
      now,
    });

    let people: PeopleCounts | null = null;
    if (opts.pii) {
      // Every grid with its id and path (a path is the parent's plus the node's own id).
      const grids: DemoGrid[] = [];
      const visit = (n: PlannedNode, path: string, town: string, village: string) => {
        if (n.level === 'grid')
          grids.push({
            id: ids.get(n.fullCode)!,
            path,
            fullCode: n.fullCode,
            town,
            village,
            community: village.endsWith('社区'),
          });
        for (const c of n.children) {
          const at = `${path}${ids.get(c.fullCode)!}/`;
          visit(c, at, c.level === 'town' ? c.name : town, c.level === 'village' ? c.name : village);
        }
      };
      visit(plan, rootPath, '', '');
      people = await seedPeople(trx, { pii: opts.pii, grids, scale: opts.scale, now });
    }

    const count = (level: PlannedNode['level']) => [...walk(plan)].filter((n) => n.level === level).length;
    await recordAudit(
      trx,
      { actor: null, requestId: 'demo-seed' },
      {
        action: 'demo.seed',
        entityType: 'node',
        entityId: rootId,
        nodePath: rootPath,
        detail: {
          scale: opts.scale,
          towns: count('town'),
          villages: count('village'),
          grids: count('grid'),
          users: accounts.length,
          ...(people
            ? {
                people: people.people,
                households: people.households,
                floating: people.floating,
                returnees: people.returnee,
              }
            : {}),
        },
      },
    );
  });
  // After the bulk load, outside the transaction. SQLite: one big transaction leaves the write-ahead
  // log as large as what it wrote; fold it into the database file and truncate it (a no-op in memory).
  // PostgreSQL: statistics for the planner and the visibility map for index-only scans now, rather
  // than whenever autovacuum comes round.
  if (dialectOf(db) === 'sqlite') await sql`pragma wal_checkpoint(truncate)`.execute(db);
  else if (opts.pii) await sql`vacuum (analyze) households, persons, person_tags`.execute(db);

  // Joint handling's 90 days of history, replayed through the events service (needs the key for reporters' phones).
  // Then work waiting for the demo's own accounts, in the cadre's village, taken there by the accounts.
  if (opts.pii && opts.events !== false) {
    await seedDemoEvents(db, { pii: opts.pii, scale: opts.scale });
    await seedDemoAccountsWork(db, { pii: opts.pii });
  }
  // The epidemic-response command with its directives, and its daily report with two weeks of history.
  const commandId = opts.events !== false ? await seedDemoCommand(db) : null;
  await seedDemoReports(db, { commandId });
  // The epidemic notice, about half delivered (needs the households).
  if (opts.pii) await seedDemoNotice(db, { commandId });
  // Joint defence: checkpoints on the district's roads and village entrances with a week of rosters,
  // the demo checkpoint account on shift now; then a week of passages at them (needs the key for the
  // travellers' numbers), the risky ones handed to the demo grid worker's grid.
  const { checkpointIds } = await seedDemoDefence(db, { commandId });
  if (opts.pii) {
    const user = (username: string) =>
      db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    const gridWorker = await user('gridworker');
    const grid = await db
      .selectFrom('role_assignments')
      .select('node_id')
      .where('user_id', '=', gridWorker.id)
      .executeTakeFirstOrThrow();
    await seedPassages(db, {
      pii: opts.pii,
      checkpointIds,
      registeredByUserId: (await user('admin')).id,
      destinationGridId: grid.node_id,
      gridWorkerUserId: gridWorker.id,
      perCheckpointPerDay: 8,
    });
    // Home observation in the grid worker's grid and the village around it (after the people).
    await seedObservations(db, {
      pii: opts.pii,
      gridWorkerUserId: gridWorker.id,
      volunteerUserId: (await user('volunteer')).id,
      cadreUserId: (await user('cadre')).id,
    });
    // Psychological care: scales sent to people in observation, bands spread, one alert acknowledged
    // with a call due today, one urgent alert waiting for the demo counsellor.
    await seedCare(db, {
      pii: opts.pii,
      counsellorUserId: (await user('counsellor')).id,
      gridWorkerUserId: gridWorker.id,
    });
    // A screening sweep of the street's floating residents under the command, the grid worker's list
    // half done and the seconded cadre paired with that grid.
    if (commandId !== null)
      await seedSweep(db, {
        pii: opts.pii,
        commandId,
        townCommanderUserId: (await user('towncmd')).id,
        gridWorkerUserId: gridWorker.id,
        secondedUserId: (await user('seconded')).id,
        adminUserId: (await user('admin')).id,
      });
  }
  // Joint mediation: committees, micro courts, the family team and the court; cases in every state in
  // the demo mediator's town, the judge's confirmations, today's bookings at 太源村 (needs the key).
  if (opts.pii) {
    const user = async (username: string) =>
      (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow())
        .id;
    await seedMediation(db, {
      pii: opts.pii,
      adminUserId: await user('admin'),
      mediatorUserId: await user('mediator'),
      judgeUserId: await user('judge'),
      invitedUserId: await user('invited'),
    });
    // Joint services: the district's volunteer organisations and volunteers (residents of the
    // registry), three months of call-outs and needs met, and in 锦城街道 the work waiting now for the
    // coordinator, the volunteer and the grid worker: needs, call-outs near the volunteer (a
    // checkpoint's short shift among them), the care roster with visits overdue (after the checkpoints).
    await seedServices(db, {
      pii: opts.pii,
      adminUserId: await user('admin'),
      commanderUserId: await user('commander'),
      coordinatorUserId: await user('volcoord'),
      volunteerUserId: await user('volunteer'),
      gridWorkerUserId: await user('gridworker'),
    });
  }
  if (opts.open311Key) await ensureOpen311Key(db, { name: 'demo', key: opts.open311Key });

  return accounts.map((a) => ({
    username: a.username,
    password: a.password,
    role: roleNames.get(a.role) ?? a.role,
    node: a.node.name,
  }));
}
