// SQL for event photos: held uploads, claiming them for a report or a step, and serving them.
import type { Executor } from '../../db/index.js';

export async function insertUpload(
  db: Executor,
  v: {
    token_hash: string;
    mime: string;
    size_bytes: number;
    sha256: string;
    data: Buffer;
    uploaded_by_user_id: number | null;
    created_at: string;
  },
) {
  const r = await db
    .insertInto('event_photos')
    .values({ ...v, event_id: null, history_id: null, attached_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Held uploads among these token hashes that this uploader may claim (a resident's have no uploader). */
export function claimable(db: Executor, tokenHashes: readonly string[], uploaderUserId: number | null) {
  let q = db
    .selectFrom('event_photos')
    .select(['id', 'token_hash', 'mime', 'size_bytes'])
    .where('token_hash', 'in', tokenHashes)
    .where('event_id', 'is', null);
  q =
    uploaderUserId === null
      ? q.where('uploaded_by_user_id', 'is', null)
      : q.where('uploaded_by_user_id', '=', uploaderUserId);
  return q.execute();
}

/** Answers how many were still unclaimed: fewer than asked means another step took some first. */
export async function attach(
  db: Executor,
  ids: readonly number[],
  v: { event_id: number; history_id: number; attached_at: string },
) {
  const r = await db
    .updateTable('event_photos')
    .set(v)
    .where('id', 'in', ids)
    .where('event_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Bytes held for residents and not yet claimed: the public form's uploads are capped by it. */
export async function unclaimedPublicBytes(db: Executor) {
  const r = await db
    .selectFrom('event_photos')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size_bytes'), eb.lit(0)).as('n'))
    .where('event_id', 'is', null)
    .where('uploaded_by_user_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The photos of an event without their bytes, for the timeline. */
export function photosOf(db: Executor, eventId: number) {
  return db
    .selectFrom('event_photos')
    .select(['id', 'history_id', 'mime', 'size_bytes'])
    .where('event_id', '=', eventId)
    .orderBy('id')
    .execute();
}

export function photoOf(db: Executor, eventId: number, photoId: number) {
  return db
    .selectFrom('event_photos')
    .select(['mime', 'data', 'sha256'])
    .where('id', '=', photoId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
}

/** Uploads nobody claimed by the cut-off: the form was abandoned. */
export async function deleteUnclaimedBefore(db: Executor, before: string) {
  const r = await db
    .deleteFrom('event_photos')
    .where('event_id', 'is', null)
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
