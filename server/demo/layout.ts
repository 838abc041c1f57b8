// The synthetic district, planned in memory: the tree, names, codes and polygons that tile the
// district's real extent. Pure and deterministic (seeded), so runs are comparable and testable.
import { chineseNumber, personName, placeName, prng, type Rng } from './names.js';

export type DemoScale = 'small' | 'district';

/** An axis-aligned cell in degrees: west, south, east, north. Edges are already rounded to 6 decimals. */
export interface Rect {
  w: number;
  s: number;
  e: number;
  n: number;
}

export interface PlannedNode {
  level: 'district' | 'town' | 'village' | 'grid';
  code: string;
  fullCode: string;
  name: string;
  responsibleName: string | null;
  rect: Rect;
  children: PlannedNode[];
}

export const DISTRICT_CODE = '330112';
export const DISTRICT_NAME = '临安区';
/** Lin'an district's extent: about 100 km east to west. */
export const DISTRICT_BBOX: Rect = { w: 118.85, s: 29.93, e: 119.88, n: 30.43 };
/** The district seat, in 锦城街道. */
export const SEAT = { lng: 119.72, lat: 30.23 };

export const SCALES: Record<DemoScale, { villages: number; grids: number }> = {
  small: { villages: 60, grids: 200 },
  // 972 grids: the seed's count of grid party branches.
  district: { villages: 300, grids: 972 },
};

/** A village the seed names: where the demo's invited mediator keeps a micro-court point. */
export const NAMED_VILLAGE = { town: '太湖源镇', name: '太源村' } as const;
export const STREETS = ['锦城街道', '锦北街道', '锦南街道', '玲珑街道', '青山湖街道'] as const;
export const TOWNS = [
  '太湖源镇',
  '高虹镇',
  '於潜镇',
  '天目山镇',
  '太阳镇',
  '潜川镇',
  '昌化镇',
  '河桥镇',
  '湍口镇',
  '龙岗镇',
  '清凉峰镇',
  '岛石镇',
  '板桥镇',
] as const;
type TopName = (typeof STREETS)[number] | (typeof TOWNS)[number];

// Columns west → east, each cut north → south into towns, roughly where they lie on the map:
// the mountain towns by the Anhui border in the west, the streets round the seat in the east.
const COLUMNS: { e: number; towns: [TopName, number][] }[] = [
  {
    e: 119.05,
    towns: [
      ['清凉峰镇', 30.13],
      ['岛石镇', DISTRICT_BBOX.s],
    ],
  },
  {
    e: 119.2,
    towns: [
      ['龙岗镇', 30.12],
      ['湍口镇', DISTRICT_BBOX.s],
    ],
  },
  {
    e: 119.38,
    towns: [
      ['昌化镇', 30.07],
      ['河桥镇', DISTRICT_BBOX.s],
    ],
  },
  {
    e: 119.55,
    towns: [
      ['天目山镇', 30.28],
      ['於潜镇', 30.12],
      ['潜川镇', DISTRICT_BBOX.s],
    ],
  },
  {
    e: 119.68,
    towns: [
      ['太湖源镇', 30.3],
      ['玲珑街道', 30.16],
      ['太阳镇', DISTRICT_BBOX.s],
    ],
  },
  {
    e: 119.77,
    towns: [
      ['高虹镇', 30.33],
      ['锦北街道', 30.255],
      ['锦城街道', 30.2],
      ['锦南街道', DISTRICT_BBOX.s],
    ],
  },
  {
    e: DISTRICT_BBOX.e,
    towns: [
      ['青山湖街道', 30.17],
      ['板桥镇', DISTRICT_BBOX.s],
    ],
  },
];

export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const code3 = (i: number) => String(i).padStart(3, '0');

/** The cell of each top-level unit, by name. */
function townRects(): Map<TopName, Rect> {
  const out = new Map<TopName, Rect>();
  let w = DISTRICT_BBOX.w;
  for (const col of COLUMNS) {
    let n = DISTRICT_BBOX.n;
    for (const [name, s] of col.towns) {
      out.set(name, { w, s, e: col.e, n });
      n = s;
    }
    w = col.e;
  }
  return out;
}

