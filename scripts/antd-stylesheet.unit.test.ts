import fs from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import { styleFunctionSpans, withoutLeftovers, withoutStyleFunctions } from './antd-stylesheet.js';

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

describe("antd's style functions left out of a build", () => {
  const strip = (code: string) => withoutStyleFunctions(code, styleFunctionSpans(parseAst(code)));

  it('replaces the style function of each factory call and keeps the token functions and options', () => {
    const code = [
      "import { genStyleHooks, genSubStyleComponent, mergeToken } from '../../theme/internal';",
      'const genBaseStyle = (token) => ({ [token.componentCls]: { color: token.colorText } });',
      'export const prepareComponentToken = (token) => ({ defaultBg: token.colorFillQuaternary });',
      'export default genStyleHooks("Tag", (token) => {',
      '  const tagToken = mergeToken(token, {});',
      '  return genBaseStyle(tagToken);',
      '}, prepareComponentToken, { unitless: { lineHeight: true } });',
      "export const Compact = genSubStyleComponent(['Tag', 'compact'], (token) => [genBaseStyle(token)], prepareComponentToken);",
    ].join('\n');
    const out = strip(code);
    expect(out).toContain(
      'genStyleHooks("Tag", () => [], prepareComponentToken, { unitless: { lineHeight: true } });',
    );
    expect(out).toContain("genSubStyleComponent(['Tag', 'compact'], () => [], prepareComponentToken);");
    // The component's token function is untouched: the theme's variables come from it.
    expect(out).toContain(
      'export const prepareComponentToken = (token) => ({ defaultBg: token.colorFillQuaternary });',
    );
    // What only the style functions used is left unreferenced, for the bundler to drop.
    expect(out.match(/genBaseStyle/g)).toHaveLength(1);
    expect(parseAst(out).type).toBe('Program');
  });

  it('leaves modules without a factory call as they are', () => {
    const code = 'export const genStyleHooksLike = (a, b) => a + b;\nexport default genStyleHooksLike(1, 2);';
    expect(strip(code)).toBe(code);
  });

  it("finds a style function in each of antd's button, tag and badge styles", () => {
    for (const component of ['button', 'tag', 'badge']) {
      const code = fs.readFileSync(path.resolve(`node_modules/antd/es/${component}/style/index.js`), 'utf8');
      const out = strip(code);
      expect(out, component).toMatch(/genStyleHooks\('\w+', \(\) => \[\]/);
    }
  });
});
