// The jurisdiction tree's levels and code rules.
export const LEVELS = ['district', 'town', 'village', 'grid', 'microgrid'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_LABELS: Record<Level, { zh: string; en: string }> = {
  district: { zh: '区县', en: 'District' },
  town: { zh: '镇街', en: 'Town/street' },
  village: { zh: '村社', en: 'Village/community' },
  grid: { zh: '网格', en: 'Grid' },
  microgrid: { zh: '微网格', en: 'Micro-grid' },
};

/** The level below; the district is the root, micro-grids are leaves. */
export function childLevel(level: Level): Level | null {
  const i = LEVELS.indexOf(level);
  return LEVELS[i + 1] ?? null;
}

/** District: the 6-digit region code. Every level below: 3 digits, so a grid's full code has 15. */
export function codePattern(level: Level): RegExp {
  return level === 'district' ? /^\d{6}$/ : /^\d{3}$/;
}

/** "/1/5/27/" → ["/1/", "/1/5/", "/1/5/27/"]: a node path and every ancestor's, root first. */
/** The node above a path (`/1/2/3/` → `/1/2/`), or null at the root. */
export function parentPath(path: string): string | null {
  const up = ancestorPaths(path);
  return up.length > 1 ? up[up.length - 2]! : null;
}

export function ancestorPaths(path: string): string[] {
  const ids = path.split('/').filter(Boolean);
  return ids.map((_, i) => `/${ids.slice(0, i + 1).join('/')}/`);
}
