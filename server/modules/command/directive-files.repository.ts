// SQL for directive attachments: held uploads, claiming them for a directive or a report-back, listing and serving them.
import type { Executor } from '../../db/index.js';

export async function insertUpload(
  x: Executor,
  v: {
    token_hash: string;
    name: string;
    mime: string;
    size_bytes: number;
    sha256: string;
    data: Buffer;
    uploaded_by_user_id: number;
    created_at: string;
  },
) {
  const r = await x
    .insertInto('directive_files')
    .values({ ...v, directive_id: null, target_id: null, attached_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Held uploads among these token hashes that this uploader may claim: unused and not older than `notBefore`. */
export function claimable(
  x: Executor,
  tokenHashes: readonly string[],
  uploaderUserId: number,
  notBefore: string,
) {
  return x
    .selectFrom('directive_files')
    .select(['id', 'token_hash'])
    .where('token_hash', 'in', tokenHashes)
    .where('directive_id', 'is', null)
    .where('uploaded_by_user_id', '=', uploaderUserId)
    .where('created_at', '>=', notBefore)
    .execute();
}

/** Answers how many were still unclaimed: fewer than asked means another step took some first. */
export async function attach(
  x: Executor,
  ids: readonly number[],
  v: { directive_id: number; target_id: number | null; attached_at: string },
) {
  const r = await x
    .updateTable('directive_files')
    .set(v)
    .where('id', 'in', ids)
    .where('directive_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export type FileMeta = {
  id: number;
  directive_id: number | null;
  target_id: number | null;
  name: string;
  mime: string;
  size_bytes: number;
};

/** The directives' own attachments (not their report-backs'), without bytes. */
export function filesOfDirectives(x: Executor, directiveIds: readonly number[]): Promise<FileMeta[]> {
  if (directiveIds.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('directive_files')
    .select(['id', 'directive_id', 'target_id', 'name', 'mime', 'size_bytes'])
    .where('directive_id', 'in', directiveIds)
    .where('target_id', 'is', null)
    .orderBy('id')
    .execute();
}

/** The report-backs' attachments of these targets, without bytes. */
export async function filesOfTargets(x: Executor, targetIds: readonly number[]): Promise<FileMeta[]> {
  const out: FileMeta[] = [];
  // A board lists up to 500 targets: keep each IN list well inside every database's bound.
  for (let i = 0; i < targetIds.length; i += 500)
    out.push(
      ...(await x
        .selectFrom('directive_files')
        .select(['id', 'directive_id', 'target_id', 'name', 'mime', 'size_bytes'])
        .where('target_id', 'in', targetIds.slice(i, i + 500))
        .orderBy('id')
        .execute()),
    );
  return out;
}

export function fileOf(x: Executor, fileId: number) {
  return x
    .selectFrom('directive_files')
    .select(['id', 'directive_id', 'target_id', 'name', 'mime', 'data', 'sha256'])
    .where('id', '=', fileId)
    .where('directive_id', 'is not', null)
    .executeTakeFirst();
}

/** Uploads nobody claimed by the cut-off: the form was abandoned. */
export async function deleteUnclaimedBefore(x: Executor, before: string) {
  const r = await x
    .deleteFrom('directive_files')
    .where('directive_id', 'is', null)
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
