import { z } from 'zod';
import { LIMITS } from '../limits.js';

export const idParam = z.strictObject({ id: z.coerce.number().int().positive() });
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(20),
};
export function paged<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}
export const okResponse = z.object({ ok: z.literal(true) });
/** What the caller may do with a record: the web app shows actions from this, never repeats the rules. */
export const abilities = z.record(z.string(), z.boolean());
