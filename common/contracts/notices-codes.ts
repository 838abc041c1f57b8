// The notices' codes that the web shows, with their bilingual labels. No zod here: the web imports
// them from this file, so its pages do not carry the schema library; notices.ts builds its schemas
// from them and exports them too.

export const DELIVERY_METHODS = ['door', 'phone', 'wechat', 'loudspeaker'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];
export const DELIVERY_METHOD_LABELS: Record<DeliveryMethod, { zh: string; en: string }> = {
  door: { zh: '入户送达', en: 'At the door' },
  phone: { zh: '电话告知', en: 'By phone' },
  wechat: { zh: '微信告知', en: 'By WeChat' },
  loudspeaker: { zh: '广播告知', en: 'By loudspeaker' },
};
/** Households one delivery call may confirm. */
export const DELIVERY_BATCH_MAX = 200;
