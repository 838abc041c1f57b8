// Event photos: what an upload must be (a JPEG, PNG or WebP by its bytes, not by its name), the
// one-time token that claims it, and the claim inside a report's or a step's transaction.
import { msg, type Message } from '../../../common/messages/index.js';
import crypto from 'node:crypto';
import { LIMITS } from '../../../common/limits.js';
import type { Executor } from '../../db/index.js';
import { appError, badRequest } from '../../platform/errors.js';
import { sniffImage, stripJpegMetadata } from '../../platform/uploads.js';
import * as photoRepo from './event-photos.repository.js';

/** Residents' uploads waiting for their report, all together: beyond this the public form gets 429. */
const PUBLIC_HELD_BYTES = 256 * 1024 * 1024;

const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

/** Keeps an upload until a report or a step claims it; answers the token that claims it. */
export async function holdUpload(db: Executor, original: Buffer, uploaderUserId: number | null, at: string) {
  let data = original;
  const issue = (message: Message, code: string) =>
    badRequest('photo.invalid', {}, [{ path: 'body.file', message, code }]);
  if (data.length === 0) throw issue(msg('issue.file_empty'), 'empty');
  if (data.length > LIMITS.photoBytes)
    throw issue(msg('issue.file_too_big', { mb: LIMITS.photoBytes / 1024 / 1024 }), 'too_big');
  const mime = await sniffImage(data);
  if (!mime) throw issue(msg('issue.photo_type'), 'type');
  if (
    uploaderUserId === null &&
    (await photoRepo.unclaimedPublicBytes(db)) + data.length > PUBLIC_HELD_BYTES
  ) {
    throw appError(429, 'photo.busy');
  }
  // A camera's JPEG carries where it was taken (EXIF GPS) and the phone's make: keep only the picture.
  if (mime === 'image/jpeg') data = stripJpegMetadata(data);
  const token = crypto.randomBytes(32).toString('base64url');
  await photoRepo.insertUpload(db, {
    token_hash: sha256(token),
    mime,
    size_bytes: data.length,
    sha256: sha256(data),
    data,
    uploaded_by_user_id: uploaderUserId,
    created_at: at,
  });
  return { token, mime, sizeBytes: data.length };
}

/**
 * Claims uploads for one step of an event, in the step's transaction: each token must be a held upload
 * of the same uploader, else the whole step fails with the bad ones listed and nothing is kept.
 */
export async function claimPhotos(
  trx: Executor,
  tokens: readonly string[] | undefined,
  v: { uploaderUserId: number | null; eventId: number; historyId: number; at: string },
) {
  if (!tokens || tokens.length === 0) return [];
  const hashes = tokens.map((t) => sha256(t));
  const found = new Map(
    (await photoRepo.claimable(trx, hashes, v.uploaderUserId)).map((r) => [r.token_hash, r]),
  );
  const bad = hashes.map((h, i) => (found.has(h) ? null : i)).filter((i): i is number => i !== null);
  if (bad.length > 0)
    throw badRequest(
      'photo.unknown',
      {},
      bad.map((i) => ({
        path: `body.photos.${i}`,
        message: msg('issue.upload_unknown'),
        code: 'unknown',
      })),
    );
  const claimed = hashes.map((h) => found.get(h)!);
  // Two steps racing with the same token (PostgreSQL, two connections): only one may have it.
  if (
    (await photoRepo.attach(
      trx,
      claimed.map((r) => r.id),
      { event_id: v.eventId, history_id: v.historyId, attached_at: v.at },
    )) !== claimed.length
  ) {
    throw badRequest('photo.unknown', {}, [
      { path: 'body.photos', message: msg('issue.upload_used'), code: 'unknown' },
    ]);
  }
  return claimed.map((r) => ({ id: r.id, history_id: v.historyId, mime: r.mime, size_bytes: r.size_bytes }));
}

export { photoRepo };
