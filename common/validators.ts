// Identity and contact validators shared by server and web forms (no Node or DOM APIs).
// Resident ID numbers follow GB 11643-1999; mobile numbers are mainland China's 1[3-9]xxxxxxxxx;
// vehicle plates are mainland China's (GA 36), as a checkpoint registers them.

/** `reason` is a message code of common/messages (rendered where it is shown, with `params` if any). */
export type Checked<T, R extends string = CheckReason> =
  { ok: true; value: T } | { ok: false; reason: R; params?: Readonly<Record<string, string>> };
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

// ---------------------------------------------------------------- vehicle plates

/** The provinces' one-character abbreviations that open a civilian plate. */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
export const PLATE_KINDS = [
  'ordinary',
  'new_energy_small',
  'new_energy_large',
  'trailer',
  'learner',
  'police',
  'embassy',
  'consulate',
  'hong_kong',
  'macau',
] as const;
export type PlateKind = (typeof PLATE_KINDS)[number];
export type PlateReason =
  | 'plate.wrong_length'
  | 'plate.unknown_province'
  | 'plate.authority_letter'
  | 'plate.letter_i_or_o'
  | 'plate.bad_character'
  | 'plate.new_energy_form'
  | 'plate.cross_border'
  | 'plate.embassy_form';

export interface Plate {
  /** Upper case, without spaces or the middle dot: 京A12345, 粤B D12345 → 粤BD12345. */
  value: string;
  kind: PlateKind;
  /** The province abbreviation, or null for an embassy plate (使). */
  province: string | null;
}

/** The parameters of the texts that name letters or a prefix (kept out of the Chinese text as data). */
const PLATE_PARAMS: Partial<Record<PlateReason, Readonly<Record<string, string>>>> = {
  'plate.letter_i_or_o': { letters: 'I/O' },
  'plate.new_energy_form': { letters: 'D/F' },
  'plate.cross_border': { prefix: '粤Z' },
};
/** A plate's last character that names its kind; the four characters before it are the number. */
const PLATE_SUFFIXES: Readonly<Record<string, PlateKind>> = {
  挂: 'trailer',
  学: 'learner',
  警: 'police',
  领: 'consulate',
  港: 'hong_kong',
  澳: 'macau',
};

/**
 * Validates and normalises a mainland vehicle plate. The input is read as typed on a phone: full-width
 * letters and digits become ASCII (NFKC), spaces and the middle dot (· •) go, letters become upper case.
 *
 * - ordinary: province, the issuing authority's letter (A–Z without I and O), 5 letters or digits
 *   without I and O (京A12345);
 * - new energy, 6 after the authority: small cars D or F first, a letter or digit, then 4 digits
 *   (粤BD12345); large vehicles 5 digits then D or F (粤B12345D);
 * - 4 letters or digits and a suffix: 挂 trailer, 学 coach-learner, 警 police, 领 consulate; 港 and
 *   澳 for cross-border vehicles, registered by Guangdong as 粤Z (粤Z1234港);
 * - embassy: 使 and 6 digits, the embassy's number and the vehicle's (使014578).
 */
export function parsePlate(input: string): Checked<Plate, PlateReason> {
  const s = input
    .normalize('NFKC')
    .replace(/[\s·•]/g, '')
    .toUpperCase();
  const fail = (reason: PlateReason): Checked<Plate, PlateReason> =>
    PLATE_PARAMS[reason] ? { ok: false, reason, params: PLATE_PARAMS[reason] } : { ok: false, reason };
  const chars = [...s];
  if (chars.length === 0) return fail('plate.wrong_length');
  const first = chars[0]!;

  if (first === '使') {
    return /^\d{6}$/.test(chars.slice(1).join(''))
      ? { ok: true, value: { value: s, kind: 'embassy', province: null } }
      : fail('plate.embassy_form');
  }
  if (!PLATE_PROVINCES.includes(first)) return fail('plate.unknown_province');

  const authority = chars[1];
  if (authority === undefined) return fail('plate.wrong_length');
  if (authority === 'I' || authority === 'O') return fail('plate.letter_i_or_o');
  if (!/^[A-Z]$/.test(authority)) return fail('plate.authority_letter');

  const last = chars.length > 2 ? chars[chars.length - 1]! : '';
  const suffixKind = PLATE_SUFFIXES[last];
  const serial = chars.slice(2, suffixKind ? -1 : undefined).join('');
  if (!/^[A-Z0-9]*$/.test(serial)) return fail('plate.bad_character');
  if (/[IO]/.test(serial)) return fail('plate.letter_i_or_o');
  const ok = (kind: PlateKind): Checked<Plate, PlateReason> => ({
    ok: true,
    value: { value: s, kind, province: first },
  });

  if (suffixKind) {
    if (serial.length !== 4) return fail('plate.wrong_length');
    if (suffixKind === 'hong_kong' || suffixKind === 'macau') {
      return first === '粤' && authority === 'Z' ? ok(suffixKind) : fail('plate.cross_border');
    }
    return ok(suffixKind);
  }
  if (serial.length === 5) return ok('ordinary');
  if (serial.length === 6) {
    if (/^[DF][A-HJ-NP-Z0-9]\d{4}$/.test(serial)) return ok('new_energy_small');
    if (/^\d{5}[DF]$/.test(serial)) return ok('new_energy_large');
    // D or F at either end says it was meant as a new-energy plate; otherwise a character too many.
    return /^[DF]|[DF]$/.test(serial) ? fail('plate.new_energy_form') : fail('plate.wrong_length');
  }
  return fail('plate.wrong_length');
}
