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

/**
 * What one spreadsheet import may unpack and hold (ADR 0009). A workbook is a zip: a 20 MB upload can
 * declare, or secretly inflate to, gigabytes. Every figure is checked before or while it streams, and
 * the first one passed refuses the file with 413 `import.too_large` naming it (`limit`, `max`).
 */
export const IMPORT_LIMITS = {
  /** Entries in an XLSX: a workbook has about a dozen; thousands mean something else is packed in. */
  zipEntries: 1_000,
  /** Sum of the unpacked sizes the XLSX declares for all its entries, checked before anything unpacks. */
  zipDeclaredBytes: 384 * 1024 * 1024,
  /** Unpacked bytes of the one worksheet read, declared and counted as it inflates (300,000 rows of
   * 14 columns as Excel writes them take about 170 MB). */
  sheetBytes: 256 * 1024 * 1024,
  /** Unpacked bytes of the shared strings, which stay in memory while the sheet is read. */
  sharedStringsBytes: 64 * 1024 * 1024,
  /** Characters of all shared strings together, as held in memory. */
  sharedStringChars: 16 * 1024 * 1024,
  /** Unpacked bytes of each other part read: workbook, relationships, styles. */
  partBytes: 4 * 1024 * 1024,
  /** Data rows below the header, in a CSV or the first worksheet (an importer may ask for fewer). */
  rows: 300_000,
  /** Columns of any row: the widest import has 14. */
  columns: 100,
  /** Characters in one cell: the longest field is a 2,000-character note. */
  cellChars: 4_000,
} as const;

export type ImportLimits = { -readonly [K in keyof typeof IMPORT_LIMITS]: number };
