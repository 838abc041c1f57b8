// Identity and contact validators shared by server and web forms (no Node or DOM APIs).
// Resident ID numbers follow GB 11643-1999; mobile numbers are mainland China's 1[3-9]xxxxxxxxx.

/** `reason` is a message code of common/messages (rendered where it is shown). */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: CheckReason };
export type CheckReason =
  'id.length' | 'id.region' | 'id.birth_date' | 'id.birth_future' | 'id.check_char' | 'phone.invalid';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character of an 18-digit ID number from its first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** A 15-digit legacy number (born 19xx) as its 18-digit form. */
export function convert15to18(id15: string): string {
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + idCheckChar(first17);
}

/** YYYY-MM-DD naming a day that exists. */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function realDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export interface ResidentId {
  /** 18 characters, check character upper case. */
  value: string;
  region: string;
  birthDate: string;
  gender: 'male' | 'female';
}

/** Validates and normalises a resident ID number; `today` is YYYY-MM-DD (for the not-in-the-future rule). */
export function parseIdNumber(
  input: string,
  today: string = new Date().toISOString().slice(0, 10),
): Checked<ResidentId> {
  const s = input.trim().toUpperCase();
  let id: string;
  if (/^\d{15}$/.test(s)) id = convert15to18(s);
  else if (/^\d{17}[\dX]$/.test(s)) id = s;
  else return { ok: false, reason: 'id.length' };
  if (!/^[1-9]\d{5}$/.test(id.slice(0, 6))) return { ok: false, reason: 'id.region' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (y < 1850 || !realDate(y, m, d)) return { ok: false, reason: 'id.birth_date' };
  if (birthDate > today) return { ok: false, reason: 'id.birth_future' };
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return { ok: false, reason: 'id.check_char' };
  return {
    ok: true,
    value: {
      value: id,
      region: id.slice(0, 6),
      birthDate,
      gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}

/** A mainland mobile number, with or without +86 / 0086, stored as +86 followed by 11 digits. */
export function normalizePhone(input: string): Checked<string> {
  const s = input.replace(/[\s-]/g, '');
  const m = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(s);
  if (!m) return { ok: false, reason: 'phone.invalid' };
  return { ok: true, value: `+86${m[1]}` };
}

/** 330112********123X: region kept, birth date and sequence hidden, last four shown. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** 138****8000. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+86/, '');
  if (digits.length !== 11) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(7)}`;
}
