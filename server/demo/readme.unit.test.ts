// The README's demo logins table states where each demo account sits; the start banner prints the
// seed's own answer (role @ node). They must agree: the table is read here and held against the seed.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../common/roles.js';
import { demoAccountPlaces } from './seed.js';

/** The rows of the table under "## Demo logins": username, role and where, cells trimmed. */
function readmeLogins(): { username: string; role: string; where: string }[] {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Demo logins'));
  if (!section) throw new Error('README has no "Demo logins" section');
  return section
    .split('\n')
    .filter((l) => /^\|\s*`/.test(l))
    .map((l) => {
      const [username, role, where] = l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      return { username: username!.replace(/`/g, ''), role: role!, where: where! };
    });
}

/** How the README names a place's kind, from its level and its name. */
function kindOf(level: string, name: string): string {
  if (level === 'district') return 'the district';
  if (level === 'town') return name.endsWith('街道') ? 'a street' : 'a town';
  if (level === 'village') return name.endsWith('社区') ? 'a community' : 'a village';
  return 'a grid';
}

describe('README demo logins', () => {
  const rows = readmeLogins();
  const accounts = demoAccountPlaces('small');

  it('lists every demo account once, in the seed’s order', () => {
    expect(rows.map((r) => r.username)).toEqual(accounts.map((a) => a.username));
  });

  it('gives each account the role the seed gives it', () => {
    for (const a of accounts) {
      const role = BUILTIN_ROLES.find((r) => r.code === a.role)!;
      const row = rows.find((r) => r.username === a.username)!;
      expect(row.role, a.username).toBe(`${role.zh} ${role.en.toLowerCase()}`);
    }
  });

  it('places each account where the small demo (and so the start banner) places it', () => {
    for (const a of accounts) {
      const row = rows.find((r) => r.username === a.username)!;
      const [node, ...rest] = row.where.split(', ');
      expect(node, a.username).toBe(a.node);
      const said = rest.join(', ');
      // A member of a department says so instead; its kind is then the department's town.
      if (said.startsWith('a member of ')) {
        expect(said, a.username).toBe(`a member of ${a.node}综合执法队`);
        continue;
      }
      expect(said.startsWith(kindOf(a.level, a.node)), `${a.username}: ${row.where}`).toBe(true);
      // "a village of 锦城街道", "a grid of that village": the place above, named or just mentioned.
      const of = /^a \w+ of (.+)$/.exec(said)?.[1];
      if (of === undefined) continue;
      const above = accounts.find((x) => x.node === a.parent);
      expect(
        of === a.parent ||
          (above !== undefined && of === `that ${kindOf(above.level, above.node).split(' ')[1]}`),
        `${a.username}: ${row.where}`,
      ).toBe(true);
    }
  });
});
