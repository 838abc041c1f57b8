// Joint defence (治安联防) contracts: checkpoints, duty rosters and passage registration. For now the
// pieces the pure core needs; the routes' request and response shapes come with the module's routes.
import { z } from 'zod';
import { parsePlate, PLATE_KINDS } from '../validators.js';

export { PLATE_KINDS, type PlateKind } from '../validators.js';

/**
 * A vehicle plate as typed at a roadside: normalised (upper case, no spaces or middle dot) or refused
 * with a `plate.*` issue code and its parameters. A request's field `plate: plateInput` answers 400
 * naming `plate`.
 */
export const plateInput = z
  .string()
  .max(20)
  .transform((v, ctx) => {
    const r = parsePlate(v);
    if (!r.ok) {
      ctx.addIssue(
        r.params
          ? { code: 'custom', message: r.reason, params: r.params }
          : { code: 'custom', message: r.reason },
      );
      return z.NEVER;
    }
    return r.value.value;
  });

export const plateKind = z.enum(PLATE_KINDS);

/** What a checkpoint stands at (expressway exit, road, village entrance, compound gate, other). */
export const CHECKPOINT_TYPES = [
  'expressway_exit',
  'road',
  'village_entrance',
  'compound_gate',
  'other',
] as const;
export type CheckpointType = (typeof CHECKPOINT_TYPES)[number];
/** Open registers passages; suspended keeps its roster but stops; closed ends it. */
export const CHECKPOINT_STATUSES = ['open', 'suspended', 'closed'] as const;
export type CheckpointStatus = (typeof CHECKPOINT_STATUSES)[number];
/** Who a person stands a shift as. */
export const SHIFT_ROLES = ['police', 'cadre', 'grid_worker', 'party_member', 'volunteer', 'other'] as const;
export type ShiftRole = (typeof SHIFT_ROLES)[number];
