// How a place's name is typed on a keyboard without a Chinese input method: its full pinyin
// (章坂村 → zhangbancun) and its initials (zbc), from the pinyin-pro library's dictionary. Stored on
// each node (name_pinyin, name_initials) so a search is one LIKE in SQL. Every node's name is spelled
// here: the node service's create, rename and import, the demo seed, and the migration that filled
// the nodes that came before.
import { pinyin } from 'pinyin-pro';

/** A name with several characters of more than one reading is spelled at most this many ways. */
const MAX_SPELLINGS = 8;

export interface NameSpellings {
  /** Full pinyin without tones or spaces, lower case; other readings follow, separated by a space. */
  name_pinyin: string;
  /** The first letters of the same spellings, in the same order. */
  name_initials: string;
}

/**
 * Letters and digits only, lower case, ü as v and other accents dropped: the form both the columns
 * and a query are compared in.
 */
export function spellingKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/ü/g, 'v')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The name's spellings. The first follows pinyin-pro's reading in context; a character with other
 * readings (於 is wu or yu: 於潜 reads yuqian) adds a spelling with that one character read the
 * other way, up to MAX_SPELLINGS in all, so a place is found whichever way it is read.
 */
export function spellName(name: string): NameSpellings {
  const pieces = piecesOf(name);
  const main = pieces.map((p) => p.reading);
  const spellings: string[][] = [main];
  for (let i = 0; i < pieces.length && spellings.length < MAX_SPELLINGS; i++) {
    const p = pieces[i]!;
    if (!p.zh) continue;
    for (const r of readingsOf(p.origin)) {
      if (spellings.length >= MAX_SPELLINGS) break;
      if (r !== p.reading) spellings.push(main.map((s, j) => (j === i ? r : s)));
    }
  }
  const initialsOf = (s: string[]) => s.map((r, j) => (pieces[j]!.zh ? r.slice(0, 1) : r)).join('');
  return {
    name_pinyin: unique(spellings.map((s) => spellingKey(s.join('')))).join(' '),
    name_initials: unique(spellings.map((s) => spellingKey(initialsOf(s)))).join(' '),
  };
}

interface Piece {
  origin: string;
  zh: boolean;
  /** The reading in context for a Chinese character; letters and digits as they are. */
  reading: string;
}

const OPTS = { toneType: 'none', v: true } as const;
const HAN = /\p{Script=Han}/u;

/**
 * One piece per Chinese character, and one per run of anything else (A区12号 → A, 区, 12, 号). The
 * library's array answer has the same pieces and is several times faster than its detailed one,
 * which is asked only if the two ever disagree.
 */
function piecesOf(name: string): Piece[] {
  const runs: { origin: string; zh: boolean }[] = [];
  for (const ch of name) {
    const zh = HAN.test(ch);
    const last = runs.at(-1);
    if (!zh && last && !last.zh) last.origin += ch;
    else runs.push({ origin: ch, zh });
  }
  const readings = pinyin(name, { ...OPTS, type: 'array', nonZh: 'consecutive' });
  if (readings.length === runs.length)
    return runs.map((r, i) => ({ ...r, reading: r.zh ? readings[i]! : spellingKey(r.origin) }));
  return pinyin(name, { ...OPTS, type: 'all', nonZh: 'consecutive' }).map((p) => ({
    origin: p.origin,
    zh: p.isZh,
    reading: p.isZh ? p.pinyin : spellingKey(p.origin),
  }));
}

/** Every reading of one character (a few thousand characters in all: kept once read). */
const readingCache = new Map<string, readonly string[]>();
function readingsOf(ch: string): readonly string[] {
  let r = readingCache.get(ch);
  if (!r) readingCache.set(ch, (r = pinyin(ch, { ...OPTS, type: 'array', multiple: true })));
  return r;
}

const unique = (xs: string[]) => [...new Set(xs.filter(Boolean))];
