// Layers are folders; lint keeps them apart (test/unit/architecture/lint-layers.test.ts proves each rule):
//   src/agent    the core, the bottom layer: plain Node; imports nothing from shared/, tools/, host/, cli/, webview/ or vscode
//                its top-level files (events.ts, tool.ts, errors.ts, format.ts, …) are the contracts the rooms
//                (loop/, model/, safety/, …) share: they import only each other, never a room
//   src/tools    one tool a file: plain Node; imports the core (and src/shared), never host/, cli/, webview/
//   src/cli      the headless CLI: plain Node; never host/, webview/ or vscode
//   src/shared   what the host, the CLI and the webviews share on top of the core (protocol, …): never vscode, host/, cli/, tools/, webview/
//   src/webview  browser code: no vscode, no Node built-ins, only `import type` from agent/ and shared/protocol,
//                except agent/format.ts (values: a leaf that imports nothing, so no core code follows it into a bundle)
//   src/host + src/extension.ts   the only VS Code wiring
import tseslint from 'typescript-eslint';

const vscodePath = (message) => ({ name: 'vscode', message });
const layer = (group, message, extra = {}) => ({ group, message, ...extra });

const NO_VSCODE = vscodePath('The core runs in plain Node: only src/extension.ts and src/host may import vscode.');
const HOST = layer(['**/host', '**/host/**', '**/extension'], 'Only the VS Code wiring (src/host, src/extension.ts) depends on the host.');
const CLI = layer(['**/cli', '**/cli/**'], 'The CLI is an entry point: nothing imports it.');
const WEBVIEW = layer(['**/webview', '**/webview/**'], 'Webview bundles run in a browser; share code through src/shared.');
const TOOLS = layer(['**/tools', '**/tools/**'], 'The core is given its tools (RunOptions.tools); it never imports them.');
// Relative paths only: packages have folders named shared too (@modelcontextprotocol/sdk/shared/…).
const SHARED = { regex: '^\\.[./]*/(?:.*/)?shared(?:/|$)', message: 'The core is the bottom layer: src/shared builds on it, never the other way round.' };
// A relative import into a subfolder: from src/agent/*.ts, that is a room (loop/, model/, safety/, …).
const ROOM = { regex: '^\\./[^/]+/', message: 'Contracts are leaves: src/agent/*.ts import only each other (and packages), never a room.' };
const ANYTHING = { regex: '.', message: 'format.ts is the one core file webviews may import values from: it stays a leaf that imports nothing.' };

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
  { files: ['src/agent/**/*.ts'], rules: restrict([NO_VSCODE], [HOST, CLI, WEBVIEW, TOOLS, SHARED]) },
  { files: ['src/agent/*.ts'], rules: restrict([NO_VSCODE], [HOST, CLI, WEBVIEW, TOOLS, SHARED, ROOM]) },
  { files: ['src/agent/format.ts'], rules: restrict([NO_VSCODE], [ANYTHING]) },
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
        // (No bare '**/agent': gitignore rules cannot re-include a file whose folder is excluded.)
        layer(['**/agent/**', '!**/agent/format', '**/shared/protocol'], 'Webviews take only types from the core and the protocol: use `import type`.', {
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
