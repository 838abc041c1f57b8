// Open311 keys as the administrator manages them (the Open311 endpoint itself speaks the GeoReport v2
// formats, not these contracts: see docs/open311.md).
import { z } from 'zod';
import { LIMITS } from '../limits.js';

export const open311KeyInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The first characters of the key, to tell keys apart; the key itself is shown only once. */
  prefix: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type Open311KeyInfo = z.infer<typeof open311KeyInfo>;
export const createOpen311KeyBody = z.strictObject({ name: z.string().trim().min(1).max(LIMITS.name) });
/** The new key, shown once. */
export const createdOpen311Key = open311KeyInfo.extend({ key: z.string() });
