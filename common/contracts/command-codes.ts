// The command system's codes that the web shows, with their bilingual labels. No zod here: the web
// imports them from this file, so its pages do not carry the schema library; command.ts builds its
// schemas from them and exports them too.

/** 一级 (most severe) … 四级 response, as Chinese emergency plans grade them. */
export const RESPONSE_LEVELS = ['I', 'II', 'III', 'IV'] as const;
export const RESPONSE_LEVEL_LABELS: Record<(typeof RESPONSE_LEVELS)[number], { zh: string; en: string }> = {
  I: { zh: '一级响应', en: 'Level I response' },
  II: { zh: '二级响应', en: 'Level II response' },
  III: { zh: '三级响应', en: 'Level III response' },
  IV: { zh: '四级响应', en: 'Level IV response' },
};
export const PRIORITIES = ['normal', 'urgent', 'critical'] as const;
export const PRIORITY_LABELS: Record<(typeof PRIORITIES)[number], { zh: string; en: string }> = {
  normal: { zh: '一般', en: 'Normal' },
  urgent: { zh: '紧急', en: 'Urgent' },
  critical: { zh: '特急', en: 'Critical' },
};
export const TARGET_STATES = ['pending', 'signed', 'reported'] as const;
export const TARGET_STATE_LABELS: Record<(typeof TARGET_STATES)[number], { zh: string; en: string }> = {
  pending: { zh: '待签收', en: 'Not signed' },
  signed: { zh: '已签收', en: 'Signed' },
  reported: { zh: '已反馈', en: 'Reported back' },
};
/** Levels a directive can target (a district never targets itself). */
export const TARGET_LEVELS = ['town', 'village', 'grid'] as const;
export const COCKPIT_METRICS = [
  'eventsOpen',
  'eventsOverdue',
  'directivesPending',
  'directivesOverdue',
  'reportsMissing',
  'noticesUndelivered',
] as const;
export type CockpitMetric = (typeof COCKPIT_METRICS)[number];
