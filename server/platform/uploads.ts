// Reads one multipart upload (a file plus a few named text fields) into memory, within the configured limit.
import { msg } from '../../common/messages/index.js';
import type { FastifyRequest } from 'fastify';
import { badRequest, validationFailed } from './errors.js';

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
