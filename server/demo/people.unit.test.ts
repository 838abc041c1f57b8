// The residents' generator, without a database: deterministic, valid numbers, households that make sense.
import { describe, expect, it } from 'vitest';
import { parseIdNumber } from '../../common/validators.js';
import { planDistrict } from './layout.js';
import {
  DEMO_REFERENCE_DATE,
  demoHouseholds,
  IdNumbers,
  PEOPLE_TARGETS,
  type DemoGrid,
  type DemoHousehold,
} from './people.js';

function gridsOf(scale: 'small' | 'district'): DemoGrid[] {
  const grids: DemoGrid[] = [];
  for (const town of planDistrict(scale).children) {
    for (const village of town.children) {
      for (const g of village.children) {
        grids.push({
          id: grids.length + 1,
          path: `/1/${grids.length + 2}/`,
          fullCode: g.fullCode,
          town: town.name,
          village: village.name,
          community: village.name.endsWith('社区'),
        });
      }
    }
  }
  return grids;
}

describe('demo residents generator', () => {
  const grids = gridsOf('small');
  const households: DemoHousehold[] = [...demoHouseholds(grids, 'small')];
  const people = households.flatMap((h) => h.members);

  it('is deterministic: the same plan gives the same people and numbers', () => {
    const again = [...demoHouseholds(grids, 'small')].flatMap((h) => h.members);
    expect(again).toEqual(people);
  });

  it('meets the targets within a household', () => {
    const t = PEOPLE_TARGETS.small;
    expect(Math.abs(people.length - t.total)).toBeLessThanOrEqual(6);
    expect(
      Math.abs(people.filter((p) => p.residenceType === 'floating').length - t.floating),
    ).toBeLessThanOrEqual(6);
  });

  it('issues each ID number once, valid, matching birth date and sex', () => {
    const ids = people.map((p) => p.idNumber).filter((x): x is string => x !== null);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of people) {
      if (!p.idNumber) continue;
      const r = parseIdNumber(p.idNumber, DEMO_REFERENCE_DATE);
      expect(r.ok && r.value.birthDate === p.birthDate && r.value.gender === p.gender).toBe(true);
    }
  });

  it('keeps households plausible: one head first, parents older than their children', () => {
    for (const h of households) {
      expect(h.members[0]!.relation).toBe('户主');
      expect(h.members.filter((m) => m.relation === '户主')).toHaveLength(1);
      expect(h.members.length).toBeLessThanOrEqual(6);
      const head = h.members[0]!;
      for (const m of h.members) {
        if (m.relation === '子女') expect(m.age).toBeLessThan(head.age);
        if (m.relation === '孙子女') expect(m.age).toBeLessThan(head.age - 30);
        if (m.relation === '父母') expect(m.age).toBeGreaterThan(head.age);
      }
    }
  });

  it('gives out sequence numbers without repeats until a day runs out', () => {
    const ids = new IdNumbers();
    const seen = new Set<string>();
    for (let i = 0; i < 499; i++) seen.add(ids.next('341881', '1990-02-28', i % 2 ? 'male' : 'female'));
    expect(seen.size).toBe(499);
    for (const id of seen) expect(parseIdNumber(id).ok).toBe(true);
    const full = new IdNumbers();
    for (let i = 0; i < 499; i++) full.next('330112', '2000-01-01', 'female');
    expect(() => full.next('330112', '2000-01-01', 'female')).toThrow(/no sequence numbers left/);
  });
});
