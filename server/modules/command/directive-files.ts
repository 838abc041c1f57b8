// Directive attachments (附件): what an upload may be (a PDF, an Office file, a photo or a plain text,
// by its bytes, not by its name), the one-time token that claims it inside the directive's, relay's
// or report-back's transaction, and who may download it afterwards. The design of event photos.
import { msg, type Message } from '../../../common/messages/index.js';
import crypto from 'node:crypto';
import type { DirectiveFile, DirectiveFileUpload } from '../../../common/contracts/command.js';
import { LIMITS } from '../../../common/limits.js';
import type { DB, Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { actorOf, holdsAnywhere, isWithin, type RequestContext } from '../../platform/actor.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { sniffFile, cleanFileName, stripJpegMetadata } from '../../platform/uploads.js';
import * as repo from './command.repository.js';
import * as fileRepo from './directive-files.repository.js';

/** An upload not claimed within a day was abandoned with its form; the sweep drops it. */
export const UNCLAIMED_FILE_MS = 86_400_000;

const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

const fileOut = (f: fileRepo.FileMeta): DirectiveFile => ({
  id: f.id,
  name: f.name,
  mime: f.mime,
  sizeBytes: f.size_bytes,
});

/** The directives' own attachments, by directive. */
export async function filesByDirective(x: Executor, directiveIds: readonly number[]) {
  const out = new Map<number, DirectiveFile[]>();
  for (const f of await fileRepo.filesOfDirectives(x, directiveIds))
    (out.get(f.directive_id!) ?? out.set(f.directive_id!, []).get(f.directive_id!)!).push(fileOut(f));
  return out;
}

/** The report-backs' attachments, by target. */
export async function filesByTarget(x: Executor, targetIds: readonly number[]) {
  const out = new Map<number, DirectiveFile[]>();
  for (const f of await fileRepo.filesOfTargets(x, targetIds))
    (out.get(f.target_id!) ?? out.set(f.target_id!, []).get(f.target_id!)!).push(fileOut(f));
  return out;
}

/**
 * Claims uploads for a directive (targetId null) or a target's report-back, in that step's transaction:
 * each token must be a held upload of the same person, else the whole step fails with the bad ones listed.
 */
export async function claimFiles(
  trx: Executor,
  tokens: readonly string[] | undefined,
  v: { uploaderUserId: number; directiveId: number; targetId: number | null; at: string },
) {
  if (!tokens || tokens.length === 0) return 0;
  const hashes = tokens.map((t) => sha256(t));
  const found = new Map(
    (
      await fileRepo.claimable(
        trx,
        hashes,
        v.uploaderUserId,
        new Date(Date.parse(v.at) - UNCLAIMED_FILE_MS).toISOString(),
      )
    ).map((r) => [r.token_hash, r]),
  );
  const bad = hashes.map((h, i) => (found.has(h) ? null : i)).filter((i): i is number => i !== null);
  if (bad.length > 0)
    throw badRequest(
      'directive_file.unknown',
      {},
      bad.map((i) => ({
        path: `body.files.${i}`,
        message: msg('issue.upload_unknown'),
        code: 'unknown',
      })),
    );
  const ids = hashes.map((h) => found.get(h)!.id);
  // Two steps racing with the same token (PostgreSQL, two connections): only one may have it.
  if (
    (await fileRepo.attach(trx, ids, {
      directive_id: v.directiveId,
      target_id: v.targetId,
      attached_at: v.at,
    })) !== ids.length
  ) {
    throw badRequest('directive_file.unknown', {}, [
      { path: 'body.files', message: msg('issue.upload_used'), code: 'unknown' },
    ]);
  }
  return ids.length;
}

export function createDirectiveFilesService(deps: {
  db: DB;
  now?: () => string;
  visible: (
    ctx: RequestContext,
    directiveId: number,
  ) => Promise<{ d: repo.DirectiveRow; scopes: readonly string[] }>;
}) {
  const { db } = deps;
  const now = deps.now ?? nowIso;
  return {
    /** Holds an upload until a directive, relay or report-back claims it; answers the token that claims it. */
    async upload(
      ctx: RequestContext,
      file: { filename: string; data: Buffer },
    ): Promise<DirectiveFileUpload> {
      const actor = actorOf(ctx);
      if (!holdsAnywhere(actor, 'directives.issue') && !holdsAnywhere(actor, 'directives.respond'))
        throw forbidden();
      const issue = (message: Message, code: string) =>
        badRequest('directive_file.invalid', {}, [{ path: 'body.file', message, code }]);
      let data = file.data;
      if (data.length === 0) throw issue(msg('issue.file_empty'), 'empty');
      if (data.length > LIMITS.directiveFileBytes)
        throw issue(msg('issue.file_too_big', { mb: LIMITS.directiveFileBytes / 1024 / 1024 }), 'too_big');
      const name = cleanFileName(file.filename);
      const mime = await sniffFile(data, name);
      if (!mime) throw issue(msg('issue.file_type'), 'type');
      // A camera's JPEG carries where it was taken (EXIF GPS): keep only the picture.
      if (mime === 'image/jpeg') data = stripJpegMetadata(data);
      const token = crypto.randomBytes(32).toString('base64url');
      await fileRepo.insertUpload(db, {
        token_hash: sha256(token),
        name,
        mime,
        size_bytes: data.length,
        sha256: sha256(data),
        data,
        uploaded_by_user_id: actor.userId,
        created_at: now(),
      });
      return { token, name, mime, sizeBytes: data.length };
    },

    /**
     * One attachment seen through a directive the caller may read: its own or an ancestor's in its
     * lineage (shown on its page), or a report-back of one of its targets the caller may see.
     */
    async download(ctx: RequestContext, directiveId: number, fileId: number) {
      const actor = actorOf(ctx);
      const { d, scopes } = await deps.visible(ctx, directiveId);
      const f = await fileRepo.fileOf(db, fileId);
      if (!f) throw notFound('file');
      if (f.target_id === null) {
        const lineage = new Set<number>();
        for (
          let cur: repo.DirectiveRow | undefined = d;
          cur;
          cur = cur.parent_id ? await repo.findDirective(db, cur.parent_id) : undefined
        )
          lineage.add(cur.id);
        if (!lineage.has(f.directive_id!)) throw notFound('file');
        return f;
      }
      const t = await repo.findTarget(db, f.target_id);
      if (!t || t.directive_id !== d.id) throw notFound('file');
      // A report-back is seen by whose jurisdiction holds its node or the issuer, and by who answers for it.
      const seen =
        scopes.some((s) => isWithin(t.node_path, s) || isWithin(d.issuer_node_path, s)) ||
        actor.assignments.some((a) => a.nodeId === t.node_id && a.permissions.has('directives.respond'));
      if (!seen) throw forbidden();
      return f;
    },
  };
}

export type DirectiveFilesService = ReturnType<typeof createDirectiveFilesService>;
export { fileRepo };
