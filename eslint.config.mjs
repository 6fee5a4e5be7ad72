// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The module table of DESIGN.md: which internal modules each may import. */
const boundaries = {
  shared: [],
  privacy: [],
  config: ['shared'],
  commerce: ['shared'],
  knowledge: ['llm', 'shared'],
  llm: ['shared'],
  tools: ['commerce', 'knowledge', 'handoff', 'llm', 'shared'],
  conversation: ['llm', 'tools', 'shared', 'privacy'],
  storage: ['shared'],
  channels: ['conversation', 'llm', 'shared'],
  handoff: ['shared'],
  directline: ['shared'],
  voice: ['shared', 'bot', 'channels', 'conversation'],
  bot: ['channels', 'conversation', 'llm', 'tools', 'commerce', 'knowledge', 'handoff', 'storage', 'privacy', 'shared', 'config'],
  server: ['bot', 'directline', 'voice', 'shared', 'config'],
};
const allModules = Object.keys(boundaries);

/** Framework packages that the inner modules must not know. */
const frameworks = ['botbuilder', 'botbuilder-*', 'botframework-*', 'restify', 'openai', '@azure/*'];
const frameworkFree = new Set(['shared', 'privacy', 'config', 'commerce', 'knowledge', 'tools', 'conversation']);

const boundaryConfigs = Object.entries(boundaries).map(([module, allowed]) => {
  const forbiddenModules = allModules.filter((name) => name !== module && !allowed.includes(name));
  const patterns = [
    {
      group: forbiddenModules.flatMap((name) => [`../${name}`, `../${name}/*`, `../../${name}/*`]),
      message: `${module}/ may not import this module (see the module table in DESIGN.md).`,
    },
  ];
  if (frameworkFree.has(module)) {
    patterns.push({ group: frameworks, message: `${module}/ stays free of frameworks (DESIGN.md).` });
  }
  return {
    files: [`src/${module}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'public/**', '*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['tests/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'src/index.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Test doubles implement async ports (tools, models) with bodies that need no await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...boundaryConfigs,
);
