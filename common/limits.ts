// Field limits shared by server validation and web forms.
export const LIMITS = {
  name: 100,
  username: 64,
  displayName: 64,
  passwordMin: 10,
  passwordMax: 200,
  reason: 500,
  search: 100,
  pageSizeMax: 200,
  polygonChars: 200_000,
  /** One event photo after the browser has shrunk it; a phone's original fits too. */
  photoBytes: 8 * 1024 * 1024,
  /** Photos with one report or one workflow step. */
  photosPerStep: 6,
  /** One attachment of a directive or of a report-back (a PDF, an Office file, a photo, a text). */
  directiveFileBytes: 20 * 1024 * 1024,
  /** Attachments with one directive, relay or report-back. */
  directiveFilesPerStep: 10,
  /** An attachment's file name as kept and shown. */
  fileName: 200,
} as const;
