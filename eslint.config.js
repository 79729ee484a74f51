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
  { files: ['src-renderer/**'], languageOptions: { globals: globals.browser } },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    rules: {
      // `const { type: _type, ...rest } = event` drops a field on purpose: a leading _ marks it.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Off: the plain Map/Set it flags are non-reactive bookkeeping on purpose (save queues,
      // request dedup, caches); what the page shows is $state. SvelteMap would re-render for nothing.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
);
