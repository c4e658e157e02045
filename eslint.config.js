// One flat config for the whole workspace; each package runs `eslint .` and ESLint finds this file upwards.
import { createRequire } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { webBoundaries } from './apps/web/eslint.boundaries.mjs';

// pnpm keeps the React hooks plugin inside apps/web (its only user), so resolve it from there rather than the root.
const requireFromWeb = createRequire(new URL('./apps/web/package.json', import.meta.url));
/** @type {import('eslint-plugin-react-hooks')} */
const reactHooks = requireFromWeb('eslint-plugin-react-hooks');

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/generated/**',
      '**/node_modules/**',
      'prisma/tools/**',
      '.data/**',
      '**/.data/**',
      'playwright-report/**',
      '**/playwright-report/**',
      'test-results/**',
      '**/test-results/**',
      '**/coverage/**',
      '**/.turbo/**',
      // The typed-client example is type-checked against freshly generated types by its test (contract/typed-client).
      'apps/api/examples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      parserOptions: {
        projectService: {
          // Loose scripts that no tsconfig includes get a default program; `**` is not allowed here.
          allowDefaultProject: [
            '*.js',
            '*.mjs',
            'apps/*/*.mjs',
            'apps/*/scripts/*.mjs',
            'packages/*/*.mjs',
            'e2e/lighthouse/*.mjs',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // JSX handlers like onSubmit={async () => ...} are fine; the promise is still checked elsewhere.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // Fastify plugins and hooks are async by contract even when their body awaits nothing.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Everything but the SPA's source runs on Node.
    ignores: ['apps/web/src/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Tests read JSON responses (`any` by nature) and assert on them.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/test/**/*.ts', 'e2e/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      // Plain JS has no type annotations to satisfy these rules.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // One authorization door: outside policy/, code asks policy/index.ts (the access door, named rules, list scopes)
    // and never reads a principal's role or scopes, nor the low-level predicates and rules, itself.
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/policy/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)policy/(predicates|policy|community-policy)(\\.ts)?$',
              message:
                'Permission decisions go through policy/index.ts (requireGroup, requireProgram, requireUser, authorize, …).',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'MemberExpression[object.name=/^(principal|sender|caller|actor)$/][property.name=/^(role|scopes)$/]',
          message: 'Roles and scopes are read by policy/ only: ask the access door or a named rule.',
        },
      ],
    },
  },
  {
    // Thin routes: route files speak HTTP and call their module's service; they never reach the database.
    files: ['apps/api/src/**/*.routes.ts', 'apps/api/src/**/*.plugin.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(generated/prisma/|db/(sql|tree)(\\.ts)?$)',
              allowTypeImports: true,
              message: 'Routes call their module service; queries live in services and repositories.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { property: 'prisma', message: 'Routes call their module service; queries live in services and repositories.' },
      ],
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // Features never import each other; shared layers never import features; the web app never imports the API.
  ...webBoundaries,
  prettier,
);
