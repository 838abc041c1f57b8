// What the menu offers and where each role lands: one table of pages (grouped by the district's
// linkages, each with the permissions that show it) and one table of role homes. A new module adds its
// pages to NAV and its roles to ROLE_HOMES; nothing else in the shell needs to change.
import type { Permission } from '../../common/permissions.js';
import { SWEEP_PAGES } from '../features/screening/permissions.js';
import { PASSAGES_READ, PASSAGES_REGISTER } from '../features/defence/permissions.js';
import { OBSERVATION_PAGES } from '../features/observation/permissions.js';
import { HEARING_PAGES, MEDIATION_PAGES } from '../features/mediation/permissions.js';
import {
  CARE_PAGES,
  HOURS_PAGES,
  SERVICES_PAGES,
  VOLUNTEER_PAGES,
} from '../features/services/permissions.js';
import { COUNSELLING_PAGES } from '../features/care/permissions.js';

export type NavGroup =
  'work' | 'handling' | 'mediation' | 'services' | 'command' | 'defence' | 'base' | 'system';

/** Groups in menu order; 'work' (my tasks) comes first and carries no title. */
export const NAV_GROUPS: readonly NavGroup[] = [
  'work',
  'handling',
  'mediation',
  'services',
  'command',
  'defence',
  'base',
  'system',
];

export type NavLabel =
  | 'nav.cockpit'
  | 'nav.command'
  | 'nav.tree'
  | 'nav.people'
  | 'nav.households'
  | 'nav.tags'
  | 'nav.users'
  | 'nav.roles'
  | 'nav.audit'
  | 'nav.account'
  | 'nav.tasks'
  | 'nav.events'
  | 'nav.caseMap'
  | 'nav.kpis'
  | 'nav.eventSettings'
  | 'nav.reports'
  | 'nav.notices'
  | 'nav.notifications'
  | 'nav.passagesNew'
  | 'nav.passages'
  | 'nav.shift'
  | 'nav.checkpoints'
  | 'nav.roster'
  | 'nav.observations'
  | 'nav.sweeps'
  | 'nav.mediation'
  | 'nav.confirmations'
  | 'nav.hearings'
  | 'nav.mediationStats'
  | 'nav.volunteer'
  | 'nav.services'
  | 'nav.care'
  | 'nav.psychCare'
  | 'nav.serviceHours';

export interface NavItem {
  /** The page's address, also the menu key. */
  key: string;
  label: NavLabel;
  group: NavGroup;
  /** Shown when the user holds any of these; none: shown to everyone signed in. */
  needs?: Permission | readonly Permission[];
  /**
   * Rank on a phone's short menu (lower first); without one the page stays off the phone menu and is
   * reached from the account page's list of all pages.
   */
  phone?: number;
  /** Not in the menu at all (reached from the header): the account page, notifications. */
  hidden?: boolean;
}

