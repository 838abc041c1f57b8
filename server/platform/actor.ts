// Who is acting, through which role assignments, and the scope each permission reaches.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Lang } from '../../common/messages/index.js';
import type { Permission } from '../../common/permissions.js';
import { subtreeRange } from '../db/dialect.js';
import { forbidden, unauthorized as unauthorizedError } from './errors.js';

export interface ActorAssignment {
  id: number;
  roleId: number;
  roleCode: string;
  roleNameZh: string;
  roleNameEn: string;
  nodeId: number;
  nodeName: string;
  nodeLevel: string;
  nodePath: string;
  nodeFullCode: string;
  permissions: ReadonlySet<string>;
}

export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  totpEnabled: boolean;
  via: 'session' | 'apiKey';
  assignments: readonly ActorAssignment[];
}

/** What a service needs to know of the request it serves. */
export interface RequestContext {
  actor: Actor | null;
  requestId: string;
  ip?: string | undefined;
  /** The language the request asked for (Accept-Language): texts for people are rendered in it. */
  lang?: Lang;
}

export function isWithin(path: string, scopePath: string): boolean {
  return path.startsWith(scopePath);
}

/** A root of the tree (the district): things not placed in the tree are visible from here only. */
export function isTreeRoot(path: string): boolean {
  return path.indexOf('/', 1) === path.length - 1;
}

/** A district-wide permission (roles, tags) counts only where it reaches the tree root. */
export function assertDistrictWide(actor: Actor, permission: Permission): void {
  if (!scopesFor(actor, permission).some(isTreeRoot)) throw forbidden('district_list');
}

/** The deepest node whose subtree holds every one of the paths. */
export function commonAncestor(paths: readonly string[]): string | null {
  if (paths.length === 0) return null;
  let prefix = paths[0]!;
  for (const p of paths)
    while (!p.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  return prefix === '/' ? null : prefix;
}

/** The minimal set of subtree roots where the actor holds the permission (nested roots removed). */
export function scopesFor(actor: Actor, permission: Permission): string[] {
  const paths = actor.assignments.filter((a) => a.permissions.has(permission)).map((a) => a.nodePath);
  paths.sort();
  const out: string[] = [];
  for (const p of paths) if (!out.some((o) => isWithin(p, o))) out.push(p);
  return out;
}

export function holdsAnywhere(actor: Actor, permission: Permission): boolean {
  return actor.assignments.some((a) => a.permissions.has(permission));
}

export function can(actor: Actor, permission: Permission, nodePath: string): boolean {
  return actor.assignments.some((a) => a.permissions.has(permission) && isWithin(nodePath, a.nodePath));
}

export function assertCan(actor: Actor, permission: Permission, nodePath: string): void {
  if (!can(actor, permission, nodePath)) throw forbidden();
}

/** Every permission the actor holds at a node, as the `abilities` sent to the web app. */
export function permissionsAt(actor: Actor, nodePath: string): Set<string> {
  const out = new Set<string>();
  for (const a of actor.assignments)
    if (isWithin(nodePath, a.nodePath)) for (const p of a.permissions) out.add(p);
  return out;
}

/**
 * A SQL condition keeping rows whose path column lies in one of the scopes: range conditions that
 * use the path index on both databases. No scope at all means no rows.
 */
export function inScopes<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: string,
  scopes: readonly string[],
): Expression<SqlBool> {
  if (scopes.length === 0) return sql<SqlBool>`1 = 0`;
  const ref = sql.ref(column);
  return eb.or(
    scopes.map((s) => {
      const [lo, hi] = subtreeRange(s);
      return sql<SqlBool>`(${ref} >= ${lo} and ${ref} < ${hi})`;
    }),
  );
}

/** The signed-in actor; the route's access rule has already required one. */
export function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw unauthorizedError();
  return ctx.actor;
}
