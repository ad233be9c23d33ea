// Layers are folders; lint keeps them apart (test/unit/architecture/lint-layers.test.ts proves each rule):
//   src/agent    the core: plain Node; imports nothing from tools/, host/, cli/, webview/ or vscode
//   src/tools    one tool a file: plain Node; imports the core (and src/shared), never host/, cli/, webview/
//   src/cli      the headless CLI: plain Node; never host/, webview/ or vscode
//   src/shared   contracts and browser-safe helpers both sides import: never vscode, host/, cli/, tools/, webview/
//   src/webview  browser code: no vscode, no Node built-ins, only `import type` from agent/ and shared/protocol
//   src/host + src/extension.ts   the only VS Code wiring
import tseslint from 'typescript-eslint';

const vscodePath = (message) => ({ name: 'vscode', message });
const layer = (group, message, extra = {}) => ({ group, message, ...extra });

const NO_VSCODE = vscodePath('The core runs in plain Node: only src/extension.ts and src/host may import vscode.');
const HOST = layer(['**/host', '**/host/**', '**/extension'], 'Only the VS Code wiring (src/host, src/extension.ts) depends on the host.');
const CLI = layer(['**/cli', '**/cli/**'], 'The CLI is an entry point: nothing imports it.');
const WEBVIEW = layer(['**/webview', '**/webview/**'], 'Webview bundles run in a browser; share code through src/shared.');
const TOOLS = layer(['**/tools', '**/tools/**'], 'The core is given its tools (RunOptions.tools); it never imports them.');

const restrict = (paths, patterns) => ({
  'no-restricted-imports': 'off',
  '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
});

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
  { files: ['src/agent/**/*.ts'], rules: restrict([NO_VSCODE], [HOST, CLI, WEBVIEW, TOOLS]) },
  // tools/ sit on the core: a tool importing another tool's helper is fine (html-to-text), the hosts are not.
  { files: ['src/tools/**/*.ts'], rules: restrict([NO_VSCODE], [HOST, CLI, WEBVIEW]) },
  { files: ['src/cli/**/*.ts'], rules: restrict([NO_VSCODE], [HOST, WEBVIEW]) },
  { files: ['src/shared/**/*.ts'], rules: restrict([NO_VSCODE], [HOST, CLI, WEBVIEW, TOOLS]) },
  {
    files: ['src/webview/**/*.ts'],
    rules: restrict(
      [vscodePath('Webviews talk to the host only through src/shared/protocol.ts messages.')],
      [
        layer(['node:*'], 'Webview code runs in a browser: no Node built-ins.'),
        layer(['**/host', '**/host/**', '**/extension', '**/cli', '**/cli/**', '**/tools', '**/tools/**'], 'Webview code runs in a browser.'),
        // Types only: the core's values (and protocol.ts's zod schemas) stay out of the browser bundles.
        layer(['**/agent', '**/agent/**', '**/shared/protocol'], 'Webviews take only types from the core and the protocol: use `import type`.', {
          allowTypeImports: true,
        }),
      ],
    ),
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
