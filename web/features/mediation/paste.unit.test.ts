import { describe, expect, it } from 'vitest';
import { idCheckChar } from '../../../common/validators.js';
import { parsePasted } from './paste.js';

/** A valid ID number born on the given day, with the given sequence. */
const id = (birth: string, seq: string) => {
  const first17 = `330102${birth}${seq}`;
  return first17 + idCheckChar(first17);
};
const A = id('19900101', '123');
const B = id('19850615', '456');

describe('parsePasted', () => {
  it('reads a name and an ID number a line, in either order and with any separator', () => {
    const r = parsePasted(`张三 ${A}\n${B}\t李四\n`, [], '2026-01-01');
    expect(r.problems).toEqual([]);
    expect(r.people).toEqual([
      { name: '张三', idNumber: A, phone: null },
      { name: '李四', idNumber: B, phone: null },
    ]);
  });

  it('takes a phone number too, commas and Chinese commas alike, and skips blank and header lines', () => {
    const r = parsePasted(`姓名,身份证号\n\n王五，${A}，138 0013 8000\n赵六`, [], '2026-01-01');
    expect(r.problems).toEqual([]);
    expect(r.people).toEqual([
      { name: '王五', idNumber: A, phone: '+8613800138000' },
      { name: '赵六', idNumber: null, phone: null },
    ]);
    const withPhone = parsePasted(`王五 ${A} 13800138000`, [], '2026-01-01');
    expect(withPhone.people[0]?.phone).toBe('+8613800138000');
  });

  it('reports lines without a name, with a wrong ID number, or an ID number given twice', () => {
    const wrong = `${A.slice(0, 17)}${A[17] === '0' ? '1' : '0'}`;
    const r = parsePasted(`${A}\n张三 ${wrong}\n李四 ${B}\n王五 ${B}\n赵六 ${A}`, [A], '2026-01-01');
    expect(r.problems.map((p) => [p.line, p.problem])).toEqual([
      [1, 'no_name'],
      [2, 'bad_id'],
      [4, 'duplicate_id'],
      [5, 'duplicate_id'],
    ]);
    expect(r.people.map((p) => p.name)).toEqual(['李四']);
  });

  it('takes 77 claimants at once', () => {
    const lines = Array.from(
      { length: 77 },
      (_, i) => `工人${i + 1} ${id('19800101', String(i).padStart(3, '0'))}`,
    );
    const r = parsePasted(lines.join('\n'), [], '2026-01-01');
    expect(r.problems).toEqual([]);
    expect(r.people).toHaveLength(77);
  });
});
