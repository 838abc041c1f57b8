// The notification centre's pure parts: unread count, where a notification leads, the newest id shown
// (what "mark all read" marks up to) and times relative to now. No React here, so unit tests run in Node.
import type { Notification } from '../../api/notifications.js';

export function unreadCount(items: readonly Pick<Notification, 'read'>[]): number {
  return items.reduce((n, x) => (x.read ? n : n + 1), 0);
}

/** The newest id in the list, or undefined for none: marking read stops there. */
export function newestId(items: readonly Pick<Notification, 'id'>[]): number | undefined {
  return items.length === 0 ? undefined : Math.max(...items.map((n) => n.id));
}

/** The page a notification leads to: its event or directive, a checkpoint's roster, one's shift, or nowhere. */
export function notificationHref(n: Pick<Notification, 'entityType' | 'entityId'>): string | null {
  if (n.entityId === null) return null;
  if (n.entityType === 'event') return `/events/${n.entityId}`;
  if (n.entityType === 'directive') return `/directives/${n.entityId}`;
  // A swap request to decide; a swap decided, or a reminder before a shift.
  if (n.entityType === 'checkpoint') return `/checkpoints/roster?checkpoint=${n.entityId}`;
  if (n.entityType === 'shift_swap' || n.entityType === 'shift') return '/shift';
  // A crisis alert: the tasks page lists it first, with the answers for counsellors only.
  if (n.entityType === 'care_alert') return '/tasks';
  return null;
}

/** The workflow action of an `event.<action>` notification, or null for another kind. */
export function eventActionOf(kind: string): string | null {
  return kind.startsWith('event.') && kind.length > 6 ? kind.slice(6) : null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "3 分钟前" / "3 minutes ago" for up to a week back; null for older (or unreadable) times, which
 * the caller shows in full with formatTime. A time slightly in the future (clock skew) is "now".
 */
export function relativeTime(iso: string, now: number, lang: string): string | null {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  const ago = Math.max(0, now - at);
  const locale = lang === 'en' ? 'en' : 'zh-CN';
  // "now" for under a minute; "1 day ago" rather than "yesterday", which 25 hours may not be.
  if (ago < MINUTE) return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(0, 'second');
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
  if (ago < HOUR) return rtf.format(-Math.floor(ago / MINUTE), 'minute');
  if (ago < DAY) return rtf.format(-Math.floor(ago / HOUR), 'hour');
  if (ago < 7 * DAY) return rtf.format(-Math.floor(ago / DAY), 'day');
  return null;
}
