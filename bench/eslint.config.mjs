// ESLint 9 + eslint-plugin-security, as a user would set it up to lint an MCP server:
// the plugin's recommended config, TypeScript through @typescript-eslint/parser (syntax only,
// no type information). Used by the throughput benchmark's ESLint CLI run and, the same array,
// by bench/tools.mjs in-process.
import tsParser from '@typescript-eslint/parser';
import security from 'eslint-plugin-security';

export default [
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    languageOptions: { parser: tsParser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  security.configs.recommended,
];
