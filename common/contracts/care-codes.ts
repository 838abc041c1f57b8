// Psychological care's constants, without zod (心理关爱): the web's pages import them from here and so
// do not carry the schema library; care.ts exports them too.

/** A one-time scale link lasts this long by default, and at most this long. */
export const SCALE_LINK_DEFAULT_HOURS = 72;
export const SCALE_LINK_MAX_HOURS = 14 * 24;
/** An urgent alert not acknowledged within this many minutes escalates to the place above. */
export const ALERT_ACK_MINUTES = 30;

/** Limits of a scale an administrator defines (items, options, bands, texts). */
export const SCALE_LIMITS = {
  items: 60,
  options: 10,
  bands: 10,
  labelChars: 500,
  codeChars: 20,
} as const;

/** Why an automated flag was raised: an item's answer at or above its threshold, or a total in a band. */
export const CRISIS_KINDS = ['item', 'band'] as const;
export type CrisisKind = (typeof CRISIS_KINDS)[number];

/** An alert: open until a counsellor acknowledges it (a person reviews every automated flag). */
export const ALERT_STATUSES = ['open', 'acknowledged'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The risk a counsellor judges, not the scale's band. */
export const RISK_LEVELS = ['low', 'moderate', 'high', 'imminent'] as const;
export type CareRiskLevel = (typeof RISK_LEVELS)[number];

export const CONTACT_KINDS = ['call', 'message', 'visit'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** A caseload entry: open, referred to health services (still followed), closed. */
export const CASE_STATUSES = ['open', 'referred', 'closed'] as const;
export type CareCaseStatus = (typeof CASE_STATUSES)[number];

/** Where a person is referred: the community health centre, a hospital's psychiatry, the hotline. */
export const REFERRAL_KINDS = ['community_health', 'psychiatry', 'hotline'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

/** A link's state as the person's page and the sender's list show it. */
export const LINK_STATES = ['waiting', 'started', 'submitted', 'expired'] as const;
export type LinkState = (typeof LINK_STATES)[number];
