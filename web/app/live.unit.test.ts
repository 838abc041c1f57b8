// Which queries a live update refreshes, and how a burst of updates is coalesced.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalescer, staleKeysOf } from './live.js';

describe('staleKeysOf', () => {
  it('maps a kind to its area’s query keys, the cockpit included', () => {
    expect(staleKeysOf('directive.signed')).toEqual([
      ['directives'],
      ['directive-tasks'],
      ['directive-board'],
      ['cockpit'],
      ['notifications'],
    ]);
    expect(staleKeysOf('command.closed')).toEqual([['commands'], ['cockpit']]);
    expect(staleKeysOf('event.escalated')).toEqual([['events'], ['notifications'], ['cockpit']]);
    expect(staleKeysOf('report.submitted')).toEqual([['reports'], ['cockpit']]);
    expect(staleKeysOf('notice.delivered')).toEqual([['notices'], ['cockpit']]);
  });
  it('a reset refreshes everything; an unknown area nothing', () => {
    expect(staleKeysOf('reset')).toBe('all');
    expect(staleKeysOf('weather.changed')).toEqual([]);
    expect(staleKeysOf('')).toEqual([]);
  });
});

describe('createCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  it('fires at once, then once more at the end of a window in which it was asked again', () => {
    const fired: string[] = [];
    const c = createCoalescer((k) => fired.push(JSON.stringify(k)), 300);
    c.ask(['directives']);
    expect(fired).toEqual(['["directives"]']);
    for (let i = 0; i < 20; i++) c.ask(['directives']);
    c.ask(['cockpit']);
    expect(fired).toEqual(['["directives"]', '["cockpit"]']);
    vi.advanceTimersByTime(300);
    expect(fired).toEqual(['["directives"]', '["cockpit"]', '["directives"]']);
    // The trailing call opened a window of its own: quiet now, so nothing more.
    vi.advanceTimersByTime(1000);
    expect(fired).toHaveLength(3);
    c.ask(['directives']);
    expect(fired).toHaveLength(4);
    c.ask('all');
    c.ask('all');
    vi.advanceTimersByTime(300);
    expect(fired.filter((f) => f === '"all"')).toHaveLength(2);
    c.stop();
  });
  it('stop drops what is pending', () => {
    const fired: unknown[] = [];
    const c = createCoalescer((k) => fired.push(k), 300);
    c.ask(['reports']);
    c.ask(['reports']);
    c.stop();
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual([['reports']]);
  });
});
