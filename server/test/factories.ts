// Factories that create what a test needs, parents included, straight through the repositories.
import { hashPassword } from '../platform/crypto.js';
import { spellName } from '../platform/spelling.js';
import { newUserRow } from '../modules/accounts/index.js';
import type { DB } from '../db/index.js';
import { nowIso } from '../db/index.js';
import { TEST_PASSWORD } from './harness.js';

let cachedHash: Promise<string> | undefined;
const testHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

export interface TreeNode {
  id: number;
  path: string;
  name: string;
  level: string;
  fullCode: string;
}

async function insertNode(
  db: DB,
  parent: TreeNode | null,
  level: string,
  code: string,
  name: string,
  withPolygon = false,
): Promise<TreeNode> {
  const now = nowIso();
  const fullCode = (parent?.fullCode ?? '') + code;
  const polygon = withPolygon
    ? JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [119.7, 30.2],
            [119.71, 30.2],
            [119.71, 30.21],
            [119.7, 30.21],
            [119.7, 30.2],
          ],
        ],
      })
    : null;
  const { id } = await db
    .insertInto('nodes')
    .values({
      parent_id: parent?.id ?? null,
      level,
      code,
      full_code: fullCode,
      name,
      ...spellName(name),
      path: `/pending-${fullCode}/`,
      depth: parent ? parent.path.split('/').filter(Boolean).length + 1 : 1,
      polygon,
      centroid_lat: withPolygon ? 30.205 : null,
      centroid_lng: withPolygon ? 119.705 : null,
      responsible_name: null,
      retired_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = `${parent?.path ?? '/'}${id}/`;
  await db.updateTable('nodes').set({ path }).where('id', '=', id).execute();
  return { id, path, name, level, fullCode };
}

/** A district with two towns, each with two villages, each with two grids (with polygons). */
export async function makeTree(db: DB) {
  const district = await insertNode(db, null, 'district', '330112', '测试区');
  const towns: TreeNode[] = [];
  const villages: TreeNode[] = [];
  const grids: TreeNode[] = [];
  for (let t = 1; t <= 2; t++) {
    const town = await insertNode(db, district, 'town', `00${t}`, `镇${t}`);
    towns.push(town);
    for (let v = 1; v <= 2; v++) {
      const village = await insertNode(db, town, 'village', `00${v}`, `镇${t}村${v}`);
      villages.push(village);
      for (let g = 1; g <= 2; g++)
        grids.push(await insertNode(db, village, 'grid', `00${g}`, `镇${t}村${v}网格${g}`, true));
    }
  }
  return { district, towns, villages, grids };
}
export type Tree = Awaited<ReturnType<typeof makeTree>>;

export async function makeUser(db: DB, username: string, assignments: { role: string; node: TreeNode }[]) {
  const now = nowIso();
  const { id } = await db
    .insertInto('users')
    .values(newUserRow(username, username, await testHash(), now))
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const a of assignments) {
    const role = await db
      .selectFrom('roles')
      .select('id')
      .where('code', '=', a.role)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('role_assignments')
      .values({ user_id: id, role_id: role.id, node_id: a.node.id, created_at: now })
      .execute();
  }
  return id;
}

/** The standard cast: one user per level, used by most suites. */
export async function makeCast(db: DB, tree: Tree) {
  const [townA] = tree.towns;
  const [villageA] = tree.villages;
  const [gridA] = tree.grids;
  await makeUser(db, 'admin', [{ role: 'system_admin', node: tree.district }]);
  await makeUser(db, 'commander', [{ role: 'district_commander', node: tree.district }]);
  await makeUser(db, 'towncmd', [{ role: 'town_commander', node: townA! }]);
  await makeUser(db, 'cadre', [{ role: 'village_cadre', node: villageA! }]);
  await makeUser(db, 'gridworker', [{ role: 'grid_worker', node: gridA! }]);
  await makeUser(db, 'townadmin', [{ role: 'system_admin', node: townA! }]);
}

/** A notification straight in the database (for a user, with no event behind it). */
export async function insertNotification(db: DB, userId: number, text: string, kind = 'test') {
  const r = await db
    .insertInto('notifications')
    .values({
      user_id: userId,
      at: new Date().toISOString(),
      kind,
      text_zh: text,
      text_en: text,
      entity_type: null,
      entity_id: null,
      read_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** An open incident command at a node, straight in the database (its routes have their own suites). */
export async function makeCommand(
  db: DB,
  node: TreeNode,
  at: string,
  name = '疫情防控指挥部',
): Promise<number> {
  const row = await db
    .insertInto('incident_commands')
    .values({
      name,
      response_level: 'I',
      node_id: node.id,
      node_path: node.path,
      started_at: at,
      closed_at: null,
      summary: null,
      created_by_user_id: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A live counter's value at a node's own path, over all commands (0 when never bumped). */
export async function counterAt(db: DB, metric: string, path: string): Promise<number> {
  const row = await db
    .selectFrom('live_counters')
    .select('value')
    .where('metric', '=', metric)
    .where('node_path', '=', path)
    .where('command_id', '=', 0)
    .executeTakeFirst();
  return Number(row?.value ?? 0);
}
