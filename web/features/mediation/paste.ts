// Many claimants at once (a wage case may have 77): lines pasted from a spreadsheet or a chat, one
// person a line, the name and the ID number (and a phone, if any) in any order, separated by spaces,
// tabs or commas. Each line becomes an applicant, or a reason it cannot.
import { normalizePhone, parseIdNumber } from '../../../common/validators.js';
import { MEDIATION_LIMITS } from '../../../common/contracts/mediation-codes.js';

export interface PastedPerson {
  name: string;
  idNumber: string | null;
  phone: string | null;
}
export type PasteProblem = 'no_name' | 'bad_id' | 'duplicate_id' | 'too_long';
export interface PasteResult {
  people: PastedPerson[];
  problems: { line: number; text: string; problem: PasteProblem }[];
}

const ID_LIKE = /^(\d{15}|\d{17}[\dXx])$/;
const PHONE_LIKE = /^(\+?86)?1[3-9]\d{9}$/;
const HEADER_NAMES = new Set(['姓名', '名字', '名称', 'name']);

/** Splits pasted text into people; `known` are ID numbers already on the form (not added twice). */
export function parsePasted(text: string, known: readonly string[] = [], today?: string): PasteResult {
  const seen = new Set(known.map((k) => k.toUpperCase()));
  const people: PastedPerson[] = [];
  const problems: PasteResult['problems'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    // A phone written in groups (138 0013 8000) is one token.
    const tokens = line
      .replace(/(1[3-9]\d)[\s-](\d{4})[\s-](\d{4})/g, '$1$2$3')
      .split(/[\s,，;；、|]+/)
      .filter(Boolean);
    const names: string[] = [];
    let idNumber: string | null = null;
    let phone: string | null = null;
    let badId = false;
    for (const tok of tokens) {
      if (ID_LIKE.test(tok)) {
        const r = parseIdNumber(tok, today);
        if (r.ok) idNumber = r.value.value;
        else badId = true;
      } else if (PHONE_LIKE.test(tok)) {
        const r = normalizePhone(tok);
        if (r.ok) phone = r.value;
      } else names.push(tok);
    }
    const name = names.join(' ');
    const report = (problem: PasteProblem) => problems.push({ line: i + 1, text: line, problem });
    if (!name) return report('no_name');
    if (idNumber === null && names.some((n) => HEADER_NAMES.has(n.toLowerCase()))) return;
    if (name.length > MEDIATION_LIMITS.nameChars) return report('too_long');
    if (badId) return report('bad_id');
    if (idNumber !== null) {
      if (seen.has(idNumber)) return report('duplicate_id');
      seen.add(idNumber);
    }
    people.push({ name, idNumber, phone });
  });
  return { people, problems };
}
