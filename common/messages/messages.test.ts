// Every registered code has both texts, each in its own language only; parameters are named alike in
// both; Accept-Language is read by q-values.
import { describe, expect, it } from 'vitest';
import { messages, pickLang, renderMessage, type MessageCode } from './index.js';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
// Latin that a Chinese text may carry: parameters, format and file-type names (FHIR: the health-data
// exchange standard), protocol fields.
const ALLOWED_LATIN = new Set(
  (
    'JSON API HTTP UTF-8 xlsx csv json xml api_key multipart/form-data x-csrf-token Idempotency-Key lat long lng WGS84 W3C ' +
    'YYYY-MM-DD Open311 PDF Word Excel PowerPoint docx pptx JPEG PNG WebP txt MB service_request_id ' +
    'start_date end_date media_url open closed http https T00:00:00Z lat/long FHIR'
  ).split(' '),
);
const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const codes = Object.keys(messages) as MessageCode[];

describe('the message registry', () => {
  it('holds the codes of every area', () => {
    for (const prefix of [
      'not_found.',
      'forbidden.',
      'node.',
      'zod.',
      'issue.',
      'escalation.',
      'notification.',
      'import_row.',
      'audit.action.',
    ])
      expect(
        codes.some((c) => c.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });

  it.each(codes)(
    '%s: a Chinese and an English text, each in one language, naming the same parameters',
    (code) => {
      const { 'zh-CN': zh, en } = messages[code];
      expect(zh.trim()).not.toBe('');
      expect(en.trim()).not.toBe('');
      expect(CJK.test(en), en).toBe(false);
      const latin = zh
        .replace(/\{\w+\}/g, '')
        .match(/[A-Za-z][A-Za-z0-9_./:-]*/g)
        ?.map((w) => w.replace(/[.:]+$/, ''))
        .filter((w) => !ALLOWED_LATIN.has(w) && !ALLOWED_LATIN.has(w.replace(/^\./, '')));
      expect(latin ?? [], zh).toEqual([]);
      expect(params(zh), code).toEqual(params(en));
    },
  );
});

describe('renderMessage', () => {
  it('fills named parameters, renders label codes in the same language and picks bilingual data', () => {
    expect(renderMessage('node.code_taken', { code: '001', parent: '镇1' }, 'en')).toBe(
      'Code 001 is already used under 镇1',
    );
    expect(
      renderMessage(
        'event.transition',
        { action: 'event_action.close', state: 'event_state.reported' },
        'zh-CN',
      ),
    ).toBe('事件当前为“待受理”，不能执行“结案”');
    expect(renderMessage('issue.field_required', { label: { 'zh-CN': '面积', en: 'Area' } }, 'en')).toBe(
      'Area is required',
    );
    // Data that looks like a code is not translated.
    expect(renderMessage('notification.event.dispatch', { title: 'node.retired' }, 'en')).toBe(
      'New event dispatched: node.retired',
    );
  });
});

describe('pickLang', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-TW', 'zh-CN'],
    ['fr-FR, en;q=0.5, zh;q=0.8', 'zh-CN'],
    ['zh;q=0.2, en;q=0.9', 'en'],
    ['de, fr', 'zh-CN'],
    ['en;q=0, zh', 'zh-CN'],
  ])('%s → %s', (header, lang) => {
    expect(pickLang(header)).toBe(lang);
  });
});
