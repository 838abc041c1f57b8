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
import { sniffImage, stripJpegMetadata } from '../events/index.js';
import * as repo from './command.repository.js';
import * as fileRepo from './directive-files.repository.js';

/** An upload not claimed within a day was abandoned with its form; the sweep drops it. */
export const UNCLAIMED_FILE_MS = 86_400_000;

const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

/** Office Open XML files are ZIP archives: the name says which, the archive's parts must agree. */
const OOXML: Record<string, { mime: string; part: string }> = {
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', part: 'word/' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', part: 'xl/' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', part: 'ppt/' },
};
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's type by its first bytes (and for ZIP and text, by its name too); null for anything else (an .exe renamed .pdf). */
export function sniffFile(b: Buffer, name: string): string | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  if (b.length >= 5 && b.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  const image = sniffImage(b);
  if (image) return image;
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    const office = OOXML[ext];
    // Every Office Open XML package lists its parts' types in [Content_Types].xml; a plain ZIP renamed .docx does not.
    const names = b.toString('latin1');
    return office && names.includes('[Content_Types].xml') && names.includes(office.part)
      ? office.mime
      : null;
  }
  if (ext === 'txt' && !b.includes(0)) {
    try {
      utf8.decode(b);
      return 'text/plain';
    } catch {
      return null;
    }
  }
  return null;
}

/** The name as kept and shown: no folders, no control characters, at most 200 characters with its extension. */
export function cleanFileName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  let name = (raw.split(/[/\\]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  name = name.replace(/^\.+/, '');
  if (name === '') return 'file';
  const chars = [...name];
  if (chars.length <= LIMITS.fileName) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? [...name.slice(dot)] : [];
  if (ext.length > 0 && ext.length <= 10)
    return [...chars.slice(0, LIMITS.fileName - ext.length), ...ext].join('');
  return chars.slice(0, LIMITS.fileName).join('');
}

/** Content-Disposition for a download: an ASCII fallback and the real name per RFC 5987 (Chinese names survive). */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

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
      const mime = sniffFile(data, name);
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
