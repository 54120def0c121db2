import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'scratch/', 'db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.js', 'temporal/*.cjs'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS on purpose (see the file): require() is how it loads its dependency.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', exports: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Workflow code is replayed: it must be deterministic and bundle without Node. Only the
    // Temporal workflow SDK and relative imports of other workflow modules are allowed; type-only
    // imports (of activities, say) vanish at build time.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.flatMap((name) => [name, `node:${name}`]).map((name) => ({ name, message: 'No Node built-ins in workflow code.' })),
          patterns: [
            {
              regex: '^(?!\\.|@temporalio/workflow$|@temporalio/common$)',
              message: 'Workflow code imports @temporalio/workflow, @temporalio/common and relative modules only (no validation libraries, no I/O).',
              allowTypeImports: true,
            },
            {
              regex: '^\\.\\./(?!activities/|domain/)',
              message: 'Workflow code imports other workflow modules and domain/ only (activities as types).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The ground floor: the words every layer shares. It imports nothing of the project, and no
    // Node built-ins, so workflow code can use it too.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.flatMap((name) => [name, `node:${name}`]).map((name) => ({ name, message: 'domain/ is shared with workflow code: no Node built-ins.' })),
          patterns: [{ regex: '^\\.\\./', message: 'domain/ imports nothing of the project: it is the ground floor.' }],
        },
      ],
    },
  },
);
