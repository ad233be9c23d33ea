// Builds everything the extension, the CLI and the tests need, with esbuild.
//   dist/extension.js   the extension (cjs, node, `vscode` external)
//   dist/cli.js         the headless `glassbox` CLI
//   dist/tokenizer.js   the BPE tokenizer, loaded lazily (it is large; most runs get usage from the API)
//   dist/*.wasm         web-tree-sitter and its bash grammar, for the command rules, loaded lazily
//   dist/webview/*.js   webview bundles (browser)
//   dist-test/          src and test transpiled file by file, for node --test, mocha and benchmarks
// --production (npm run package, npm pack): minified bundles without source maps, and no dist-test/
// (so packaging never pulls the test build out from under a running test).
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, rmSync, statSync, existsSync, chmodSync, mkdirSync, copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const production = process.argv.includes('--production');
const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function filesUnder(dir, pattern) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, pattern));
    else if (pattern.test(name)) out.push(path);
  }
  return out;
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // The tokenizer is large: keep it in its own file, required only when an estimate is needed.
  external: ['vscode', './tokenizer'],
};

// --clean (npm run build) starts from nothing; without it, builds running side by side
// (several terminals, a watcher) do not pull files out from under each other's tests.
if (process.argv.includes('--clean')) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  if (!production) rmSync(join(root, 'dist-test'), { recursive: true, force: true });
}

const bundles = [
  { entry: 'src/extension.ts', outfile: 'dist/extension.js' },
  {
    entry: 'src/cli/main.ts',
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    define: { GLASSBOX_VERSION: JSON.stringify(version) },
  },
  { entry: 'src/agent/model/tokenizer.ts', outfile: 'dist/tokenizer.js', external: [] },
];
const builds = bundles.filter(({ entry }) => existsSync(join(root, entry))).map(({ entry, outfile, ...overrides }) =>
  esbuild.build({ ...common, ...overrides, entryPoints: [join(root, entry)], outfile: join(root, outfile) }),
);

const webviewEntries = filesUnder(join(root, 'src/webview'), /^[a-z-]+-main\.ts$/);
if (webviewEntries.length > 0) {
  builds.push(
    esbuild.build({
      // src/webview/chat-main.ts → dist/webview/chat.js (the name the host's HTML loads).
      entryPoints: Object.fromEntries(webviewEntries.map((path) => [basename(path).replace(/-main\.ts$/, ''), path])),
      outdir: join(root, 'dist/webview'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: true,
      sourcemap: production ? false : 'linked',
      logLevel: 'warning',
      metafile: true,
      // Licence notices of bundled packages go to dist/webview/<name>.js.LEGAL.txt (shipped beside
      // the bundle) and the text is kept as UTF-8, not \u escapes: both count against the 150 KB budget.
      legalComments: 'external',
      charset: 'utf8',
      // markdown-it decodes named entities (&rarr;) with the `entities` package's 20 KB table and
      // converts host names with punycode.js; the browser already knows both, so the webviews
      // use small stand-ins built on DOMParser and URL (keeps both bundles under 150 KB).
      alias: { entities: join(root, 'src/webview/html-entities.ts'), 'punycode.js': join(root, 'src/webview/host-names.ts') },
    }),
  );
}

// Codicons for the webviews: their HTML links media/codicon.css, which loads codicon.ttf beside it.
const codicons = join(root, 'node_modules/@vscode/codicons/dist');
if (existsSync(codicons)) {
  mkdirSync(join(root, 'media'), { recursive: true });
  for (const name of ['codicon.css', 'codicon.ttf']) copyFileSync(join(codicons, name), join(root, 'media', name));
}

// The shell parser (tree-sitter-bash through web-tree-sitter, src/agent/safety/bash-parser.ts)
// loads its wasm by path from beside the bundle, on the first command it reads.
const treeSitter = join(root, 'node_modules/@vscode/tree-sitter-wasm/wasm');
mkdirSync(join(root, 'dist'), { recursive: true });
for (const name of ['tree-sitter.wasm', 'tree-sitter-bash.wasm']) copyFileSync(join(treeSitter, name), join(root, 'dist', name));

// Tests and benchmarks: transpiled one file at a time so they import src modules directly.
const testSources = [
  // Webview entry points need a browser; their pure modules (view models, range math) are unit-tested.
  ...filesUnder(join(root, 'src'), /\.ts$/).filter((p) => !/\/webview\/[a-z-]+-main\.ts$/.test(p)),
  ...filesUnder(join(root, 'test'), /\.ts$/),
];
if (!production) {
  builds.push(
    esbuild.build({
      entryPoints: testSources,
      outdir: join(root, 'dist-test'),
      outbase: root,
      bundle: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'warning',
    }),
  );
}

await Promise.all(builds);
if (existsSync(join(root, 'dist/cli.js'))) chmodSync(join(root, 'dist/cli.js'), 0o755);
