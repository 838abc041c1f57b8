import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../common/roles.js';
import type { Permission } from '../../common/permissions.js';
import { NAV, PHONE_MENU_MAX, ROLE_HOMES, homeFor, navFor, phoneMenu, selectedKey } from './nav.js';

const role = (code: string) => {
  const r = BUILTIN_ROLES.find((b) => b.code === code);
  if (!r) throw new Error(code);
  return { codes: [code], can: (p: Permission) => r.permissions.includes(p) };
};
const home = (code: string) => {
  const r = role(code);
  return homeFor(r.codes, r.can);
};

describe('role homes and menus', () => {
  it('names a home for every built-in role, each one a page of the menu the role may open', () => {
    for (const r of BUILTIN_ROLES) {
      expect(
        ROLE_HOMES.some((h) => h.role === r.code),
        r.code,
      ).toBe(true);
      const { can } = role(r.code);
      const h = home(r.code);
      expect(
        navFor(can).some((n) => n.key === h),
        `${r.code} → ${h}`,
      ).toBe(true);
    }
  });

  it('lands field staff on their tasks, checkpoint staff on their shift, commanders on the cockpit, the administrator on users', () => {
    for (const code of ['grid_worker', 'department_handler', 'village_cadre'])
      expect(home(code), code).toBe('/tasks');
    expect(home('checkpoint_staff')).toBe('/shift');
    expect(phoneMenu(navFor(role('checkpoint_staff').can), '/shift').map((n) => n.key)).toContain('/shift');
    expect(home('district_commander')).toBe('/cockpit');
    expect(home('town_commander')).toBe('/cockpit');
    expect(home('system_admin')).toBe('/users');
  });

  it('lands mediators on their cases, judges on confirmations, invited mediators on their point’s hearings', () => {
    expect(home('mediator')).toBe('/mediation');
    expect(home('judge')).toBe('/confirmations');
    expect(home('invited_mediator')).toBe('/hearings');
    const menu = (code: string) => phoneMenu(navFor(role(code).can), home(code)).map((n) => n.key);
    expect(menu('judge')).toEqual(expect.arrayContaining(['/confirmations', '/hearings']));
    expect(menu('invited_mediator')).toEqual(expect.arrayContaining(['/hearings', '/mediation']));
    // A custom role by its permissions.
    expect(homeFor(['clerk'], (p) => p === 'mediation.mediate')).toBe('/mediation');
    expect(homeFor(['clerk'], (p) => p === 'hearings.assist')).toBe('/hearings');
  });

  it('lands volunteers on their volunteering page and coordinators on joint services, the volunteer’s phone menu short', () => {
    expect(home('volunteer')).toBe('/volunteer');
    expect(home('volunteer_coordinator')).toBe('/services');
    const menu = (code: string) => phoneMenu(navFor(role(code).can), home(code)).map((n) => n.key);
    // The volunteer keeps their tasks (observation follow-ups) and their shift within reach.
    expect(menu('volunteer')[0]).toBe('/tasks');
    expect(menu('volunteer')).toEqual(expect.arrayContaining(['/volunteer', '/tasks', '/shift']));
    expect(menu('volunteer').length).toBeLessThanOrEqual(PHONE_MENU_MAX);
    expect(menu('volunteer_coordinator')).toEqual(expect.arrayContaining(['/services', '/care/roster']));
    // Coordinators and volunteers never see the registry's pages.
    for (const code of ['volunteer', 'volunteer_coordinator'])
      expect(navFor(role(code).can).map((n) => n.key)).not.toContain('/people');
    // The village cadre calls out from joint services; the district commander sets the care rhythms.
    expect(navFor(role('village_cadre').can).map((n) => n.key)).toEqual(
      expect.arrayContaining(['/services', '/care/roster', '/services/hours']),
    );
    expect(navFor(role('district_commander').can).map((n) => n.key)).toContain('/care/roster');
    // A custom role by its permissions.
    expect(homeFor(['clerk'], (p) => p === 'callouts.join')).toBe('/volunteer');
    expect(homeFor(['clerk'], (p) => p === 'volunteers.manage' || p === 'volunteers.read')).toBe('/services');
    expect(selectedKey('/services/hours')).toBe('/services/hours');
    expect(selectedKey('/services')).toBe('/services');
  });

  it('lands counsellors on psychological care; the care roster keeps its own entry', () => {
    expect(home('counsellor')).toBe('/care');
    const menu = phoneMenu(navFor(role('counsellor').can), '/care').map((n) => n.key);
    expect(menu[0]).toBe('/tasks');
    expect(menu).toEqual(expect.arrayContaining(['/care', '/tasks']));
    // Psychological care is for those who read its caseloads: not the village, nor the commanders
    // (who see its figures on the cockpit), nor the coordinators of the care roster.
    for (const code of ['village_cadre', 'grid_worker', 'district_commander', 'volunteer_coordinator'])
      expect(
        navFor(role(code).can).map((n) => n.key),
        code,
      ).not.toContain('/care');
    // A custom role by its permissions.
    expect(homeFor(['clerk'], (p) => p === 'counselling.work' || p === 'counselling.read')).toBe('/care');
    expect(selectedKey('/care/cases/3')).toBe('/care');
    expect(selectedKey('/care/roster')).toBe('/care/roster');
  });

  it('takes the first role of the table when a user holds several', () => {
    const can = (p: Permission) => ['nodes.read', 'command.read', 'events.verify'].includes(p);
    expect(homeFor(['grid_worker', 'town_commander'], can)).toBe('/cockpit');
  });

  it('places a custom role by its permissions, and one with none on its tasks', () => {
    expect(homeFor(['clerk'], (p) => p === 'people.read' || p === 'nodes.read')).toBe('/people');
    expect(homeFor(['clerk'], (p) => p === 'events.read')).toBe('/events');
    expect(homeFor(['clerk'], () => false)).toBe('/tasks');
    expect(homeFor(['guard'], (p) => p === 'shifts.check_in')).toBe('/shift');
    // A built-in home the user cannot open (its grants taken away by a custom copy) is passed over.
    expect(homeFor(['district_commander'], (p) => p === 'nodes.read')).toBe('/tree');
  });

  it('gives a grid worker a phone menu of six at most, tasks first, and every role its home on it', () => {
    const gw = role('grid_worker');
    const menu = phoneMenu(navFor(gw.can), home('grid_worker'));
    expect(menu.length).toBeLessThanOrEqual(PHONE_MENU_MAX);
    expect(menu[0]?.key).toBe('/tasks');
    expect(menu.map((n) => n.key)).toEqual(
      expect.arrayContaining(['/tasks', '/events', '/notices', '/people']),
    );
    for (const r of BUILTIN_ROLES) {
      const { can } = role(r.code);
      const m = phoneMenu(navFor(can), home(r.code));
      expect(m.length, r.code).toBeLessThanOrEqual(PHONE_MENU_MAX);
      expect(
        m.some((n) => n.key === home(r.code)),
        r.code,
      ).toBe(true);
    }
  });

  it('shows the account page and notifications to everyone, off the menu', () => {
    const items = navFor(() => false);
    expect(items.map((n) => n.key).sort()).toEqual(['/account', '/notifications', '/tasks']);
    expect(items.filter((n) => n.hidden).length).toBe(2);
  });

  it('selects the longest menu key an address starts with', () => {
    expect(selectedKey('/events/settings')).toBe('/events/settings');
    expect(selectedKey('/events/12')).toBe('/events');
    expect(selectedKey('/notices/3')).toBe('/notices');
    expect(selectedKey('/checkpoints/roster')).toBe('/checkpoints/roster');
    expect(selectedKey('/checkpoints')).toBe('/checkpoints');
    expect(selectedKey('/mediation/cases/3')).toBe('/mediation');
    expect(selectedKey('/mediation/stats')).toBe('/mediation/stats');
    expect(new Set(NAV.map((n) => n.key)).size).toBe(NAV.length);
  });
});
