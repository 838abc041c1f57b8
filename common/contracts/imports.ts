// What every spreadsheet import answers beside its counts: the rows of the file it did not read as data.
import { z } from 'zod';

/** Why a row of an import's file was not read as data: above the header row (a title), blank, or a
 * total line (合计). */
export const IMPORT_SKIP_REASONS = ['above_header', 'blank', 'total'] as const;
export type ImportSkipReason = (typeof IMPORT_SKIP_REASONS)[number];

/** Rows of the file not read as data: how many, and the first of them with their reason. */
export const importSkipped = z.object({
  total: z.number().int(),
  rows: z.array(
    z.object({ row: z.number().int(), reason: z.enum(IMPORT_SKIP_REASONS), message: z.string() }),
  ),
});
export type ImportSkipped = z.infer<typeof importSkipped>;
