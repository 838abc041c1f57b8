// The passages search's time ranges (Asia/Shanghai) and the chart's series.
import { describe, expect, it } from 'vitest';
import { bucketLabel, chartSeries, rangeOf, routeText, shanghaiDayStart, shareText } from './stats.js';

// 2026-12-06 01:30 in Shanghai is 2026-12-05 17:30 UTC: the day there began at 16:00 UTC.
const now = new Date('2026-12-05T17:30:00Z');

describe('ranges', () => {
  it('starts "today" at midnight in Shanghai, whatever the browser’s zone', () => {
    expect(shanghaiDayStart(now).toISOString()).toBe('2026-12-05T16:00:00.000Z');
    expect(rangeOf('today', now)).toEqual({
      from: '2026-12-05T16:00:00.000Z',
      to: '2026-12-05T17:30:00.000Z',
      bucket: 'hour',
    });
  });

  it('counts the last 24 hours by the hour and the last 7 and 28 days by whole days', () => {
    expect(rangeOf('last24h', now).from).toBe('2026-12-04T17:30:00.000Z');
    expect(rangeOf('last7d', now)).toMatchObject({ from: '2026-11-29T16:00:00.000Z', bucket: 'day' });
    expect(rangeOf('last28d', now)).toMatchObject({ from: '2026-11-08T16:00:00.000Z', bucket: 'day' });
  });
});

describe('chart', () => {
  it('labels buckets in Shanghai time', () => {
    expect(bucketLabel('2026-12-05T16:00:00Z', 'hour')).toBe('00:00');
    expect(bucketLabel('2026-12-05T16:00:00Z', 'hour', true)).toBe('12-06 00:00');
    expect(bucketLabel('2026-12-05T16:00:00Z', 'day')).toBe('12-06');
  });

  it('orders the buckets, names the day where it changes, and gives each bucket’s risky share', () => {
    const s = chartSeries(
      {
        buckets: [
          { at: '2026-12-05T16:00:00Z', in: 3, out: 1, risky: 1 },
          { at: '2026-12-05T14:00:00Z', in: 0, out: 0, risky: 0 },
          { at: '2026-12-05T15:00:00Z', in: 5, out: 3, risky: 0 },
        ],
        total: 12,
        risky: 1,
      },
      'hour',
    );
    expect(s).toEqual({
      labels: ['12-05 22:00', '23:00', '12-06 00:00'],
      in: [0, 5, 3],
      out: [0, 3, 1],
      risky: [0, 0, 1],
      share: [null, 0, 25],
    });
    expect(chartSeries(undefined, 'day').labels).toEqual([]);
  });

  it('writes a share as a percentage with one decimal', () => {
    expect(shareText(1, 8)).toBe('12.5%');
    expect(shareText(0, 0)).toBe('—');
    expect(shareText(1, 3)).toBe('33.3%');
  });
});

describe('routeText', () => {
  it('names the origin and the destination, node or region', () => {
    const wuhan = { code: '420100', name: '武汉市', parents: ['湖北省'], scope: 'outside' as const };
    expect(
      routeText({ originRegion: wuhan, destinationNode: { id: 1, name: '一网格' }, destinationRegion: null }),
    ).toBe('武汉市 → 一网格');
    expect(routeText({ originRegion: null, destinationNode: null, destinationRegion: wuhan })).toBe(
      '— → 武汉市',
    );
  });
});
