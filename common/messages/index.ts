// One registry of message codes for everything the server writes for people: problem titles,
// field issues, stored records (escalation reasons, notifications, import row errors) and labels.
// Each code has a zh-CN and an English text with named parameters (`{limit}`); a code without both
// texts fails the typecheck (`satisfies Record<string, Texts>` in each area's file). Records keep
// the code and its parameters, and the text is rendered at read time in the language asked (ADR 0010).
import { auditActionMessages } from './audit-actions.js';
import { documentMessages } from './documents.js';
import { errorMessages } from './errors.js';
import { exportMessages } from './exports.js';
import { issueMessages } from './issues.js';
import { recordMessages } from './records.js';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const DEFAULT_LANG: Lang = 'zh-CN';

export interface Texts {
  readonly 'zh-CN': string;
  readonly en: string;
}

export const messages = {
  ...errorMessages,
  ...issueMessages,
  ...recordMessages,
  ...auditActionMessages,
  ...exportMessages,
  ...documentMessages,
} as const;

export type MessageCode = keyof typeof messages;
/** A parameter: a value, a registered code (rendered in the same language), or data kept in both languages (a field's label). */
export type ParamValue = string | number | Texts;

/** `{a} and {b}` → 'a' | 'b'. */
type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer R}` ? P | ParamNames<R> : never;
type NamesOf<C extends MessageCode> =
  ParamNames<(typeof messages)[C]['en']> | ParamNames<(typeof messages)[C]['zh-CN']>;
export type MessageParams<C extends MessageCode> = { readonly [K in NamesOf<C>]: ParamValue };
/** The parameters as a call's arguments: optional when the texts name none. */
export type ParamArgs<C extends MessageCode, Tail extends unknown[] = []> = [NamesOf<C>] extends [never]
  ? [params?: Record<string, never>, ...Tail]
  : [params: MessageParams<C>, ...Tail];

/** A message to render later: what stored records and errors carry instead of a sentence. */
export interface Message {
  readonly code: MessageCode;
  readonly params?: Readonly<Record<string, ParamValue>>;
}

export function msg<C extends MessageCode>(code: C, ...[params]: ParamArgs<C>): Message {
  return params && Object.keys(params).length > 0 ? { code, params } : { code };
}

export function isMessageCode(code: string): code is MessageCode {
  return Object.hasOwn(messages, code);
}

/** Parameters that are themselves codes of labels (a level, a state, an action): rendered in the same language. Data (titles, names) never is. */
const NESTED =
  /^(level|event_state|event_action|target_state|target_action|type|actor|import\.limit)\.[a-zA-Z0-9_]+$/;

/**
 * The text of a code in a language with its parameters filled in. A parameter whose value is a
 * registered code (e.g. `level.town`) is rendered in the same language; a missing parameter stays
 * visible as `{name}` rather than failing.
 */
export function renderMessage(
  code: MessageCode,
  params: Readonly<Record<string, ParamValue>> | undefined,
  lang: Lang,
): string {
  const text = messages[code][lang];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    if (typeof v === 'object') return v[lang];
    if (typeof v === 'string' && NESTED.test(v) && isMessageCode(v)) return messages[v][lang];
    return String(v);
  });
}

/** A label's texts in both languages, as a parameter of another message (rendered in that one's language). */
export function textsOf(code: MessageCode): Texts {
  return { 'zh-CN': renderMessage(code, undefined, 'zh-CN'), en: renderMessage(code, undefined, 'en') };
}

/** Renders a stored `{code, params}` pair; a code no longer registered is shown as itself. */
export function renderStored(
  code: string,
  params: Readonly<Record<string, ParamValue>> | undefined,
  lang: Lang,
) {
  return isMessageCode(code) ? renderMessage(code, params, lang) : code;
}

/**
 * The language asked by an `Accept-Language` header: the highest q among zh* and en* ranges
 * (ties keep the header's order), zh-CN when neither is asked.
 */
export function pickLang(header: string | undefined | null): Lang {
  if (!header) return DEFAULT_LANG;
  let best: Lang = DEFAULT_LANG;
  let bestQ = -1;
  for (const part of header.split(',')) {
    const [range = '', ...attrs] = part.trim().split(';');
    const tag = range.trim().toLowerCase();
    let q = 1;
    for (const a of attrs) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(a);
      if (m) q = Number(m[1]);
    }
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang: Lang | null =
      tag === 'zh' || tag.startsWith('zh-') ? 'zh-CN' : tag === 'en' || tag.startsWith('en-') ? 'en' : null;
    if (lang && q > bestQ) {
      best = lang;
      bestQ = q;
    }
  }
  return best;
}
