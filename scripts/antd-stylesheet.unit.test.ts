import fs from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';
import { BASE, knownPrefixes, splitAntdCss } from './antd-stylesheet.js';

const ANTD_ES = path.resolve('node_modules/antd/es');
const ANTD_CSS = path.resolve('node_modules/antd/dist/antd.css');

/** The style rules of a part, as selector → the at-rules around it, outside the layer. */
function rulesOf(part: string): { selector: string; around: string[]; layer: string | null }[] {
  const out: { selector: string; around: string[]; layer: string | null }[] = [];
  postcss.parse(part).walkRules((rule) => {
    const around: string[] = [];
    let layer: string | null = null;
    for (let p = rule.parent; p && p.type !== 'root'; p = p.parent) {
      const at = p as postcss.AtRule;
      if (at.name === 'layer') layer = at.params;
      else around.unshift(`@${at.name} ${at.params}`);
    }
    out.push({ selector: rule.selector, around, layer });
  });
  return out;
}

describe('antd stylesheet split by component', () => {
  const known = new Set(['btn', 'btn-group', 'input', 'input-number', 'menu', 'layout']);

  it('gives each rule to the owner of its first antd class, longest prefix first, the rest to the base', () => {
    const parts = splitAntdCss(
      [
        '.ant-btn{color:red}',
        '.ant-btn-group .ant-btn{margin:0}',
        '.ant-input-number-handler{width:1px}',
        '.ant-input,.ant-input-affix-wrapper{padding:4px}',
        '.ant-layout-header .ant-menu{line-height:inherit}',
        '.ant-motion-collapse .ant-menu-item{opacity:0}',
        '.anticon{display:inline-flex}',
        'a{color:var(--ant-color-link)}',
        '.ant-motion-collapse{overflow:hidden}',
        '@keyframes antZoomIn{0%{opacity:0}100%{opacity:1}}',
      ].join(''),
      known,
    );
    expect(rulesOf(parts.get('btn')!).map((r) => r.selector)).toEqual(['.ant-btn']);
    expect(rulesOf(parts.get('btn-group')!).map((r) => r.selector)).toEqual(['.ant-btn-group .ant-btn']);
    expect(rulesOf(parts.get('input-number')!).map((r) => r.selector)).toEqual(['.ant-input-number-handler']);
    expect(rulesOf(parts.get('input')!).map((r) => r.selector)).toEqual([
      '.ant-input,.ant-input-affix-wrapper',
    ]);
    // A layout rule naming a menu inside stays with the layout; a class of no known owner is passed over.
    expect(rulesOf(parts.get('layout')!).map((r) => r.selector)).toEqual(['.ant-layout-header .ant-menu']);
    expect(rulesOf(parts.get('menu')!).map((r) => r.selector)).toEqual([
      '.ant-motion-collapse .ant-menu-item',
    ]);
    expect(rulesOf(parts.get(BASE)!).map((r) => r.selector)).toEqual([
      '.anticon',
      'a',
      '.ant-motion-collapse',
      '0%',
      '100%',
    ]);
    expect(parts.get(BASE)).toContain('@keyframes antZoomIn');
    // Every part is in the layer the app's own styles win over.
    for (const [, css] of parts) expect(css.startsWith('@layer antd{')).toBe(true);
  });

  it('keeps media queries around the rules they held, one block per run of rules', () => {
    const parts = splitAntdCss(
      '@media (max-width:575px){.ant-btn{width:100%}.ant-btn-lg{height:40px}.ant-input{width:100%}}',
      known,
    );
    const btn = rulesOf(parts.get('btn')!);
    expect(btn.map((r) => [r.selector, r.around, r.layer])).toEqual([
      ['.ant-btn', ['@media (max-width:575px)'], 'antd'],
      ['.ant-btn-lg', ['@media (max-width:575px)'], 'antd'],
    ]);
    expect(parts.get('btn')!.match(/@media/g)).toHaveLength(1);
    expect(rulesOf(parts.get('input')!).map((r) => r.around)).toEqual([['@media (max-width:575px)']]);
  });

  it('leaves out what the stylesheet carries from its making and nothing else', () => {
    const parts = splitAntdCss(
      '.css-var-_R_0_{--ant-color-primary:#1677ff}.data-ant-cssinjs-cache-path{content:"x"}.ant-btn{color:red}',
      known,
    );
    expect([...parts.keys()]).toEqual(['btn']);
  });

  it("places every rule of antd's own stylesheet exactly once", () => {
    const css = fs.readFileSync(ANTD_CSS, 'utf8');
    const prefixes = knownPrefixes(ANTD_ES);
    // The components the app's first pages use are among the owners.
    for (const p of ['btn', 'tag', 'badge', 'layout', 'menu', 'table', 'form'])
      expect(prefixes.has(p), p).toBe(true);
    const parts = splitAntdCss(css, prefixes);
    const count = (text: string) => {
      let n = 0;
      postcss.parse(text).walkRules((r) => {
        if (!/^\.(css-var-_|data-ant-cssinjs-cache-path)/.test(r.selector)) n++;
      });
      return n;
    };
    const placed = [...parts.values()].reduce((n, part) => n + count(part), 0);
    expect(placed).toBe(count(css));
    expect(parts.get('btn')).toMatch(/\.ant-btn\{/);
    expect(parts.get(BASE)).toMatch(/\.anticon\{/);
  });
});
