// Layers are folders; lint keeps them apart.
//   src/agent, src/tools, src/cli, src/shared: plain Node, never `vscode` (the core runs and is tested outside VS Code)
//   src/webview: browser code, neither `vscode` nor Node built-ins
import tseslint from 'typescript-eslint';

const noVscode = {
  paths: [{ name: 'vscode', message: 'The core runs in plain Node: only src/extension.ts and src/host may import vscode.' }],
  patterns: [{ group: ['**/host/**', '**/extension'], message: 'The core must not depend on the VS Code host.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-test/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'media/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['src/agent/**/*.ts', 'src/tools/**/*.ts', 'src/cli/**/*.ts', 'src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noVscode] },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webviews talk to the host only through src/shared/protocol.ts messages.' }],
          patterns: [{ group: ['node:*', '**/host/**', '**/agent/run-*'], message: 'Webview code runs in a browser.' }],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
