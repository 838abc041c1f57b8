// The problem titles the web client makes itself (no answer came, or one without a problem body). A
// file of their own, part of the registry in errors.ts, so that every page of the web app carries
// these two texts and not the whole registry.
import type { Texts } from './index.js';

export const clientErrorMessages = {
  network: {
    'zh-CN': '网络连接失败，请检查网络后重试',
    en: 'Network error: check the connection and try again',
  },
  http_error: { 'zh-CN': '请求失败（HTTP {status}）', en: 'The request failed (HTTP {status})' },
} as const satisfies Record<string, Texts>;
