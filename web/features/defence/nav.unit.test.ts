// The passages pages in the menu: under joint defence (联防), shown by their permissions, and on a
// checkpoint's phone menu right after its home.
import { describe, expect, it } from 'vitest';
import type { Permission } from '../../../common/permissions.js';
import { navFor, phoneMenu, selectedKey } from '../../app/nav.js';
import { PASSAGES_READ, PASSAGES_REGISTER } from './permissions.js';

const holding =
  (...ps: Permission[]) =>
  (p: Permission) =>
    ps.includes(p);

describe('passages in the menu', () => {
  it('shows registration to passages.register and the search to passages.read, under 联防', () => {
    const staff = navFor(holding('nodes.read', 'checkpoints.read', 'shifts.check_in', PASSAGES_REGISTER));
    expect(staff.filter((n) => n.group === 'defence').map((n) => n.key)).toEqual(['/passages/new']);
    const lead = navFor(holding('checkpoints.read', PASSAGES_READ, PASSAGES_REGISTER));
    expect(lead.filter((n) => n.group === 'defence').map((n) => n.key)).toEqual([
      '/passages/new',
      '/passages',
    ]);
    expect(navFor(holding('people.read')).some((n) => n.key.startsWith('/passages'))).toBe(false);
  });

  it('puts registration on a checkpoint’s phone menu', () => {
    const items = navFor(holding('nodes.read', 'checkpoints.read', 'shifts.check_in', PASSAGES_REGISTER));
    expect(phoneMenu(items, '/tasks').map((n) => n.key)).toEqual([
      '/tasks',
      '/shift',
      '/passages/new',
      '/tree',
    ]);
  });

  it('selects registration on its own page and the search on a passage', () => {
    expect(selectedKey('/passages/new')).toBe('/passages/new');
    expect(selectedKey('/passages')).toBe('/passages');
    expect(selectedKey('/passages/42')).toBe('/passages');
  });
});
