// The events list's filters as a repository filter. One place, so that the list, its workbook and the
// map can never disagree on who sees what: events in the caller's events.read scopes, and the events
// dispatched to their departments, narrowed by the query in SQL.
import type { z } from 'zod';
import type { listEventsQuery } from '../../../common/contracts/events.js';
import type { Executor } from '../../db/index.js';
import { scopesFor, type Actor } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';
import { findNode } from '../nodes/index.js';
import * as repo from './events.repository.js';

/** Every filter of the list; the workbook and the map take a subset (no paging, no state for the map). */
export type ListFilters = Partial<Omit<z.infer<typeof listEventsQuery>, 'page' | 'pageSize'>>;

export async function listFilter(
  db: Executor,
  actor: Actor,
  q: ListFilters,
  at: string,
): Promise<repo.EventFilter> {
  const f: repo.EventFilter = {
    readScopes: scopesFor(actor, 'events.read'),
    departmentIds: await repo.departmentIdsOfUser(db, actor.userId),
  };
  if (q.node) {
    const node = await findNode(db, q.node);
    if (!node) throw notFound('node');
    // A node narrows the list; it grants nothing: outside the caller's reach the list is just empty.
    f.under = node.path;
  }
  if (q.state) f.states = Array.isArray(q.state) ? q.state : [q.state];
  f.categoryId = q.category;
  f.level = q.level;
  f.channel = q.channel;
  if (q.overdue === 'true') f.overdueAt = at;
  if (q.overdue === 'false') f.notOverdueAt = at;
  f.text = q.q;
  return f;
}
