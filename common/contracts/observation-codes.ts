// Home observation's constants, without zod: the web's pages (the tasks page among them) import
// them from here and so do not carry the schema library; observations.ts exports them too.

/** Longest order and longest extension, in days. */
export const OBSERVATION_MAX_DAYS = 28;
/** An order may start yesterday (written up the next morning) or up to this many days ahead. */
export const OBSERVATION_START_WINDOW_DAYS = 7;
/** Carers of one order. */
export const OBSERVATION_MAX_CARERS = 5;

/** An order's life: in observation, then released on its end date or transferred (hospital, moved away). */
export const OBSERVATION_STATUSES = ['active', 'released', 'transferred'] as const;
export type ObservationStatus = (typeof OBSERVATION_STATUSES)[number];
export const TRANSFER_REASONS = ['hospital', 'moved_away'] as const;
export type TransferReason = (typeof TRANSFER_REASONS)[number];
/** Who looks after the person: a party member of the community, the grid worker, a doctor (the health contact). */
export const CARER_KINDS = ['party_member', 'grid_worker', 'doctor'] as const;
export type CarerKind = (typeof CARER_KINDS)[number];
/** What a carer found on a day's follow-up. */
export const FOLLOW_UP_OUTCOMES = ['well', 'unwell', 'not_reached', 'refused'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
/** A day's follow-up: due until recorded, missed when the next morning came without one. */
export const FOLLOW_UP_STATUSES = ['due', ...FOLLOW_UP_OUTCOMES, 'missed'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const SYMPTOMS = [
  'fever',
  'cough',
  'sore_throat',
  'fatigue',
  'short_breath',
  'diarrhoea',
  'other',
] as const;
export type Symptom = (typeof SYMPTOMS)[number];
export const NEEDS = ['food', 'medicine', 'other'] as const;
export type Need = (typeof NEEDS)[number];
