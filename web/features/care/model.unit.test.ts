// Psychological care's pure parts: the countdown to acknowledge, the answers from a kept draft, when a
// scale may be submitted, the items that raised a flag.
import { describe, expect, it } from 'vitest';
import { GAD7, PHQ9 } from '../../../common/care-scales.js';
import { answersFrom, clock, complete, countdown, crisisItemKeys, progress } from './model.js';

describe('the countdown', () => {
  it('reads m:ss, h:mm:ss from an hour, whole seconds rounded up', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(1)).toBe('0:01');
    expect(clock(29 * 60_000 + 59_500)).toBe('30:00');
    expect(clock(61_000)).toBe('1:01');
    expect(clock(3_600_000 + 65_000)).toBe('1:01:05');
  });
  it('counts down to the deadline, then how late it is', () => {
    const now = Date.parse('2026-12-07T08:00:00Z');
    expect(countdown('2026-12-07T08:30:00Z', now)).toEqual({ late: false, text: '30:00' });
    expect(countdown('2026-12-07T07:55:00Z', now)).toEqual({ late: true, text: '5:00' });
    expect(countdown('not a time', now)).toEqual({ late: false, text: '' });
  });
});

describe('the answers', () => {
  it('takes a kept draft as it is, one answer per item, none without one', () => {
    expect(answersFrom(PHQ9.definition, null)).toEqual(Array(10).fill(null));
    expect(answersFrom(GAD7.definition, [1, null, 3])).toEqual([1, null, 3, null, null, null, null]);
    // A draft of another length (the scale changed since) is made even.
    expect(answersFrom(GAD7.definition, [0, 0, 0, 0, 0, 0, 0, 2, 2])).toHaveLength(7);
  });
  it('may be submitted once every scored item is answered (PHQ-9’s last item is optional)', () => {
    const nine = [0, 1, 2, 3, 0, 1, 2, 3, 0];
    expect(complete(PHQ9.definition, [...nine, null])).toBe(true);
    expect(complete(PHQ9.definition, [...nine.slice(0, 8), null, 2])).toBe(false);
    expect(progress(PHQ9.definition, [...nine.slice(0, 8), null, 2])).toEqual({ done: 8, of: 9 });
    expect(complete(GAD7.definition, answersFrom(GAD7.definition, null))).toBe(false);
  });
  it('names the items whose answers raised the flag', () => {
    expect([
      ...crisisItemKeys([
        { kind: 'item', key: '9' },
        { kind: 'band', key: undefined },
      ]),
    ]).toEqual(['9']);
  });
});
