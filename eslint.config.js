// ESLint (flat config): the recommended rules of ESLint, typescript-eslint and eslint-plugin-svelte,
// without type information (fast, and tsc and svelte-check already type-check). Formatting is
// Prettier's job; `npm run lint` runs both.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-artifacts/', '.tmp/', '.gpu-kit/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  { languageOptions: { globals: globals.node } },
  // CommonJS scripts run by build tools (binding.gyp's oneDNN finder).
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['src-renderer/**'], languageOptions: { globals: globals.browser } },
  // The floors between trees: the renderer and the shared types reach main only through the
  // API contract; the host's own folders never load TensorFlow.js or a step engine (the built
  // host bundle is also checked, transitively, by test/integration/build-output.test.ts); the
  // step engines never reach the catalog or the trainer above them.
  {
    files: ['src-renderer/**', 'src-shared/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/**', '**/src-preload/**'],
              message: 'the renderer and shared types talk to main through src-shared/api only',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/core/{api,catalog,events,files,formats,host,media,metrics,pose,predictions,runs,tasks}/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tensorflow/*'],
              allowTypeImports: true,
              message: 'the core host never loads TensorFlow.js: read model folders through core/pose',
            },
            {
              group: ['**/engines/**'],
              allowTypeImports: true,
              message: 'the core host never loads a step engine: training runs in a worker job (core/training)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/core/engines/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/catalog/**', '**/training/**', '**/runs/**', '!**/src-shared/**'],
              allowTypeImports: true,
              message:
                'a step engine knows only its plan, optimizer settings and batches: never the catalog or the trainer',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    rules: {
      // `const { type: _type, ...rest } = event` drops a field on purpose: a leading _ marks it.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: the plain Map/Set it flags are non-reactive bookkeeping on purpose (save queues,
      // request dedup, caches); what the page shows is $state. SvelteMap would re-render for nothing.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
);
