// Type-checked lint: the async and exhaustiveness bugs that matter in a server.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Shared by the server's boundary rules and proved to fire by server/test/module-boundary.unit.test.ts. */
const MODULE_BOUNDARY = 'Import another module only through its index.ts.';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, 'react-hooks/set-state-in-effect': 'off' },
  },
  {
    // One way to fetch in the web: pages and app code go through the typed hooks and calls of
    // web/api/<module>.ts, never the raw client.
    files: ['web/features/**/*.{ts,tsx}', 'web/app/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/client.js'],
              importNames: ['api', 'request', 'requestBlob'],
              message: 'Fetch through the typed hooks and calls of web/api/<module>.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Cross-module imports only through a module's index.ts: a sibling's file (`../events/x.js`), a
    // file deeper in a sibling (`../events/sub/x.js`) and the long way round (`../../modules/events/x.js`).
    files: ['server/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$).+', message: MODULE_BOUNDARY },
            { regex: '^(\\.\\./)+(server/)?modules/[^/]+/(?!index\\.js$).+', message: MODULE_BOUNDARY },
          ],
        },
      ],
    },
  },
  {
    // The app, boot, demo, scripts and benches use a module through its index.ts too. (server/test is
    // not held to it yet: its routes.ts reads people's protected columns from the service itself.)
    files: ['server/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    ignores: ['server/modules/**', 'server/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)modules/[^/]+/(?!index\\.js$).+', message: MODULE_BOUNDARY }] },
      ],
    },
  },
);
