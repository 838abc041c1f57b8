// The language a request asks for (Accept-Language: zh* or en*, zh-CN by default), and rendering
// of message codes in it: every text for people leaves in one language (ADR 0010).
import type { FastifyRequest } from 'fastify';
import {
  isMessageCode,
  pickLang,
  renderMessage,
  type Lang,
  type Message,
  type ParamValue,
} from '../../common/messages/index.js';

export type { Lang, Message };

export function requestLang(req: Pick<FastifyRequest, 'headers'>): Lang {
  const h = req.headers['accept-language'];
  return pickLang(Array.isArray(h) ? h.join(',') : h);
}

export const render = (m: Message, lang: Lang): string => renderMessage(m.code, m.params, lang);

/**
 * A stored text that is a registered code is rendered; anything else (what a person typed, or a row
 * written before codes were stored) is returned as it is.
 */
/** Who took a step: a person's name as stored, or the system or a resident in the caller's language. */
export function renderActorLabel(label: string, lang: Lang): string {
  if (label === 'system') return renderMessage('actor.system', undefined, lang);
  return renderStoredText(label, lang);
}

export function renderStoredText(text: string, lang: Lang, params?: Record<string, ParamValue>): string {
  return isMessageCode(text) ? renderMessage(text, params, lang) : text;
}
