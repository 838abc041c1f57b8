// Which queries a live update refreshes, and how a burst of updates is coalesced.
import { partialMatchKey, type QueryKey } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { careKeys } from '../api/care.js';
import { commandKeys } from '../api/command.js';
import { eventKeys } from '../api/events.js';
import { noticeKeys } from '../api/notices.js';
import { notificationKeys } from '../api/notifications.js';
import { mediationKeys } from '../api/mediation.js';
import { householdKeys, peopleKeys } from '../api/people.js';
import { reportKeys } from '../api/reports.js';
import { servicesKeys } from '../api/services.js';
import { createCoalescer, staleKeysOf } from './live.js';

/** Whether an update of `kind` invalidates the query keyed `key`, as invalidateQueries matches. */
const refreshes = (kind: string, key: QueryKey) => {
  const stale = staleKeysOf(kind);
  return stale === 'all' || stale.some((prefix) => partialMatchKey(key, prefix));
};

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
    expect(staleKeysOf('mediation.case_changed')).toEqual([['mediation'], ['cockpit']]);
  });
  it('refreshes every mediation page on the module’s updates: a case, its agreement, the agendas, confirmations and hearings', () => {
    const reads = [
      mediationKeys.case(7),
      mediationKeys.cases({ page: 1, pageSize: 20 }),
      mediationKeys.agenda,
      mediationKeys.followUps,
      mediationKeys.confirmations(undefined),
      mediationKeys.hearings('2026-12-07'),
      mediationKeys.messages(7),
    ];
    for (const kind of [
      'mediation.case_created',
      'mediation.case_changed',
      'mediation.agreement_signed',
      'mediation.confirmation_decided',
      'mediation.hearing_booked',
    ])
      for (const key of reads) expect(refreshes(kind, key), `${kind} ${JSON.stringify(key)}`).toBe(true);
    expect(refreshes('mediation.case_changed', eventKeys.all)).toBe(false);
  });
  it('refreshes every joint services page on the module’s updates (kinds named by the audit actions)', () => {
    const reads = [
      servicesKeys.callouts({ near: true }),
      servicesKeys.callout(7),
      servicesKeys.requests({ mine: true, page: 1, pageSize: 50 }),
      servicesKeys.request(7),
      servicesKeys.suggestions(7),
      servicesKeys.me,
      servicesKeys.volunteers({ page: 1, pageSize: 10 }),
      servicesKeys.orgs(undefined),
      servicesKeys.roster({ overdue: true, page: 1, pageSize: 20 }),
      servicesKeys.overdue(3),
      servicesKeys.careRules,
      servicesKeys.rankings({ period: '2026', by: 'volunteer' }),
    ];
    for (const kind of [
      'callout.posted',
      'callout.check_out',
      'service_request.assigned',
      'service_request.complete',
      'care.visit',
      'volunteer.create',
      'volunteer_org.create',
    ])
      for (const key of reads) expect(refreshes(kind, key), `${kind} ${JSON.stringify(key)}`).toBe(true);
    // A call-out or a task for someone rings the bell; the cockpit counts them and the overdue visits.
    for (const kind of ['callout.posted', 'service_request.assigned'])
      expect(refreshes(kind, notificationKeys.all), kind).toBe(true);
    for (const kind of ['callout.posted', 'service_request.escalated', 'care.visit'])
      expect(refreshes(kind, commandKeys.allCockpit), kind).toBe(true);
    expect(refreshes('volunteer.create', eventKeys.all)).toBe(false);
  });
  it('refreshes psychological care’s pages on its updates, the bell and the cockpit on its alerts', () => {
    const reads = [
      careKeys.alerts,
      careKeys.cases({ due: true, page: 1, pageSize: 50 }),
      careKeys.cases({ status: 'open', page: 2, pageSize: 20 }),
      careKeys.case(7),
      careKeys.people(''),
      careKeys.links(7),
      careKeys.stats(3),
      commandKeys.cockpit(3),
    ];
    for (const kind of [
      'care.alert.raised',
      'care.alert.acknowledge',
      'care.alert.escalate',
      'scale.link',
      'scale.submit',
      'care.case.open',
      'care.case.contact',
      'care.case.update',
      'care.case.refer',
      'care.case.close',
    ])
      for (const key of reads) expect(refreshes(kind, key), `${kind} ${JSON.stringify(key)}`).toBe(true);
    for (const kind of ['care.alert.raised', 'care.alert.escalate'])
      expect(refreshes(kind, notificationKeys.all), kind).toBe(true);
    // Joint services' care visits share the area: both modules' pages are refreshed.
    expect(refreshes('care.visit', careKeys.alerts)).toBe(true);
    expect(refreshes('care.alert.raised', servicesKeys.roster({ page: 1, pageSize: 20 }))).toBe(true);
    // A filled scale's answers do not change (and each read is audited): never read again by an update;
    // nor is the person's own page.
    expect(refreshes('scale.submit', careKeys.response(3))).toBe(false);
    expect(refreshes('scale.submit', careKeys.publicScale('t'))).toBe(false);
    expect(refreshes('scale.submit', eventKeys.all)).toBe(false);
  });
  it('refreshes the keys the pages read with, built by the api modules’ factories', () => {
    const directiveReads = [
      commandKeys.directives({ box: 'received', page: 1 }),
      commandKeys.directive(7),
      commandKeys.board(7, 3, 'pending'),
      commandKeys.tasks,
      commandKeys.cockpit(3, 2, 'directives'),
      notificationKeys.all,
    ];
    for (const key of directiveReads)
      expect(refreshes('directive.signed', key), JSON.stringify(key)).toBe(true);
    expect(refreshes('command.opened', commandKeys.commands('true'))).toBe(true);
    expect(refreshes('command.opened', commandKeys.cockpit())).toBe(true);
    const eventReads = [
      eventKeys.list({ page: 1, pageSize: 20, state: ['dispatched'] }),
      eventKeys.tasks,
      eventKeys.detail(5),
      eventKeys.points({ node: 3 }),
      eventKeys.kpis(3, '2026-11-01', '2026-11-30'),
      notificationKeys.all,
      commandKeys.cockpit(3),
    ];
    for (const key of eventReads) expect(refreshes('event.escalated', key), JSON.stringify(key)).toBe(true);
    expect(refreshes('report.submitted', reportKeys.summary(1, 3, '2026-12-05'))).toBe(true);
    expect(refreshes('report.submitted', reportKeys.history(1, 3, '2026-12-01', '2026-12-05'))).toBe(true);
    expect(refreshes('notice.delivered', noticeKeys.detail(4, 3))).toBe(true);
    expect(
      refreshes('notice.delivered', noticeKeys.households(4, { status: 'all', page: 1, pageSize: 20 })),
    ).toBe(true);
  });
  it('leaves other areas’ reads alone', () => {
    expect(refreshes('notice.delivered', eventKeys.detail(5))).toBe(false);
    expect(refreshes('notice.delivered', commandKeys.directive(7))).toBe(false);
    expect(refreshes('report.submitted', noticeKeys.detail(4, 3))).toBe(false);
    expect(refreshes('command.opened', commandKeys.directive(7))).toBe(false);
    expect(refreshes('event.escalated', peopleKeys.detail(1))).toBe(false);
    expect(refreshes('directive.signed', householdKeys.detail(1))).toBe(false);
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
