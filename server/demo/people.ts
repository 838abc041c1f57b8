// The demo district's residents, planned household by household: pure and deterministic (seeded),
// generated lazily so that 700,000 people never sit in memory at once. Encryption and inserting
// are in people-seed.ts.
import { idCheckChar } from '../../common/validators.js';
import { apportion, type DemoScale } from './layout.js';
import { prng, type Rng } from './names.js';
import {
  COMPOUND_SUFFIXES,
  EMPLOYERS,
  GIVEN_CHARS,
  LOCAL_REGION,
  LOCAL_SURNAMES,
  MARRIED_IN_REGIONS,
  MOBILE_PREFIXES,
  NATIONAL_SURNAMES,
  ORIGIN_REGIONS,
  RETURN_FROM,
  type Cohort,
  type OriginRegion,
} from './people-data.js';

/** Residents per scale: the seed's 700,000 of whom 160,000 floating; returnees come on top of the registered ones (about 1.2%). */
export const PEOPLE_TARGETS: Record<DemoScale, { total: number; floating: number }> = {
  small: { total: 20_000, floating: 4_600 },
  district: { total: 700_000, floating: 160_000 },
};

/** Ages, birth and arrival dates are counted back from this day, not from the clock: every run seeds the same people. */
export const DEMO_REFERENCE_DATE = '2026-07-01';
const DAY_MS = 86_400_000;
const REF_DAY = Date.parse(`${DEMO_REFERENCE_DATE}T00:00:00Z`) / DAY_MS;
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export type Gender = 'male' | 'female';
export type Relation = '户主' | '配偶' | '子女' | '父母' | '孙子女' | '儿媳' | '女婿' | '兄弟姐妹';

/** A grid the generator fills: where it is and what kind of place (a street community or a hill village). */
export interface DemoGrid {
  id: number;
  path: string;
  fullCode: string;
  town: string;
  village: string;
  /** A 社区 (compounds of flats) rather than a 村 (houses in village groups). */
  community: boolean;
}

export interface DemoPerson {
  name: string;
  gender: Gender;
  birthDate: string;
  /** Whole years on DEMO_REFERENCE_DATE. */
  age: number;
  idNumber: string | null;
  noIdReason: 'child' | null;
  phone: string | null;
  ethnicity: string;
  relation: Relation;
  residenceType: 'registered' | 'floating' | 'returnee';
  arrivalDate: string | null;
  originRegion: string | null;
  tags: string[];
}

export interface DemoHousehold {
  grid: DemoGrid;
  address: string;
  /** The head first. */
  members: DemoPerson[];
}

