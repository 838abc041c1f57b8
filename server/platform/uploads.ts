// Uploaded files, for every module that takes them (event photos, directive attachments): reading one
// multipart upload (a file plus a few named text fields) into memory within the configured limit, what
// a file is by its bytes (the maintained `file-type` sniffer, not by its name), a camera JPEG without
// its metadata, and the name as kept and offered for download.
import { msg } from '../../common/messages/index.js';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { LIMITS } from '../../common/limits.js';
import type { z } from 'zod';
import { badRequest, validationFailed } from './errors.js';
import { zodIssueMessage } from './error-handler.js';

export interface Upload {
  file: { filename: string; data: Buffer };
  fields: Record<string, string | undefined>;
}

/** `fileSize` lowers the app's upload limit for one route: a bigger file is refused (413) while it streams, not after. */
export async function readUpload(
  req: FastifyRequest,
  fieldNames: readonly string[],
  limits: { fileSize?: number } = {},
): Promise<Upload> {
  if (!req.isMultipart()) throw badRequest('request.not_multipart');
  let file: Upload['file'] | undefined;
  const fields: Upload['fields'] = {};
  for await (const part of req.parts(
    limits.fileSize ? { limits: { fileSize: limits.fileSize } } : undefined,
  )) {
    // PostgreSQL cannot store a NUL character, and no person types one: refuse it here as in JSON bodies.
    const name = part.type === 'file' ? part.filename : typeof part.value === 'string' ? part.value : '';
    if (name.includes('\u0000')) {
      throw validationFailed([
        { path: `body.${part.fieldname}`, message: msg('issue.nul'), code: 'invalid_characters' },
      ]);
    }
    if (part.type === 'file') {
      const data = await part.toBuffer();
      if (!file) file = { filename: part.filename || 'upload', data };
    } else if (fieldNames.includes(part.fieldname) && typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  if (!file) {
    throw badRequest('request.file_missing', {}, [
      { path: 'body.file', message: msg('issue.file_required'), code: 'required' },
    ]);
  }
  return { file, fields };
}

/** An upload's text fields checked against a schema: a 400 naming each field's problem, as a JSON body's would. */
export function uploadFields<T extends z.ZodType>(schema: T, fields: Upload['fields']): z.output<T> {
  const r = schema.safeParse(fields);
  if (r.success) return r.data;
  throw validationFailed(
    r.error.issues.map((i) => ({
      path: ['body', ...i.path.map(String)].join('.'),
      message: zodIssueMessage(i.code, i as unknown as Record<string, unknown>, i.message),
      code: i.code,
    })),
  );
}

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';
const IMAGES: ReadonlySet<string> = new Set<ImageMime>(['image/jpeg', 'image/png', 'image/webp']);
/** Office Open XML packages: the sniffer reads the archive's [Content_Types].xml; the name must agree. */
const OFFICE: ReadonlySet<string> = new Set(['docx', 'xlsx', 'pptx']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The type by the file's bytes; a file the sniffer cannot read (a truncated archive) is no known type. */
async function sniff(b: Buffer) {
  try {
    return (await fileTypeFromBuffer(b)) ?? null;
  } catch {
    return null;
  }
}

/** The image type by its bytes; null for anything else (a renamed file, a script, an SVG, an HEIC). */
export async function sniffImage(b: Buffer): Promise<ImageMime | null> {
  const t = await sniff(b);
  return t && IMAGES.has(t.mime) ? (t.mime as ImageMime) : null;
}

/**
 * An attachment's type by its bytes: a PDF, a JPEG, PNG or WebP photo, a Word, Excel or PowerPoint
 * package whose name has its extension, or (having no binary signature) a UTF-8 .txt without NUL;
 * null for anything else (an .exe renamed .pdf, a plain ZIP renamed .docx).
 */
export async function sniffFile(b: Buffer, name: string): Promise<string | null> {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const t = await sniff(b);
  if (t) {
    if (t.mime === 'application/pdf' || IMAGES.has(t.mime)) return t.mime;
    return OFFICE.has(t.ext) && t.ext === ext ? t.mime : null;
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

/**
 * A JPEG without its APPn metadata segments (EXIF with GPS, XMP, maker notes) and comments; the
 * colour profile (APP2 ICC) and the picture stay. Anything not laid out as expected is kept as it is.
 */
export function stripJpegMetadata(b: Buffer): Buffer {
  const out: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff) {
    const marker = b[i + 1]!;
    // Start of scan: the rest is picture data.
    if (marker === 0xda) break;
    const len = b.readUInt16BE(i + 2);
    if (len < 2 || i + 2 + len > b.length) return b;
    const drop = (marker >= 0xe1 && marker <= 0xef && marker !== 0xe2) || marker === 0xfe;
    if (!drop) out.push(b.subarray(i, i + 2 + len));
    i += 2 + len;
  }
  if (i >= b.length || b[i] !== 0xff) return b;
  out.push(b.subarray(i));
  return Buffer.concat(out);
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
