// antd's component styles as one prebuilt stylesheet (ADR 0018).
//
// With `theme.zeroRuntime` antd writes no component CSS in the browser: a phone no longer computes
// and inserts it on the first render of every page. The stylesheet antd ships for that mode
// (`antd/dist/antd.css`) is given to the app as `virtual:antd.css`, imported before the app's own
// CSS, so the app's rules win at equal specificity as they did over the styles antd inserted at the
// top of the page. Left out: what the stylesheet carries from its own making and nothing in the app
// can match (per-render variable scopes `.css-var-_R_…`, a cache marker), some 80 kB. Design tokens
// stay CSS variables, written at run time from the app's theme.
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

const VIRTUAL = 'virtual:antd.css';
const RESOLVED = '\0linli-antd.css';

/** `import 'virtual:antd.css'`: antd's prebuilt component styles. */
export function antdStylesheet(root: string): Plugin {
  const file = path.join(root, 'node_modules/antd/dist/antd.css');
  return {
    name: 'linli-antd-stylesheet',
    resolveId: (id) => (id === VIRTUAL ? RESOLVED : null),
    load: (id) => (id === RESOLVED ? withoutLeftovers(fs.readFileSync(file, 'utf8')) : null),
  };
}
