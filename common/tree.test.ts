import { describe, expect, it } from 'vitest';
import { ancestorPaths } from './tree.js';

describe('ancestorPaths', () => {
  it('lists the root first and the path itself last', () => {
    expect(ancestorPaths('/1/5/27/90/')).toEqual(['/1/', '/1/5/', '/1/5/27/', '/1/5/27/90/']);
    expect(ancestorPaths('/12/')).toEqual(['/12/']);
  });
});
