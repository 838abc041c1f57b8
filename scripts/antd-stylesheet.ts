// antd's styles prebuilt, split by component so that each page's chunk carries the CSS of the
// components it uses (ADR 0018).
//
// With `theme.zeroRuntime` antd writes no component CSS in the browser: a phone no longer computes
// and inserts it on the first render of every page. The stylesheet antd ships for that mode
// (`antd/dist/antd.css`, 1 MB) holds every component. Here it is cut by owner: a rule belongs to the
// component whose class prefix (`getPrefixCls('btn')`, longest match) its first `.ant-…` class has;
// rules of no known owner (icons, links, motion) form the base. Every antd module that asks for a
// prefix imports that prefix's CSS, so the bundler puts it in the chunk with the component's code: the
// first page loads the CSS of the components it can render and no more. At run time antd inserted its
// styles in the order components first rendered, so they never relied on an order among components.
//
// All of it is in the cascade layer `antd`: the app's own stylesheets, outside any layer, win over it
// whatever order the chunks arrive in, as they won over antd's styles inserted at the top of the page.
// Design tokens stay CSS variables, written at run time from the app's theme.
import fs from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import type { Plugin } from 'vite';

const PREFIX_CALL = /getPrefixCls\(\s*['"]([a-z-]+)['"]/g;
const ANTD_CLASS = /\.ant-([a-z][a-z0-9-]*)/g;
/** Rules the stylesheet carries from its making, matched by nothing in the app: per-render variable scopes, a cache marker. */
const EXTRACTION_LEFTOVER = /^\.(css-var-_|data-ant-cssinjs-cache-path)/;
/** The base: rules of no known owner. */
export const BASE = '';
export const LAYER = 'antd';

/** Every class prefix antd's modules ask for: the owners rules can belong to. */
export function knownPrefixes(antdEs: string): Set<string> {
  const all = new Set<string>();
  for (const f of fs.readdirSync(antdEs, { recursive: true }) as string[]) {
    if (!f.endsWith('.js')) continue;
    for (const m of fs.readFileSync(path.join(antdEs, f), 'utf8').matchAll(PREFIX_CALL)) all.add(m[1]!);
  }
  return all;
}

/**
 * The stylesheet cut by owner, each part wrapped in `@layer antd`, in the order its rules had. A rule
 * inside `@media` (or `@supports`, `@container`) goes to its owner inside a copy of that at-rule.
 */
export function splitAntdCss(css: string, known: Set<string>): Map<string, string> {
  const ordered = [...known].sort((a, b) => b.length - a.length);
  const ownerOfClass = (cls: string) => ordered.find((p) => cls === p || cls.startsWith(`${p}-`));
  const ownerOf = (rule: postcss.Rule): string | null => {
    const live = rule.selectors.filter((s) => !EXTRACTION_LEFTOVER.test(s));
    if (live.length === 0) return null;
    for (const s of live)
      for (const m of s.matchAll(ANTD_CLASS)) {
        const p = ownerOfClass(m[1]!);
        if (p !== undefined) return p;
      }
    return BASE;
  };
  const parts = new Map<string, { root: postcss.Root; open: postcss.Container[]; path: postcss.AtRule[] }>();
  const part = (owner: string) => {
    let p = parts.get(owner);
    if (!p) parts.set(owner, (p = { root: postcss.root(), open: [], path: [] }));
    return p;
  };
  // The container in `owner`'s part that mirrors the at-rules around a node: reused while consecutive
  // nodes share them, so one @media block stays one block.
  const containerFor = (owner: string, around: postcss.AtRule[]): postcss.Container => {
    const p = part(owner);
    let same = 0;
    while (same < around.length && same < p.path.length && p.path[same] === around[same]) same++;
    p.path = p.path.slice(0, same);
    p.open = p.open.slice(0, same);
    let into: postcss.Container = same === 0 ? p.root : p.open[same - 1]!;
    for (const at of around.slice(same)) {
      const copy = at.clone({ nodes: [] });
      into.append(copy);
      p.path.push(at);
      p.open.push(copy);
      into = copy;
    }
    return into;
  };
  const place = (node: postcss.ChildNode, around: postcss.AtRule[]) => {
    if (node.type === 'rule') {
      const owner = ownerOf(node);
      if (owner !== null) containerFor(owner, around).append(node.clone());
    } else if (node.type === 'atrule' && node.nodes && !/keyframes$/.test(node.name)) {
      for (const child of node.nodes) place(child, [...around, node]);
    } else if (node.type !== 'comment') {
      containerFor(BASE, around).append(node.clone());
    }
  };
  for (const node of postcss.parse(css).nodes) place(node, []);
  return new Map([...parts].map(([owner, p]) => [owner, `@layer ${LAYER}{${p.root.toString()}}`]));
}

const VIRTUAL = 'virtual:antd.css';
const RESOLVED = '\0linli-antd/';
const MARK = /[\\/]node_modules[\\/]antd[\\/]es[\\/].*\.js$/;

/**
 * `import 'virtual:antd.css'` (once, before the app's own CSS) gives the base; in a build every antd
 * module asking for a class prefix imports that prefix's part. In development the whole stylesheet
 * is the base (antd comes pre-bundled there), in the same layer.
 */
export function antdStylesheet(root: string): Plugin {
  const antdEs = path.join(root, 'node_modules/antd/es');
  const full = path.join(root, 'node_modules/antd/dist/antd.css');
  let build = false;
  let parts: Map<string, string> | null = null;
  const split = () => (parts ??= splitAntdCss(fs.readFileSync(full, 'utf8'), knownPrefixes(antdEs)));
  return {
    name: 'linli-antd-stylesheet',
    enforce: 'pre',
    configResolved(c) {
      build = c.command === 'build';
    },
    resolveId(id) {
      if (id === VIRTUAL) return `${RESOLVED}base.css`;
      if (id.startsWith(`${VIRTUAL}/`)) return `${RESOLVED}${id.slice(VIRTUAL.length + 1)}.css`;
      return null;
    },
    load(id) {
      if (!id.startsWith(RESOLVED)) return null;
      const owner = id.slice(RESOLVED.length, -'.css'.length);
      if (!build) return owner === 'base' ? `@layer ${LAYER}{${fs.readFileSync(full, 'utf8')}}` : '';
      return split().get(owner === 'base' ? BASE : owner) ?? '';
    },
    transform(code, id) {
      if (!build || !MARK.test(id)) return null;
      const owners = [...new Set([...code.matchAll(PREFIX_CALL)].map((m) => m[1]!))].filter((p) =>
        split().has(p),
      );
      if (owners.length === 0) return null;
      // Appended (imports are hoisted): the lines above keep their places, so the source map holds.
      return { code: `${code}\n${owners.map((p) => `import '${VIRTUAL}/${p}';`).join('\n')}\n`, map: null };
    },
  };
}
