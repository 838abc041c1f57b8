// The `?node=` of every list: it narrows the list to that node's subtree and never widens it. One
// answer everywhere: an unknown node is 404, a node outside the caller's scopes for the list is 403
// (not an empty page, which would read as "nothing here").
import type { Executor } from '../../db/index.js';
import { isWithin } from '../../platform/actor.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { findNode } from './nodes.repository.js';

export async function listNode(db: Executor, scopes: readonly string[], nodeId: number) {
  const node = await findNode(db, nodeId);
  if (!node) throw notFound('node');
  if (!scopes.some((s) => isWithin(node.path, s))) throw forbidden();
  return node;
}
