import { describe, expect, it } from 'vitest';
import { createNodeBody, polygonGeometry, updateNodeBody } from './contracts/nodes.js';
import { createUserBody, loginBody, updateUserBody } from './contracts/accounts.js';
import { isPermission, PERMISSION_CODES } from './permissions.js';
import { BUILTIN_ROLES } from './roles.js';
import { childLevel, codePattern, LEVELS } from './tree.js';

describe('permissions and built-in roles', () => {
  it('every built-in role uses registered permissions only, without duplicates', () => {
    for (const r of BUILTIN_ROLES) {
      for (const p of r.permissions) expect(isPermission(p), `${r.code}: ${p}`).toBe(true);
      expect(new Set(r.permissions).size, r.code).toBe(r.permissions.length);
    }
    expect(new Set(BUILTIN_ROLES.map((r) => r.code)).size).toBe(BUILTIN_ROLES.length);
  });

  it('the system administrator holds every permission', () => {
    const admin = BUILTIN_ROLES.find((r) => r.code === 'system_admin');
    expect([...(admin?.permissions ?? [])].sort()).toEqual([...PERMISSION_CODES].sort());
  });

  it('isPermission rejects inherited and unknown names', () => {
    expect(isPermission('nodes.read')).toBe(true);
    expect(isPermission('toString')).toBe(false);
    expect(isPermission('__proto__')).toBe(false);
    expect(isPermission('nodes.*')).toBe(false);
  });
});

describe('tree levels', () => {
  it('each level has the next one below, and micro-grids are leaves', () => {
    expect(LEVELS.map(childLevel)).toEqual(['town', 'village', 'grid', 'microgrid', null]);
  });

  it('codes: 6 digits for a district, 3 below', () => {
    expect(codePattern('district').test('330112')).toBe(true);
    expect(codePattern('district').test('33011')).toBe(false);
    for (const l of LEVELS.slice(1)) {
      expect(codePattern(l).test('001')).toBe(true);
      expect(codePattern(l).test('0001')).toBe(false);
      expect(codePattern(l).test('00a')).toBe(false);
    }
  });
});

describe('contracts', () => {
  it('request bodies are strict: an unknown field is an issue at its own path', () => {
    const r = createNodeBody.safeParse({ parentId: 1, code: '001', name: 'x', extra: 1 });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('extra');
  });

  it('an empty update is refused', () => {
    expect(updateNodeBody.safeParse({}).success).toBe(false);
    expect(updateUserBody.safeParse({}).success).toBe(false);
    expect(updateUserBody.safeParse({ unlock: false }).success).toBe(false);
  });

  it('polygons need closed-size rings and coordinates in range', () => {
    const ring = [
      [119.7, 30.2],
      [119.71, 30.2],
      [119.71, 30.21],
      [119.7, 30.2],
    ];
    expect(polygonGeometry.safeParse({ type: 'Polygon', coordinates: [ring] }).success).toBe(true);
    expect(polygonGeometry.safeParse({ type: 'Polygon', coordinates: [ring.slice(0, 3)] }).success).toBe(
      false,
    );
    expect(
      polygonGeometry.safeParse({ type: 'Polygon', coordinates: [[[181, 0], ...ring.slice(1)]] }).success,
    ).toBe(false);
  });

  it('usernames and passwords follow the limits', () => {
    const ok = {
      username: 'zhang.san',
      displayName: '张三',
      password: 'x'.repeat(10),
      assignments: [{ roleId: 1, nodeId: 1 }],
    };
    expect(createUserBody.safeParse(ok).success).toBe(true);
    expect(createUserBody.safeParse({ ...ok, username: '张三' }).success).toBe(false);
    expect(createUserBody.safeParse({ ...ok, password: 'short' }).success).toBe(false);
    expect(createUserBody.safeParse({ ...ok, assignments: [] }).success).toBe(false);
    expect(loginBody.safeParse({ username: 'a', password: 'b', totp: '12345' }).success).toBe(false);
    expect(loginBody.safeParse({ username: 'a', password: 'b', totp: '１２３４５６' }).success).toBe(false);
  });
});
