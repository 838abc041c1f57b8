import fs from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';
import { withoutLeftovers } from './antd-stylesheet.js';

const ANTD_CSS = path.resolve('node_modules/antd/dist/antd.css');

const selectors = (css: string) => {
  const out: string[] = [];
  postcss.parse(css).walkRules((r) => {
    out.push(r.selector);
  });
  return out;
};

describe("antd's prebuilt stylesheet", () => {
  it('leaves out the per-render variable scopes and the cache marker, and keeps the rest in order', () => {
    const css = withoutLeftovers(
      [
        '.css-var-_R_0_{--ant-color-primary:#1677ff}',
        '.ant-btn{color:var(--ant-color-primary)}',
        '.data-ant-cssinjs-cache-path{content:"x"}',
        '@media (max-width:575px){.css-var-_R_1_{--ant-x:1px}.ant-col-xs-24{display:block}}',
        '.anticon{display:inline-flex}',
        '@keyframes antZoomIn{0%{opacity:0}100%{opacity:1}}',
      ].join(''),
    );
    expect(selectors(css)).toEqual(['.ant-btn', '.ant-col-xs-24', '.anticon', '0%', '100%']);
    expect(css).toContain('@media (max-width:575px)');
  });

  it("keeps every rule of the installed antd's stylesheet but its leftovers", () => {
    const whole = fs.readFileSync(ANTD_CSS, 'utf8');
    const before = selectors(whole);
    const after = selectors(withoutLeftovers(whole));
    const leftovers = before.filter((s) => /^\.(css-var-_|data-ant-cssinjs-cache-path)/.test(s));
    expect(leftovers.length).toBeGreaterThan(0);
    expect(after).toEqual(before.filter((s) => !leftovers.includes(s)));
    // The components the first pages show are in it.
    for (const cls of ['.ant-btn', '.ant-tag', '.ant-badge', '.ant-layout-header', '.anticon'])
      expect(after.some((s) => s.startsWith(cls))).toBe(true);
  });
});