/** Picks from [item, weight] pairs by binary search over the cumulative weights. */
export function weighted<T>(entries: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const items = entries.map((e) => e[0]);
  const cum: number[] = [];
  let sum = 0;
  for (const [, w] of entries) cum.push((sum += w));
  return (rng) => {
    const x = rng() * sum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

const pickOf = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const between = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
/** Triangular, densest at `lo`: more 70-year-olds than 90-year-olds. */
const skewedLow = (rng: Rng, lo: number, hi: number) =>
  lo + Math.floor((hi - lo + 1) * (1 - Math.sqrt(rng())));

/**
 * GB 11643 numbers, each issued once: the sequence number of a (region, birth date, sex) is drawn
 * without repetition, its last digit odd for men and even for women, the check character computed.
 */
export class IdNumbers {
  private readonly regions = new Map<string, number>();
  private readonly issued = new Map<number, number>();

  next(region: string, birthDate: string, gender: Gender): string {
    let r = this.regions.get(region);
    if (r === undefined) this.regions.set(region, (r = this.regions.size));
    const ymd = birthDate.slice(0, 4) + birthDate.slice(5, 7) + birthDate.slice(8, 10);
    const key = (r * 100_000_000 + Number(ymd)) * 2 + (gender === 'male' ? 1 : 0);
    const n = this.issued.get(key) ?? 0;
    // 499 is prime: stepping by 211 visits every sequence 1..499 once, from a start that differs by key.
    if (n >= 499) throw new Error(`no sequence numbers left for ${region} ${birthDate} ${gender}`);
    this.issued.set(key, n + 1);
    const start = (Math.imul(key | 0, 0x9e3779b1) ^ Math.floor(key / 4_294_967_296)) >>> 0;
    const seq = (((start % 499) + n * 211) % 499) + 1;
    const first17 = `${region}${ymd}${String(seq * 2 - (gender === 'male' ? 1 : 0)).padStart(3, '0')}`;
    return first17 + idCheckChar(first17);
  }
}

/** A mainland mobile number as stored: +86 and 11 digits. */
export const mobile = (rng: Rng) =>
  `+86${pickOf(rng, MOBILE_PREFIXES)}${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`;

const localSurname = weighted(LOCAL_SURNAMES);
const nationalSurname = weighted(NATIONAL_SURNAMES);
const originRegion = weighted(ORIGIN_REGIONS.map((r) => [r, r.weight] as const));

function cohortOf(year: number): Cohort {
  if (year < 1960) return 'old';
  if (year < 1990) return 'mid';
  return year < 2010 ? 'young' : 'child';
}

/** A given name in the fashion of the person's birth year: one character now and then, two usually. */
export function givenName(rng: Rng, year: number, gender: Gender): string {
  const cohort = cohortOf(year);
  const [firsts, seconds] = GIVEN_CHARS[cohort][gender];
  if (rng() < (cohort === 'mid' || cohort === 'young' ? 0.12 : 0.06))
    return seconds[Math.floor(rng() * seconds.length)]!;
  const a = firsts[Math.floor(rng() * firsts.length)]!;
  let b = seconds[Math.floor(rng() * seconds.length)]!;
  if (b === a) b = seconds[(seconds.indexOf(b) + 1) % seconds.length]!;
  if (gender === 'female' && rng() < 0.03) return b + b; // 婷婷, 丹丹
  return a + b;
}

// Who lives in a registered household: [kind, share in street communities, in market-town villages,
// in the remote mountain villages (mostly people over 50: the young left for the towns)].
const LOCAL_KINDS = [
  ['old_alone', 0.045, 0.07, 0.1], // 70 and over, alone: the elderly living alone
  ['alone_60', 0.025, 0.03, 0.04],
  ['young_alone', 0.08, 0.04, 0.03],
  ['old_couple', 0.12, 0.17, 0.23],
  ['empty_nest', 0.11, 0.11, 0.12], // a middle-aged couple whose children left
  ['nuclear', 0.34, 0.22, 0.12],
  ['three_gen', 0.17, 0.24, 0.22],
  ['skip_gen', 0.01, 0.04, 0.05], // grandparents and grandchildren: the parents work elsewhere
  ['single_parent', 0.04, 0.03, 0.02],
  ['old_with_child', 0.06, 0.05, 0.07], // an old couple or widow(er) with an unmarried adult child
] as const;
type LocalKind = (typeof LOCAL_KINDS)[number][0];
type Place = 'community' | 'village' | 'remote';
const LOCAL_KIND: Record<Place, (rng: Rng) => LocalKind> = {
  community: weighted(LOCAL_KINDS.map(([k, c]) => [k, c] as const)),
  village: weighted(LOCAL_KINDS.map(([k, , v]) => [k, v] as const)),
  remote: weighted(LOCAL_KINDS.map(([k, , , r]) => [k, r] as const)),
};
const floatingKind = weighted([
  ['single', 0.3],
  ['couple', 0.22],
  ['family', 0.4],
  ['siblings', 0.08],
] as const);

// How many floating residents a town draws, relative to a remote town: the science city by Qingshan
// Lake and the streets round the seat most, the market towns on the road west some.
const FLOATING_PULL: Record<string, number> = {
  青山湖街道: 3.5,
  锦城街道: 2.5,
  锦北街道: 2.0,
  锦南街道: 2.0,
  玲珑街道: 1.8,
  於潜镇: 1.0,
  板桥镇: 1.0,
  昌化镇: 0.9,
  高虹镇: 0.8,
  太湖源镇: 0.8,
};

/** Share of returnees among registered working-age adults living with their parents or alone. */
const RETURNEE_SHARE = 0.19;

interface Spec {
  relation: Relation;
  gender: Gender;
  age: number;
  surname: string;
  /** The region code in the ID number (the place of first registration). */
  region: string;
  residenceType: DemoPerson['residenceType'];
  ethnicity?: string;
  arrivalDay?: number;
  originRegion?: string | null;
  widowed?: boolean;
  childTag?: 'left_behind_child' | 'orphaned';
}

/** Addresses within one grid: flats in the community's compounds, or numbered houses in village groups. */
class GridAddresses {
  private next = 0;
  readonly houses: string[] = [];
  private readonly compounds: string[];
  private readonly groups: number[];
  private readonly houseNo: number[];

  constructor(
    private readonly grid: DemoGrid,
    rng: Rng,
  ) {
    const index = Number(grid.fullCode.slice(-3)) - 1;
    const core = grid.village.replace(/(社区|村)$/, '');
    const n = between(rng, 2, 3);
    this.compounds = Array.from(
      { length: n },
      (_, i) => core + COMPOUND_SUFFIXES[(index * 3 + i) % COMPOUND_SUFFIXES.length]!,
    );
    // Village groups (村民小组) 1, 2, 3 … shared out among the village's grids.
    const groups = between(rng, 2, 4);
    this.groups = Array.from({ length: groups }, (_, i) => index * 4 + i + 1);
    this.houseNo = this.groups.map(() => between(rng, 1, 5));
  }

  /** A new dwelling for a registered household. */
  home(rng: Rng): string {
    const g = this.grid;
    let address: string;
    if (g.community) {
      const k = this.next++;
      const slot = Math.floor(k / this.compounds.length);
      // 4 units a building, 6 floors, 2 flats a landing.
      const building = 1 + Math.floor(slot / 48);
      const unit = 1 + (Math.floor(slot / 12) % 4);
      const floor = 1 + (Math.floor(slot / 2) % 6);
      address = `${g.town}${g.village}${this.compounds[k % this.compounds.length]}${building}幢${unit}单元${floor}0${1 + (slot % 2)}室`;
    } else {
      const i = Math.floor(rng() * this.groups.length);
      this.houseNo[i]! += between(rng, 1, 3);
      address = `${g.town}${g.village}${this.groups[i]}组${this.houseNo[i]}号`;
    }
    this.houses.push(address);
    return address;
  }

  /** Where a floating household rents: a room in a village house, a flat, or a factory dormitory. */
  rented(rng: Rng): string {
    const g = this.grid;
    if (!g.community && this.houses.length > 0) return `${pickOf(rng, this.houses)}（租住）`;
    if (g.community && rng() < 0.3) {
      return `${g.town}${g.village}${pickOf(rng, EMPLOYERS)}员工宿舍${between(rng, 1, 6)}号楼${between(rng, 1, 5)}${String(between(rng, 1, 30)).padStart(2, '0')}室`;
    }
    return this.home(rng);
  }
}

class Residents {
  readonly rng: Rng;
  readonly ids: IdNumbers;

  constructor(seed: number, ids = new IdNumbers()) {
    this.rng = prng(seed);
    this.ids = ids;
  }

  private phoneFor(age: number, floating: boolean): string | null {
    const p =
      age < 12
        ? 0
        : age < 16
          ? 0.3
          : age < 60
            ? floating
              ? 0.98
              : 0.96
            : age < 70
              ? 0.85
              : age < 80
                ? 0.6
                : 0.3;
    return this.rng() < p ? mobile(this.rng) : null;
  }

  /** Turns a member's outline into a person: birth date, ID number, name, phone, tags. */
  person(s: Spec, householdSize: number): DemoPerson {
    const { rng } = this;
    const birthDay = REF_DAY - Math.floor(s.age * 365.25) - Math.floor(rng() * 365);
    const birthDate = isoDay(birthDay);
    // A few young children have no number yet (the household registration comes later).
    const noId = s.age < 3 ? rng() < 0.2 : s.age < 16 ? rng() < 0.02 : false;
    const floating = s.residenceType === 'floating';
    const tags: string[] = [];
    if (s.age >= 70 && householdSize === 1) tags.push('elderly_alone');
    if (s.widowed) tags.push('widowed');
    if (s.childTag) tags.push(s.childTag);
    const disabled = rng() < (s.age < 18 ? 0.005 : s.age < 60 ? 0.015 : s.age < 80 ? 0.035 : 0.07);
    if (disabled) tags.push('disabled');
    const careChance =
      s.childTag === 'orphaned'
        ? 1
        : tags.includes('elderly_alone')
          ? s.age >= 80
            ? 0.35
            : 0.1
          : disabled
            ? 0.25
            : s.childTag
              ? 0.2
              : 0.002;
    if (rng() < careChance) tags.push('key_care');
    if (s.age >= 18) {
      const p =
        0.064 *
        (s.gender === 'male' ? 1.45 : 0.55) *
        (s.age >= 60 ? 1.35 : s.age < 30 ? 0.6 : 1) *
        (floating ? 0.45 : 1);
      const party = rng() < p;
      if (party) tags.push('party_member');
      if (s.age <= 72 && rng() < (party ? 0.14 : 0.018)) tags.push('volunteer');
    }
    return {
      name: s.surname + givenName(rng, Number(birthDate.slice(0, 4)), s.gender),
      gender: s.gender,
      birthDate,
      age: s.age,
      idNumber: noId ? null : this.ids.next(s.region, birthDate, s.gender),
      noIdReason: noId ? 'child' : null,
      phone: this.phoneFor(s.age, floating),
      ethnicity: s.ethnicity ?? '汉族',
      relation: s.relation,
      residenceType: s.residenceType,
      arrivalDate: s.arrivalDay === undefined ? null : isoDay(Math.max(s.arrivalDay, birthDay)),
      originRegion: s.originRegion ?? null,
      tags,
    };
  }

  realize(specs: Spec[]): DemoPerson[] {
    return specs.map((s) => this.person(s, specs.length));
  }

  /** The age of a child of a mother of `motherAge`, or null when she would have been too young. */
  private childAge(motherAge: number, maxAge = 40): number | null {
    const age = Math.min(maxAge, motherAge - between(this.rng, 22, 36));
    return age >= 0 ? age : null;
  }

  /** A registered household of a kind; the head first. */
  local(kind: LocalKind): Spec[] {
    const { rng } = this;
    const family = localSurname(rng);
    const other = () => localSurname(rng);
    // Local people were mostly first registered here; a quarter of spouses married in from nearby counties.
    const marriedIn = () => (rng() < 0.25 ? pickOf(rng, MARRIED_IN_REGIONS)[0] : LOCAL_REGION.code);
    const ethnicity = () => (rng() < 0.002 ? '畲族' : '汉族');
    const base = (
      relation: Relation,
      gender: Gender,
      age: number,
      surname: string,
      region: string = LOCAL_REGION.code,
    ): Spec => ({
      relation,
      gender,
      age,
      surname,
      region,
      residenceType: 'registered',
      ethnicity: ethnicity(),
    });
    const wifeAge = (h: number) => Math.max(20, h - (rng() < 0.8 ? between(rng, 0, 5) : -between(rng, 1, 3)));
    const kids = (relation: Relation, motherAge: number, n: number, surname: string, maxAge?: number) => {
      const out: Spec[] = [];
      for (let i = 0; i < n; i++) {
        const age = this.childAge(motherAge, maxAge);
        if (age !== null)
          out.push(base(relation, rng() < 0.52 ? 'male' : 'female', age, rng() < 0.95 ? surname : other()));
      }
      return out;
    };
    /** A married couple: the husband heads it four times out of five. */
    const couple = (hAge: number, relationOfOther: Relation = '配偶'): [Spec, Spec] => {
      const husband = base('户主', 'male', hAge, family);
      const wife = base(relationOfOther, 'female', wifeAge(hAge), other(), marriedIn());
      if (rng() < 0.8) return [husband, wife];
      return [
        { ...wife, relation: '户主' },
        { ...husband, relation: '配偶' },
      ];
    };
    const nKids = (twoChance: number) => (rng() < twoChance ? 2 : 1);

    switch (kind) {
      case 'old_alone': {
        const g: Gender = rng() < 0.65 ? 'female' : 'male';
        return [
          {
            ...base('户主', g, skewedLow(rng, 70, 96), g === 'male' ? family : other()),
            widowed: rng() < 0.75,
          },
        ];
      }
      case 'alone_60':
        return [
          {
            ...base('户主', rng() < 0.55 ? 'female' : 'male', between(rng, 60, 69), family),
            widowed: rng() < 0.45,
          },
        ];
      case 'young_alone':
        return [
          this.maybeReturnee(base('户主', rng() < 0.6 ? 'male' : 'female', between(rng, 22, 59), family)),
        ];
      case 'old_couple':
        return couple(skewedLow(rng, 62, 92));
      case 'empty_nest':
        return couple(between(rng, 45, 61));
      case 'nuclear': {
        const [a, b] = couple(between(rng, 27, 55));
        const mother = a.gender === 'female' ? a : b;
        const father = a.gender === 'male' ? a : b;
        return [
          a,
          b,
          ...kids('子女', mother.age, nKids(0.4), father.surname).map((k) => this.maybeReturnee(k)),
        ];
      }
      case 'three_gen': {
        if (rng() < 0.5) {
          // The middle generation heads it; the head's parents live with them.
          const [a, b] = couple(between(rng, 30, 52));
          const man = a.gender === 'male' ? a : b;
          const woman = a.gender === 'female' ? a : b;
          const parentsOf = a; // the head's own parents
          const pAge = Math.min(95, parentsOf.age + between(rng, 24, 34));
          const both = rng() < 0.55;
          const parents: Spec[] = [];
          if (both || rng() < 0.4)
            parents.push({ ...base('父母', 'male', pAge, parentsOf.surname), widowed: !both && rng() < 0.8 });
          if (both || parents.length === 0)
            parents.push({
              ...base('父母', 'female', Math.max(45, pAge - between(rng, 0, 4)), other()),
              widowed: !both && rng() < 0.8,
            });
          return [a, b, ...kids('子女', woman.age, nKids(0.35), man.surname, 25), ...parents];
        }
        // The grandfather heads it: his son, daughter-in-law and grandchildren.
        const head = base('户主', 'male', between(rng, 58, 85), family);
        const spouse = rng() < 0.85 ? [base('配偶', 'female', wifeAge(head.age), other(), marriedIn())] : [];
        if (spouse.length === 0) head.widowed = rng() < 0.8;
        const son = this.maybeReturnee(
          base('子女', 'male', Math.max(25, head.age - between(rng, 24, 34)), family),
        );
        const dil = base('儿媳', 'female', wifeAge(son.age), other(), marriedIn());
        return [head, ...spouse, son, dil, ...kids('孙子女', dil.age, nKids(0.35), family, 20)];
      }
      case 'skip_gen': {
        const both = rng() < 0.6;
        const gAge = between(rng, 55, 80);
        const g: Gender = both || rng() < 0.35 ? 'male' : 'female';
        const head = {
          ...base('户主', g, gAge, g === 'male' ? family : other()),
          widowed: !both && rng() < 0.7,
        };
        const spouse = both ? [base('配偶', 'female', wifeAge(gAge), other(), marriedIn())] : [];
        // The parents are away working (left-behind children); now and then they are dead (orphans).
        const tag = rng() < 0.05 ? 'orphaned' : 'left_behind_child';
        const surname = g === 'male' && rng() < 0.7 ? family : other();
        const n = nKids(0.4);
        const grandkids: Spec[] = [];
        for (let i = 0; i < n; i++)
          grandkids.push({
            ...base(
              '孙子女',
              rng() < 0.52 ? 'male' : 'female',
              between(rng, 0, Math.min(15, gAge - 40)),
              surname,
            ),
            childTag: tag,
          });
        return [head, ...spouse, ...grandkids];
      }
      case 'single_parent': {
        const g: Gender = rng() < 0.7 ? 'female' : 'male';
        const head = {
          ...base('户主', g, between(rng, 28, 55), g === 'male' ? family : other()),
          widowed: rng() < 0.3,
        };
        return [
          head,
          ...kids(
            '子女',
            g === 'female' ? head.age : Math.max(20, head.age - 3),
            nKids(0.3),
            g === 'male' ? family : rng() < 0.7 ? family : head.surname,
          ),
        ];
      }
      case 'old_with_child': {
        const hAge = between(rng, 60, 88);
        const withSpouse = rng() < 0.55;
        const head = withSpouse
          ? base('户主', 'male', hAge, family)
          : { ...base('户主', rng() < 0.6 ? 'female' : 'male', hAge, family), widowed: rng() < 0.8 };
        const spouse = withSpouse ? [base('配偶', 'female', wifeAge(hAge), other(), marriedIn())] : [];
        const child = this.maybeReturnee(
          base(
            '子女',
            rng() < 0.6 ? 'male' : 'female',
            Math.max(22, Math.min(45, hAge - between(rng, 24, 36))),
            family,
          ),
        );
        return [head, ...spouse, child];
      }
    }
  }

  /** A working-age adult who came back from working elsewhere in the last year and a half. */
  private maybeReturnee(s: Spec): Spec {
    if (s.age < 20 || s.age > 45 || this.rng() >= RETURNEE_SHARE) return s;
    return {
      ...s,
      residenceType: 'returnee',
      arrivalDay: REF_DAY - between(this.rng, 7, 540),
      originRegion: pickOf(this.rng, RETURN_FROM),
    };
  }

  /** A floating household: a worker alone, a couple, a family, or siblings, from one home county. */
  floating(): Spec[] {
    const { rng } = this;
    const home: OriginRegion = originRegion(rng);
    const minority = () => {
      let x = rng();
      for (const [name, share] of home.minorities ?? []) if ((x -= share) < 0) return name;
      return '汉族';
    };
    const r = rng();
    // Recent arrivals dominate: a third this year, a third in the last three, the rest up to ten.
    const arrivalDay =
      REF_DAY -
      (r < 0.35 ? between(rng, 1, 365) : r < 0.67 ? between(rng, 366, 1095) : between(rng, 1096, 3650));
    const family = nationalSurname(rng);
    const spec = (
      relation: Relation,
      gender: Gender,
      age: number,
      surname: string,
      region = home.code,
    ): Spec => ({
      relation,
      gender,
      age,
      surname,
      region,
      residenceType: 'floating',
      ethnicity: minority(),
      arrivalDay,
      originRegion: home.name,
    });
    // Three spouses in twenty come from another county.
    const spouseHome = () => (rng() < 0.15 ? originRegion(rng) : home);
    const wife = (hAge: number) => {
      const h = spouseHome();
      return {
        ...spec('配偶', 'female', Math.max(19, hAge - between(rng, -2, 5)), nationalSurname(rng), h.code),
        originRegion: h.name,
      };
    };
    const kind = floatingKind(rng);
    switch (kind) {
      case 'single':
        return [spec('户主', rng() < 0.62 ? 'male' : 'female', skewedLow(rng, 18, 58), family)];
      case 'couple': {
        const h = spec('户主', 'male', between(rng, 20, 56), family);
        return [h, wife(h.age)];
      }
      case 'siblings': {
        const h = spec('户主', rng() < 0.6 ? 'male' : 'female', between(rng, 18, 36), family);
        return [
          h,
          spec(
            '兄弟姐妹',
            rng() < 0.5 ? 'male' : 'female',
            Math.max(16, h.age + between(rng, -4, 4)),
            family,
          ),
        ];
      }
      case 'family': {
        const single = rng() < 0.1;
        const h = spec('户主', single && rng() < 0.7 ? 'female' : 'male', between(rng, 25, 48), family);
        const members: Spec[] = [h];
        if (!single) members.push(wife(h.age));
        const mAge = single ? (h.gender === 'female' ? h.age : h.age - 2) : members[1]!.age;
        const n = rng() < 0.35 ? 2 : 1;
        for (let i = 0; i < n; i++) {
          const age = Math.min(15, Math.max(0, mAge - between(rng, 21, 34)));
          members.push(spec('子女', rng() < 0.53 ? 'male' : 'female', age, family));
        }
        // Now and then a grandparent came along to mind the children.
        if (rng() < 0.06)
          members.push(
            spec(
              '父母',
              rng() < 0.7 ? 'female' : 'male',
              Math.min(75, h.age + between(rng, 22, 30)),
              rng() < 0.5 ? family : nationalSurname(rng),
            ),
          );
        return members;
      }
    }
  }

  localKind(grid: DemoGrid): LocalKind {
    const place: Place = grid.community ? 'community' : floatingPull(grid.town) < 0.5 ? 'remote' : 'village';
    return LOCAL_KIND[place](this.rng);
  }
}

/** How strongly a town draws floating residents (1 = a market town, 0.4 = a remote one). */
export const floatingPull = (town: string) => FLOATING_PULL[town] ?? 0.4;

/**
 * Every household of the demo district, grid by grid: registered households until the grid's
 * share of registered residents is reached, then floating ones renting there.
 */
export function* demoHouseholds(grids: readonly DemoGrid[], scale: DemoScale): Generator<DemoHousehold> {
  const targets = PEOPLE_TARGETS[scale];
  const gen = new Residents(scale === 'small' ? 20_000 : 700_000);
  const { rng } = gen;
  const registeredQuota = apportion(
    targets.total - targets.floating,
    grids.map((g) => (g.community ? 1.25 : 1) * (0.75 + 0.5 * rng())),
    1,
  );
  const floatingQuota = apportion(
    targets.floating,
    grids.map((g) => floatingPull(g.town) * (g.community ? 2.5 : 1) * (0.5 + rng())),
    0,
  );
  // A household that overshoots a grid's quota is taken off the next grid's, so the totals hold.
  let overR = 0;
  let overF = 0;
  for (const [i, grid] of grids.entries()) {
    const addresses = new GridAddresses(grid, rng);
    let want = registeredQuota[i]! - overR;
    let got = 0;
    while (got < want) {
      const members = gen.realize(gen.local(gen.localKind(grid)));
      got += members.length;
      yield { grid, address: addresses.home(rng), members };
    }
    overR = got - want;
    want = floatingQuota[i]! - overF;
    got = 0;
    while (got < want) {
      const members = gen.realize(gen.floating());
      got += members.length;
      yield { grid, address: addresses.rented(rng), members };
    }
    overF = got - want;
  }
}