/** Splits `total` into integer shares proportional to `weights`, each at least `min` (largest remainder). */
export function apportion(total: number, weights: readonly number[], min: number): number[] {
  const free = total - min * weights.length;
  if (free < 0) throw new Error(`cannot give ${weights.length} parts at least ${min} each out of ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (free * w) / sum);
  const out = exact.map((x) => min + Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]! += 1;
  }
  return out;
}

/** Cuts [lo, hi] into parts proportional to weights; the cut points are rounded, so neighbours share them exactly. */
function cuts(lo: number, hi: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = [lo];
  let acc = 0;
  for (let i = 0; i < weights.length - 1; i++) {
    acc += weights[i]!;
    out.push(round6(lo + ((hi - lo) * acc) / sum));
  }
  out.push(hi);
  return out;
}

/**
 * Tiles a rectangle with `k` cells: a few rows (chosen so cells come out roughly square on the
 * ground), each row cut into cells of jittered widths. Cells are listed north-west first.
 */
export function tile(rect: Rect, k: number, rng: Rng): Rect[] {
  // A degree of longitude is cos(latitude) as long on the ground as a degree of latitude.
  const width = (rect.e - rect.w) * Math.cos((((rect.s + rect.n) / 2) * Math.PI) / 180);
  const height = rect.n - rect.s;
  const rows = Math.min(k, Math.max(1, Math.round(Math.sqrt((k * height) / width))));
  const perRow = apportion(
    k,
    Array.from({ length: rows }, () => 1 + rng() * 1e-3),
    1,
  );
  const rowEdges = cuts(
    rect.s,
    rect.n,
    perRow.map((c) => c * (0.8 + 0.4 * rng())),
  ).reverse(); // north → south
  const out: Rect[] = [];
  for (let r = 0; r < rows; r++) {
    const n = rowEdges[r]!;
    const s = rowEdges[r + 1]!;
    const colEdges = cuts(
      rect.w,
      rect.e,
      Array.from({ length: perRow[r]! }, () => 0.65 + 0.7 * rng()),
    );
    for (let c = 0; c < perRow[r]!; c++) out.push({ w: colEdges[c]!, s, e: colEdges[c + 1]!, n });
  }
  return out;
}

export const rectArea = (r: Rect) => (r.e - r.w) * (r.n - r.s);

/** A closed GeoJSON ring, counter-clockwise as RFC 7946 asks for exterior rings. */
export function rectPolygon(r: Rect): { type: 'Polygon'; coordinates: [number, number][][] } {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [r.w, r.s],
        [r.e, r.s],
        [r.e, r.n],
        [r.w, r.n],
        [r.w, r.s],
      ],
    ],
  };
}

export const rectCentroid = (r: Rect) => ({ lat: round6((r.s + r.n) / 2), lng: round6((r.w + r.e) / 2) });

export function planDistrict(scale: DemoScale): PlannedNode {
  const rng = prng(scale === 'small' ? 330_112 : 972);
  const { villages: villageTotal, grids: gridTotal } = SCALES[scale];
  const rects = townRects();
  const tops: { name: TopName; street: boolean }[] = [
    ...STREETS.map((name) => ({ name, street: true })),
    ...TOWNS.map((name) => ({ name, street: false })),
  ];
  const meanArea = rectArea(DISTRICT_BBOX) / tops.length;
  // Villages per town: half even, half by area; streets are denser.
  const villageCounts = apportion(
    villageTotal,
    tops.map(
      (t) =>
        (0.5 + (0.5 * rectArea(rects.get(t.name)!)) / meanArea) * (t.street ? 1.3 : 1) * (0.85 + 0.3 * rng()),
    ),
    2,
  );

  const usedNames = new Set<string>();
  const towns: PlannedNode[] = [];
  const villages: { node: PlannedNode; urban: boolean }[] = [];
  tops.forEach((t, i) => {
    const rect = rects.get(t.name)!;
    const fullCode = DISTRICT_CODE + code3(i + 1);
    const count = villageCounts[i]!;
    const cells = tile(rect, count, rng);
    const children = cells.map((cell, v): PlannedNode => {
      // Streets are mostly communities; a town has one community at its seat, the rest villages.
      const community = t.street ? rng() < 0.8 : v === 0;
      const node: PlannedNode = {
        level: 'village',
        code: code3(v + 1),
        fullCode: fullCode + code3(v + 1),
        name: placeName(rng, usedNames, community),
        responsibleName: personName(rng),
        rect: cell,
        children: [],
      };
      // The seed's micro court stood in 太湖源镇's 太源村: the town's first village carries its name.
      if (t.name === NAMED_VILLAGE.town && v === 1 && !usedNames.has(NAMED_VILLAGE.name)) {
        node.name = NAMED_VILLAGE.name;
        usedNames.add(NAMED_VILLAGE.name);
      }
      villages.push({ node, urban: community });
      return node;
    });
    towns.push({
      level: 'town',
      code: code3(i + 1),
      fullCode,
      name: t.name,
      responsibleName: personName(rng),
      rect,
      children,
    });
  });

  // Grids per village: a few hundred households each, so dense communities get more of them.
  const gridCounts = apportion(
    gridTotal,
    villages.map((v) => (v.urban ? 1.4 : 1) * (0.6 + 0.8 * rng())),
    1,
  );
  villages.forEach(({ node }, i) => {
    const cells = tile(node.rect, gridCounts[i]!, rng);
    node.children = cells.map((cell, g) => ({
      level: 'grid',
      code: code3(g + 1),
      fullCode: node.fullCode + code3(g + 1),
      name: `${node.name}第${chineseNumber(g + 1)}网格`,
      responsibleName: personName(rng),
      rect: cell,
      children: [],
    }));
  });

  return {
    level: 'district',
    code: DISTRICT_CODE,
    fullCode: DISTRICT_CODE,
    name: DISTRICT_NAME,
    responsibleName: null,
    rect: DISTRICT_BBOX,
    children: towns,
  };
}

/** Every node of the plan, parents before children. */
export function* walk(node: PlannedNode): Generator<PlannedNode> {
  yield node;
  for (const c of node.children) yield* walk(c);
}
