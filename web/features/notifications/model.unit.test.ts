// The notification centre's pure parts: the badge count, the link, what "mark all read" stops at,
// and relative times in both languages.
import { describe, expect, it } from 'vitest';
import { eventActionOf, newestId, notificationHref, relativeTime, unreadCount } from './model.js';

const NOW = Date.parse('2026-10-20T08:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('notification model', () => {
  it('counts the unread ones for the badge', () => {
    expect(unreadCount([])).toBe(0);
    expect(unreadCount([{ read: false }, { read: true }, { read: false }])).toBe(2);
  });

  it('marks read up to the newest id shown, whatever the order', () => {
    expect(newestId([])).toBeUndefined();
    expect(newestId([{ id: 7 }, { id: 12 }, { id: 3 }])).toBe(12);
  });

  it('leads to the event a notification is about, and nowhere otherwise', () => {
    expect(notificationHref({ entityType: 'event', entityId: 42 })).toBe('/events/42');
    expect(notificationHref({ entityType: 'event', entityId: null })).toBeNull();
    expect(notificationHref({ entityType: 'directive', entityId: 7 })).toBe('/directives/7');
    expect(notificationHref({ entityType: null, entityId: null })).toBeNull();
    expect(notificationHref({ entityType: 'person', entityId: 1 })).toBeNull();
    expect(notificationHref({ entityType: 'checkpoint', entityId: 5 })).toBe(
      '/checkpoints/roster?checkpoint=5',
    );
    expect(notificationHref({ entityType: 'shift', entityId: 9 })).toBe('/shift');
    expect(notificationHref({ entityType: 'shift_swap', entityId: 3 })).toBe('/shift');
  });

  it('reads the workflow action from the kind', () => {
    expect(eventActionOf('event.dispatch')).toBe('dispatch');
    expect(eventActionOf('event.')).toBeNull();
    expect(eventActionOf('matrix')).toBeNull();
  });

  it('says how long ago within a week, in Chinese and English; older or unreadable is left to formatTime', () => {
    expect(relativeTime(ago(10_000), NOW, 'zh-CN')).toBe('现在');
    expect(relativeTime(ago(10_000), NOW, 'en')).toBe('now');
    expect(relativeTime(ago(-5_000), NOW, 'en')).toBe('now');
    expect(relativeTime(ago(3 * 60_000 + 5_000), NOW, 'zh-CN')).toBe('3分钟前');
    expect(relativeTime(ago(3 * 60_000 + 5_000), NOW, 'en')).toBe('3 minutes ago');
    expect(relativeTime(ago(2 * 3_600_000), NOW, 'zh-CN')).toBe('2小时前');
    expect(relativeTime(ago(25 * 3_600_000), NOW, 'en')).toBe('1 day ago');
    expect(relativeTime(ago(6 * 86_400_000), NOW, 'zh-CN')).toBe('6天前');
    expect(relativeTime(ago(7 * 86_400_000), NOW, 'zh-CN')).toBeNull();
    expect(relativeTime('not a time', NOW, 'en')).toBeNull();
  });
});
