import { z } from 'zod';
import { LIMITS } from '../limits.js';

/** Record ids are 32-bit on both databases: a larger number is refused at the edge, not by the database. */
export const MAX_ID = 2_147_483_647;
export const recordId = z.number().int().positive().max(MAX_ID);
/**
 * An id from a path segment or query string: plain decimal digits only. `z.coerce` would read `1e3`
 * as 1000, `0x10` as 16 and ` 7` as 7, so one record would answer to many spellings.
 */
export const recordIdParam = z.union([
  // Some query schemas double as JSON bodies (the exports), where an id comes as a number.
  recordId,
  z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'a record id is a plain decimal number')
    .transform(Number)
    .pipe(recordId),
]);
export const idParam = z.strictObject({ id: recordIdParam });
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(20),
};
export function paged<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
/** A page of a list; `Paged<T>` is its type for any item type. */
export type Paged<T> = Omit<z.infer<ReturnType<typeof paged>>, 'items'> & { items: T[] };
/** A list answered whole (not paged), as `{ items }`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}
export type ListOf<T> = Omit<z.infer<ReturnType<typeof listOf>>, 'items'> & { items: T[] };
export const okResponse = z.object({ ok: z.literal(true) });
export type OkResponse = z.infer<typeof okResponse>;
/** What the web app needs to know of the server's configuration (GET /api/config). */
export const clientConfig = z.object({ mapTileUrl: z.string() });
export type ClientConfig = z.infer<typeof clientConfig>;
/**
 * What the caller may do with a record, one shape everywhere: `abilities: { <action>: boolean }`, each
 * record's actions named in its contract. The web app shows actions from this, never repeats the rules.
 */
export function abilities<const A extends string>(...actions: readonly A[]) {
  return z.object(Object.fromEntries(actions.map((a) => [a, z.boolean()])) as Record<A, z.ZodBoolean>);
}

/** Counts below town level under this are shown as "<5": small numbers of health cases identify people. */
export const SMALL_COUNT = 5;
/** A count as shown: a number, or "<5" for 1–4 at a village, grid or micro-grid. */
export const shownCount = z.union([z.number().int(), z.literal('<5')]);
export type ShownCount = z.infer<typeof shownCount>;
/** The count of a node of this level as shown: exact at the district and towns, 1–4 as "<5" below. */
export function showCount(level: string, n: number): ShownCount {
  return level !== 'district' && level !== 'town' && n > 0 && n < SMALL_COUNT ? '<5' : n;
}
