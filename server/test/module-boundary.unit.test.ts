// The module-boundary lint rule, taken from eslint.config.js itself and run through ESLint's Node API:
// it fires on every way of reaching into another module's files and lets index.ts imports through.
// That the tree keeps to it is `eslint .` in npm test.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let eslint: ESLint;

beforeAll(async () => {
  const { default: config } = (await import(pathToFileURL(path.join(root, 'eslint.config.js')).href)) as {
    default: Linter.Config[];
  };
  // The server's rule and the one for the app, boot, demo, scripts and benches (the web's own rule on
  // the raw client is another matter).
  const boundaries = config.filter(
    (c) => c.rules?.['no-restricted-imports'] && c.files?.some((f) => String(f).startsWith('server/')),
  );
  expect(boundaries).toHaveLength(2);
  eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    // Only the boundary rules, without type information: what they see is the import text.
    overrideConfig: [
      { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**'] },
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      ...boundaries,
    ],
  });
});

async function fired(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('module boundaries', () => {
  it('a module cannot import another module’s files, however it spells the path', async () => {
    const inCommand = 'server/modules/command/directives.service.ts';
    for (const code of [
      "import { notify } from '../events/notifications.service.js';",
      "import { x } from '../events/sub/deep.js';",
      "import type { EventsService } from '../events/events.service.js';",
      "export { overdueUnder } from '../events/events.repository.js';",
      "import { notify } from '../../modules/notifications/notifications.repository.js';",
    ])
      expect(await fired(inCommand, code), code).toBe(1);
  });

  it('index.ts, its own files, the platform and common pass', async () => {
    const inCommand = 'server/modules/command/directives.service.ts';
    for (const code of [
      "import { notify } from '../notifications/index.js';",
      "import { x } from './directives.workflow.js';",
      "import { readUpload } from '../../platform/uploads.js';",
      "import { LIMITS } from '../../../common/limits.js';",
      "import type { DB } from '../../db/index.js';",
    ])
      expect(await fired(inCommand, code), code).toBe(0);
  });

  it('the app, the demo and the benches use a module through its index.ts too', async () => {
    expect(await fired('server/app.ts', "import { x } from './modules/events/events.service.js';")).toBe(1);
    expect(await fired('server/app.ts', "import { x } from './modules/events/index.js';")).toBe(0);
    expect(
      await fired('server/demo/seed.ts', "import { x } from '../modules/open311/open311.service.js';"),
    ).toBe(1);
    expect(
      await fired('bench/people.ts', "import { x } from '../server/modules/people/people.import.js';"),
    ).toBe(1);
  });
});
