// The codes of joint handling that the web shows, with their bilingual labels. No zod here: the web
// imports them from this file, so its pages do not carry the schema library; events.ts builds its
// schemas from them and exports them too.

export const EVENT_STATE_CODES = [
  'reported',
  'accepted',
  'rejected',
  'dispatched',
  'returned',
  'in_progress',
  'extension_requested',
  'parked',
  'handled',
  'closed',
  'evaluated',
  'reopened',
] as const;
export const EVENT_STATE_LABELS: Record<(typeof EVENT_STATE_CODES)[number], { zh: string; en: string }> = {
  reported: { zh: '待受理', en: 'Reported' },
  accepted: { zh: '已立案', en: 'Filed' },
  rejected: { zh: '不予立案', en: 'Rejected' },
  dispatched: { zh: '待签收', en: 'Dispatched' },
  returned: { zh: '已退回', en: 'Returned' },
  in_progress: { zh: '处置中', en: 'In progress' },
  extension_requested: { zh: '延期申请中', en: 'Extension requested' },
  parked: { zh: '挂账', en: 'Parked' },
  handled: { zh: '待核查', en: 'Awaiting verification' },
  closed: { zh: '已结案', en: 'Closed' },
  evaluated: { zh: '已评价', en: 'Evaluated' },
  reopened: { zh: '已重启', en: 'Reopened' },
};
export const EVENT_ACTION_CODES = [
  'accept',
  'reject',
  'dispatch',
  'sign',
  'return',
  'request_extension',
  'approve_extension',
  'refuse_extension',
  'park',
  'resume',
  'feed_back',
  'verify_pass',
  'verify_fail',
  'close',
  'evaluate_satisfied',
  'evaluate_dissatisfied',
  'escalate',
  // A dispute handed to people's mediation comes back (referred back, or failed with the route back to
  // joint handling): the system's step, taken in the mediation case's transaction, never a person's.
  'mediation_return',
] as const;
export type EventActionCode = (typeof EVENT_ACTION_CODES)[number];
export const CLOSE_REASON_CODES = ['resolved', 'not_our_responsibility', 'duplicate', 'cancelled'] as const;
/**
 * The close reason of a dispute handed to people's mediation (转人民调解): set only by the mediation
 * case made from it, never chosen in the close dialog; a case referred back reopens the event.
 */
export const MEDIATION_CLOSE_REASON = 'mediation';
/** Event categories that are disputes (矛盾纠纷): those mediation may take over. */
export const isDisputeCategory = (code: string) => code === 'dispute' || code.startsWith('dispute.');
export const OWNER_LEVEL_CODES = ['grid', 'village', 'town', 'district'] as const;
export const CHANNELS = ['patrol', 'public', 'hotline', 'open311'] as const;
export const CHANNEL_LABELS: Record<(typeof CHANNELS)[number], { zh: string; en: string }> = {
  patrol: { zh: '网格巡查', en: 'Grid patrol' },
  public: { zh: '群众上报', en: 'Resident form' },
  hotline: { zh: '热线受理', en: 'Hotline' },
  open311: { zh: 'Open311 接口', en: 'Open311' },
};
/** The workflow steps that carry photos besides the report: what was done, and what the grid worker saw. */
export const PHOTO_ACTIONS = ['feed_back', 'verify_pass', 'verify_fail'] as const;
