import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// The house, from the ground floor up: a room may import its own floor and the floors below,
// never one above (domain/ and workflows/ have their own, stricter rules further down). The top
// floor (api/, the Demo Bank app, the entry points, bench/, scripts/, test/) may import anything.
const floors = [
  ['domain'],
  ['statements', 'secrets', 'time', 'providers'],
  ['db', 'temporal'],
  ['accounts', 'transactions', 'tenants', 'audit', 'notifications', 'metrics', 'matching', 'parties'],
  ['activities', 'workflows'],
  ['api', 'demobank', 'config', 'main', 'worker'],
];
const layering = floors.slice(1, -1).flatMap((rooms, index) => {
  const above = floors.slice(index + 2).flat();
  return rooms.filter((room) => room !== 'workflows').map((room) => ({
    files: [`${room}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: `^(\\.\\./)+(${above.join('|')})[/.]`,
          message: `${room}/ is on a lower floor than ${above.join(', ')}: no import upwards (move the shared word down, to domain/ if every layer needs it).`,
        }],
      }],
    },
  }));
});

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'scratch/', 'db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...layering,
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
