// antd's component styles as one prebuilt stylesheet (ADR 0018).
//
// With `theme.zeroRuntime` antd writes no component CSS in the browser: a phone no longer computes
// and inserts it on the first render of every page. The stylesheet antd ships for that mode
// (`antd/dist/antd.css`) is given to the app as `virtual:antd.css`, imported before the app's own
// CSS, so the app's rules win at equal specificity as they did over the styles antd inserted at the
// top of the page. Left out: what the stylesheet carries from its own making and nothing in the app
// can match (per-render variable scopes `.css-var-_R_…`, a cache marker), some 80 kB. Design tokens
// stay CSS variables, written at run time from the app's theme.
//
// In a build, the functions that computed each component's CSS are left out of the bundle as well:
// with zeroRuntime antd never calls them (its style hooks return before), yet they were a fifth of
// the antd code a page downloads and parses. Each `genStyleHooks(name, styleFn, …)` call in antd's
// modules gets `() => []` for its style function; the component token functions, which the theme's
// variables come from, stay.
import fs from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import type { Plugin } from 'vite';

/** Rules from the stylesheet's making, matched by nothing in the app. */
const EXTRACTION_LEFTOVER = /^\.(css-var-_|data-ant-cssinjs-cache-path)/;

/** antd's stylesheet without its extraction leftovers; every other rule as it was, in its order. */
export function withoutLeftovers(css: string): string {
  const root = postcss.parse(css);
  root.walkRules((rule) => {
    if (rule.selectors.every((s) => EXTRACTION_LEFTOVER.test(s))) rule.remove();
  });
  return root.toString();
}

/** antd's factories of style hooks; their second argument computes a component's CSS. */
const STYLE_HOOK_FACTORIES = new Set(['genStyleHooks', 'genComponentStyleHook', 'genSubStyleComponent']);
const MENTIONS_FACTORY = new RegExp(`\\b(${[...STYLE_HOOK_FACTORIES].join('|')})\\(`);

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}
const isNode = (v: unknown): v is Node =>
  typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';

/** Where the style functions passed to antd's style hook factories are, in a parsed module. */
export function styleFunctionSpans(program: unknown): [number, number][] {
  const spans: [number, number][] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isNode(v)) return;
    const callee = v.callee as Node | undefined;
    const args = v.arguments as Node[] | undefined;
    if (
      v.type === 'CallExpression' &&
      callee?.type === 'Identifier' &&
      STYLE_HOOK_FACTORIES.has(callee.name as string) &&
      args &&
      args.length >= 2
    )
      spans.push([args[1]!.start, args[1]!.end]);
    for (const key of Object.keys(v)) if (key !== 'type') visit(v[key]);
  };
  visit(program);
  return spans;
}

/** The module with each style function replaced by one that writes nothing. */
export function withoutStyleFunctions(code: string, spans: [number, number][]): string {
  let out = code;
  for (const [start, end] of [...spans].sort((a, b) => b[0] - a[0]))
    out = `${out.slice(0, start)}() => []${out.slice(end)}`;
  return out;
}

const VIRTUAL = 'virtual:antd.css';
const RESOLVED = '\0linli-antd.css';
const ANTD_ES_MODULE = /[\\/]node_modules[\\/]antd[\\/]es[\\/].*\.js$/;

/**
 * `import 'virtual:antd.css'`: antd's prebuilt component styles. In a build, antd's style functions
 * are left out (under `vite` in development antd comes pre-bundled, untouched).
 */
export function antdStylesheet(root: string): Plugin {
  const file = path.join(root, 'node_modules/antd/dist/antd.css');
  let build = false;
  return {
    name: 'linli-antd-stylesheet',
    configResolved(c) {
      build = c.command === 'build';
    },
    resolveId: (id) => (id === VIRTUAL ? RESOLVED : null),
    load: (id) => (id === RESOLVED ? withoutLeftovers(fs.readFileSync(file, 'utf8')) : null),
    transform(code, id) {
      if (!build || !ANTD_ES_MODULE.test(id) || !MENTIONS_FACTORY.test(code)) return null;
      const spans = styleFunctionSpans(this.parse(code));
      if (spans.length === 0) return null;
      return { code: withoutStyleFunctions(code, spans), map: null };
    },
  };
}
