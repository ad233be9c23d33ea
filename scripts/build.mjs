// Builds everything the extension, the CLI and the tests need, with esbuild.
//   dist/extension.js   the extension (cjs, node, `vscode` external)
//   dist/cli.js         the headless `glassbox` CLI
//   dist/tokenizer.js   the BPE tokenizer, loaded lazily (it is large; most runs get usage from the API)
//   dist/webview/*.js   webview bundles (browser)
//   dist-test/          src and test transpiled file by file, for node --test, mocha and benchmarks
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const root = new URL('..', import.meta.url).pathname;

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
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  // The tokenizer is large: keep it in its own file, required only when an estimate is needed.
  external: ['vscode', './tokenizer'],
};

// --clean (npm run build) starts from nothing; without it, builds running side by side
// (several terminals, a watcher) do not pull files out from under each other's tests.
if (process.argv.includes('--clean')) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  rmSync(join(root, 'dist-test'), { recursive: true, force: true });
}

const bundles = [
  { entry: 'src/extension.ts', outfile: 'dist/extension.js' },
  { entry: 'src/cli/main.ts', outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entry: 'src/agent/tokenizer.ts', outfile: 'dist/tokenizer.js', external: [] },
];
const builds = bundles.filter(({ entry }) => existsSync(join(root, entry))).map(({ entry, outfile, ...overrides }) =>
  esbuild.build({ ...common, ...overrides, entryPoints: [join(root, entry)], outfile: join(root, outfile) }),
);

const webviewEntries = filesUnder(join(root, 'src/webview'), /^[a-z-]+-main\.ts$/);
if (webviewEntries.length > 0) {
  builds.push(
    esbuild.build({
      entryPoints: webviewEntries,
      outdir: join(root, 'dist/webview'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: true,
      sourcemap: production ? false : 'linked',
      logLevel: 'warning',
      metafile: true,
    }),
  );
}

// Tests and benchmarks: transpiled one file at a time so they import src modules directly.
const testSources = [
  ...filesUnder(join(root, 'src'), /\.ts$/).filter((p) => !p.includes('/webview/')),
  ...filesUnder(join(root, 'test'), /\.ts$/),
];
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

await Promise.all(builds);
if (existsSync(join(root, 'dist/cli.js'))) chmodSync(join(root, 'dist/cli.js'), 0o755);
