// The passages search's pure parts: the time ranges offered (in Asia/Shanghai, where the district is)
// and the chart's series from `GET /api/passages/stats`. Unit-tested in stats.unit.test.ts.
import type { PassageStats, PassageView } from '../../api/passages.js';

export const RANGE_PRESETS = ['today', 'last24h', 'last7d', 'last28d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Asia/Shanghai keeps UTC+8 all year. */
const SHANGHAI = 8 * HOUR;

/** The start of `now`'s day in Asia/Shanghai, as an instant. */
export function shanghaiDayStart(now: Date): Date {
  const local = now.getTime() + SHANGHAI;
  return new Date(local - (local % DAY) - SHANGHAI);
}

/** A preset as the `from`/`to` instants the routes take, and the chart's bucket for it. */
export function rangeOf(
  preset: RangePreset,
  now: Date,
): { from: string; to: string; bucket: 'hour' | 'day' } {
  const to = now.toISOString();
  switch (preset) {
    case 'today':
      return { from: shanghaiDayStart(now).toISOString(), to, bucket: 'hour' };
    case 'last24h':
      return { from: new Date(now.getTime() - DAY).toISOString(), to, bucket: 'hour' };
    case 'last7d':
      return { from: new Date(shanghaiDayStart(now).getTime() - 6 * DAY).toISOString(), to, bucket: 'day' };
    case 'last28d':
      return { from: new Date(shanghaiDayStart(now).getTime() - 27 * DAY).toISOString(), to, bucket: 'day' };
  }
}

/** A bucket's label in Asia/Shanghai: "08:00" by the hour (with the day when it changes), "12-06" by the day. */
export function bucketLabel(at: string, bucket: 'hour' | 'day', withDay = false): string {
  const local = new Date(new Date(at).getTime() + SHANGHAI).toISOString();
  const day = local.slice(5, 10);
  if (bucket === 'day') return day;
  const hour = `${local.slice(11, 13)}:00`;
  return withDay ? `${day} ${hour}` : hour;
}

/** "12.5%"; a dash for nothing registered. */
export function shareText(risky: number, total: number): string {
  if (total <= 0) return '—';
  return `${Math.round((risky / total) * 1000) / 10}%`;
}

export interface ChartSeries {
  labels: string[];
  in: number[];
  out: number[];
  risky: number[];
  /** Risky share per bucket, in percent (null where nobody passed). */
  share: (number | null)[];
}

/** The chart's series, buckets in time order; an hour label carries its day at the first and at each new day. */
export function chartSeries(stats: PassageStats | undefined, bucket: 'hour' | 'day'): ChartSeries {
  const rows = [...(stats?.buckets ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  let lastDay = '';
  const labels = rows.map((r) => {
    const day = bucketLabel(r.at, 'day');
    const label = bucketLabel(r.at, bucket, bucket === 'hour' && day !== lastDay);
    lastDay = day;
    return label;
  });
  return {
    labels,
    in: rows.map((r) => r.in),
    out: rows.map((r) => r.out),
    risky: rows.map((r) => r.risky),
    share: rows.map((r) => (r.in + r.out > 0 ? Math.round((r.risky / (r.in + r.out)) * 1000) / 10 : null)),
  };
}

/** "武汉市 → 一网格": where a passage came from and went (a dash for what is not known). */
export function routeText(
  p: Pick<PassageView, 'originRegion' | 'destinationNode' | 'destinationRegion'>,
): string {
  const from = p.originRegion?.name ?? '—';
  const to = p.destinationNode?.name ?? p.destinationRegion?.name ?? '—';
  return `${from} → ${to}`;
}