export const NAV: readonly NavItem[] = [
  { key: '/tasks', label: 'nav.tasks', group: 'work', phone: 1 },
  // Joint defence: one's own shifts (checkpoint staff land here), and the posts and rosters for leads.
  { key: '/shift', label: 'nav.shift', group: 'work', needs: 'shifts.check_in', phone: 10 },
  {
    key: '/events',
    label: 'nav.events',
    group: 'handling',
    needs: ['events.read', 'events.handle'],
    phone: 2,
  },
  { key: '/events/map', label: 'nav.caseMap', group: 'handling', needs: ['events.read', 'events.handle'] },
  { key: '/kpis', label: 'nav.kpis', group: 'handling', needs: 'events.read' },
  {
    key: '/events/settings',
    label: 'nav.eventSettings',
    group: 'handling',
    needs: ['events.configure', 'departments.manage'],
  },
  // Joint mediation (矛盾联调): the mediator's cases, the judge's applications for confirmation, the
  // micro-court point's hearings, the figures. Ranked after the grid worker's pages (who holds none of
  // these): on a phone they show for the roles that land on them, or when there is room.
  { key: '/mediation', label: 'nav.mediation', group: 'mediation', needs: MEDIATION_PAGES, phone: 12 },
  {
    key: '/confirmations',
    label: 'nav.confirmations',
    group: 'mediation',
    needs: 'mediation.confirm',
    phone: 12,
  },
  { key: '/hearings', label: 'nav.hearings', group: 'mediation', needs: HEARING_PAGES, phone: 13 },
  { key: '/mediation/stats', label: 'nav.mediationStats', group: 'mediation', needs: 'mediation.read' },
  // Joint services (服务联办): the volunteer's own page (call-outs near them, their tasks, visits and
  // hours), the coordinator's needs, call-outs and volunteers, the care roster, the hours. Ranked after
  // the grid worker's pages: on a phone they show for the roles that land on them, or when there is room.
  { key: '/volunteer', label: 'nav.volunteer', group: 'services', needs: VOLUNTEER_PAGES, phone: 14 },
  { key: '/services', label: 'nav.services', group: 'services', needs: SERVICES_PAGES, phone: 14 },
  { key: '/care/roster', label: 'nav.care', group: 'services', needs: CARE_PAGES, phone: 15 },
  // Psychological care (心理关爱): the counsellor's alerts, contacts due and caseload (they land here).
  // The village that follows alerts sees them on 我的待办, without the answers.
  { key: '/care', label: 'nav.psychCare', group: 'services', needs: COUNSELLING_PAGES, phone: 15 },
  { key: '/services/hours', label: 'nav.serviceHours', group: 'services', needs: HOURS_PAGES },
  { key: '/cockpit', label: 'nav.cockpit', group: 'command', needs: 'command.read', phone: 7 },
  { key: '/command', label: 'nav.command', group: 'command', needs: 'command.read', phone: 8 },
  {
    key: '/notices',
    label: 'nav.notices',
    group: 'command',
    needs: ['command.read', 'notices.deliver'],
    phone: 3,
  },
  { key: '/reports', label: 'nav.reports', group: 'command', needs: 'command.read', phone: 4 },
  // Joint defence (联防): passage registration at a checkpoint, the search and statistics, the
  // checkpoints and their rosters.
  { key: '/passages/new', label: 'nav.passagesNew', group: 'defence', needs: PASSAGES_REGISTER, phone: 7 },
  { key: '/passages', label: 'nav.passages', group: 'defence', needs: PASSAGES_READ, phone: 10 },
  { key: '/checkpoints', label: 'nav.checkpoints', group: 'defence', needs: 'checkpoints.manage' },
  {
    key: '/checkpoints/roster',
    label: 'nav.roster',
    group: 'defence',
    needs: ['rosters.manage', 'checkpoints.manage'],
  },
  // Home observation (居家观察): carers reach their days from my tasks; the list is for desktops.
  { key: '/observations', label: 'nav.observations', group: 'defence', needs: OBSERVATION_PAGES },
  // Screening sweeps (摸排): my grid's list door to door, the progress of my place.
  // On a phone a grid worker reaches their list from 我的待办; the seconded cadre lands here.
  { key: '/sweeps', label: 'nav.sweeps', group: 'defence', needs: SWEEP_PAGES, phone: 11 },
  { key: '/people', label: 'nav.people', group: 'base', needs: 'people.read', phone: 5 },
  { key: '/tree', label: 'nav.tree', group: 'base', needs: 'nodes.read', phone: 6 },
  { key: '/households', label: 'nav.households', group: 'base', needs: 'people.read' },
  { key: '/tags', label: 'nav.tags', group: 'base', needs: 'tags.manage' },
  { key: '/users', label: 'nav.users', group: 'system', needs: 'users.read', phone: 9 },
  { key: '/roles', label: 'nav.roles', group: 'system', needs: 'roles.read' },
  { key: '/audit', label: 'nav.audit', group: 'system', needs: 'audit.read' },
  { key: '/notifications', label: 'nav.notifications', group: 'work', hidden: true },
  { key: '/account', label: 'nav.account', group: 'system', hidden: true },
];

/** A phone's drawer lists at most this many pages; the rest are on the account page. */
export const PHONE_MENU_MAX = 6;

/**
 * Each built-in role's home: where it lands after signing in. Field staff land on their tasks,
 * commanders on the cockpit, the administrator on users, checkpoint staff on their shift, mediators on
 * their cases, judges on the applications for confirmation, invited mediators on their point's
 * hearings, volunteer coordinators on joint services, volunteers on their own volunteering page,
 * counsellors on psychological care (its urgent alerts first).
 * The first role of a user's assignments found here, in this order, wins.
 */
