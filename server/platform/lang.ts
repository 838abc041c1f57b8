// The language a request asks for (Accept-Language: zh* or en*, zh-CN by default), and rendering
// of message codes in it: every text for people leaves in one language (ADR 0010).
import type { FastifyRequest } from 'fastify';
import {
  isMessageCode,
  pickLang,
  renderMessage,
  type Lang,
  type Message,
  type MessageCode,
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
  const code = isMessageCode(text) ? text : BILINGUAL_BEFORE_CODES.get(text);
  return code ? renderMessage(code, params, lang) : text;
}

/**
 * Sentences the system wrote into the (append-only) histories in both languages at once before codes
 * were stored (migration 0017), read as the codes that say the same.
 */
const BILINGUAL_BEFORE_CODES = new Map<string, MessageCode>([
  ['超过签收 sign-for时限 签收 sign-for time limit passed', 'escalation.event.sign'],
  ['超过办理 handling时限 办理 handling time limit passed', 'escalation.event.handle'],
  ['超过核查 verification时限 核查 verification time limit passed', 'escalation.event.verify'],
  ['群众不满意 not satisfied', 'reason.not_satisfied'],
  ['群众 resident', 'actor.resident'],
  ['超过签收时限 · sign-for deadline passed', 'escalation.directive.sign'],
  ['超过反馈时限 · report-back deadline passed', 'escalation.directive.report'],
]);