export const ROLE_HOMES: readonly { role: string; home: string }[] = [
  { role: 'district_commander', home: '/cockpit' },
  { role: 'town_commander', home: '/cockpit' },
  { role: 'system_admin', home: '/users' },
  { role: 'village_cadre', home: '/tasks' },
  { role: 'grid_worker', home: '/tasks' },
  { role: 'department_handler', home: '/tasks' },
  { role: 'checkpoint_staff', home: '/shift' },
  { role: 'mediator', home: '/mediation' },
  { role: 'judge', home: '/confirmations' },
  // 特邀调解员 at a micro-court point: the day's hearings there.
  { role: 'invited_mediator', home: '/hearings' },
  { role: 'counsellor', home: '/care' },
  // Joint services: the coordinator's needs, call-outs and people; the volunteer's call-outs and tasks.
  { role: 'volunteer_coordinator', home: '/services' },
  { role: 'volunteer', home: '/volunteer' },
  // Sent down to help a grid in a sweep: their paired grids' lists are their work.
  { role: 'seconded_cadre', home: '/sweeps' },
];

/** For custom roles: the first rule whose permissions the user holds (all of them) names the home. */
export const PERMISSION_HOMES: readonly { needs: readonly Permission[]; home: string }[] = [
  { needs: ['command.manage'], home: '/cockpit' },
  { needs: ['users.manage', 'roles.manage'], home: '/users' },
  // Urgent alerts wait there, to be acknowledged within the half hour.
  { needs: ['counselling.work'], home: '/care' },
  { needs: ['events.triage'], home: '/tasks' },
  { needs: ['events.handle'], home: '/tasks' },
  { needs: ['events.verify'], home: '/tasks' },
  { needs: ['directives.respond'], home: '/tasks' },
  { needs: ['shifts.check_in'], home: '/shift' },
  { needs: ['mediation.mediate'], home: '/mediation' },
  { needs: ['mediation.confirm'], home: '/confirmations' },
  { needs: ['hearings.assist'], home: '/hearings' },
  { needs: ['volunteers.manage'], home: '/services' },
  { needs: ['callouts.join'], home: '/volunteer' },
  { needs: ['events.read'], home: '/events' },
  { needs: ['people.read'], home: '/people' },
  { needs: ['nodes.read'], home: '/tree' },
];
/** Where anyone lands when nothing above applies: their tasks, which every account can open. */
export const DEFAULT_HOME = '/tasks';

type Can = (p: Permission) => boolean;

export function visible(item: NavItem, can: Can): boolean {
  if (!item.needs) return true;
  return typeof item.needs === 'string' ? can(item.needs) : item.needs.some(can);
}

/** The pages a user may open, in menu order. */
export function navFor(can: Can): NavItem[] {
  return NAV.filter((n) => visible(n, can));
}

/** A path the user may open: a menu page's own rule decides; a path not in the menu is taken as is. */
function reachable(path: string, can: Can): boolean {
  const item = NAV.find((n) => n.key === path);
  return !item || visible(item, can);
}

export function homeFor(roleCodes: readonly string[], can: Can): string {
  for (const r of ROLE_HOMES) if (roleCodes.includes(r.role) && reachable(r.home, can)) return r.home;
  for (const r of PERMISSION_HOMES) if (r.needs.every(can) && reachable(r.home, can)) return r.home;
  return DEFAULT_HOME;
}

/**
 * A phone's short menu: the user's home first, then the pages ranked for phones, at most
 * PHONE_MENU_MAX, shown in menu order.
 */
export function phoneMenu(items: readonly NavItem[], home: string): NavItem[] {
  const shown = items.filter((n) => !n.hidden);
  const ranked = shown
    .filter((n) => n.key !== home && n.phone !== undefined)
    .sort((a, b) => (a.phone ?? 0) - (b.phone ?? 0));
  const homeItem = shown.find((n) => n.key === home);
  const chosen = new Set([...(homeItem ? [homeItem] : []), ...ranked].slice(0, PHONE_MENU_MAX));
  return shown.filter((n) => chosen.has(n));
}

/** The menu entry an address belongs to: the longest key it starts with (/events/settings is not /events). */
export function selectedKey(pathname: string): string {
  return (
    NAV.map((n) => n.key)
      .filter((k) => pathname === k || pathname.startsWith(`${k}/`))
      .sort((a, b) => b.length - a.length)[0] ?? `/${pathname.split('/')[1] ?? ''}`
  );
}
