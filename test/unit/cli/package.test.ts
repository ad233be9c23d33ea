/**
 * The CLI installs on its own: `npm pack` gives a tarball whose `glassbox` command works after
 * `npm install -g ./glassbox-*.tgz` on a machine that has nothing else. The install runs with
 * `--offline` and an empty npm cache, so it fails if the package needed anything from the
 * registry (the CLI bundle must be self-contained), into a throw-away prefix.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startScriptedServer, textTurn, toolCallTurn } from '../../support/scripted-server';
import { runProcess } from '../../support/run-cli';
import { repoRoot } from '../../support/paths';

let scratch: string;
let glassbox: string;
let packedFiles: string[];

before(async () => {
  assert.ok(existsSync(join(repoRoot, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build');
  scratch = mkdtempSync(join(tmpdir(), 'glassbox-pack-'));
  // A fresh machine: its own empty npm cache and global prefix, no user npmrc.
  const env = {
    PATH: process.env.PATH,
    HOME: join(scratch, 'home'),
    npm_config_cache: join(scratch, 'npm-cache'),
    npm_config_userconfig: join(scratch, 'npmrc'),
    npm_config_update_notifier: 'false',
  };
  mkdirSync(env.HOME);
  // --ignore-scripts: pack the build under test (prepack would rebuild it while other tests run).
  const pack = await runProcess('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: repoRoot, env });
  assert.equal(pack.code, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  packedFiles = info.files.map((file) => file.path).sort();
  const prefix = join(scratch, 'prefix');
  const install = await runProcess(
    'npm',
    ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(scratch, info.filename)],
    { cwd: scratch, env },
  );
  assert.equal(install.code, 0, `npm install -g of the packed CLI failed:\n${install.stdout}\n${install.stderr}`);
  glassbox = join(prefix, 'bin', 'glassbox');
});
after(() => rmSync(scratch, { recursive: true, force: true }));

test('the packed package holds the CLI bundle and nothing else to run', () => {
  assert.deepEqual(packedFiles, [
    'LICENSE',
    'README.md',
    'dist/cli.js',
    'dist/tokenizer.js',
    'dist/tree-sitter-bash.wasm',
    'dist/tree-sitter.wasm',
    'package.json',
  ]);
});

test('the installed glassbox command prints its help and version', async () => {
  const help = await runProcess(glassbox, ['--help'], { cwd: scratch, env: { PATH: process.env.PATH } });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /glassbox ask/);
  const version = await runProcess(glassbox, ['--version'], { cwd: scratch, env: { PATH: process.env.PATH } });
  assert.equal(version.stdout.trim(), '0.1.0');
});

test('the installed glassbox command answers a question through a tool call', async () => {
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'notes.txt'), 'The launch code word is marmalade.\n');
  const server = await startScriptedServer([toolCallTurn('read_file', { path: 'notes.txt' }), textTurn('The code word is marmalade.')]);
  try {
    const result = await runProcess(glassbox, ['ask', 'What is the code word?', '--base-url', server.baseURL, '--model', 'scripted-model'], {
      cwd: workspace,
      env: { PATH: process.env.PATH, HOME: join(scratch, 'home') },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'The code word is marmalade.\n');
    assert.match(result.stderr, /← read_file ok/);
  } finally {
    await server.close();
  }
  const toolMessage = server.requests[1].messages.find((m) => m.role === 'tool');
  assert.match(String(toolMessage?.content), /marmalade/, 'the model was sent the file the installed CLI read');
});

test('the installed glassbox command reads command lines with its shell parser (the wasm it ships)', async () => {
  const workspace = join(scratch, 'workspace-rules');
  mkdirSync(workspace);
  const server = await startScriptedServer([
    toolCallTurn('run_command', { command: 'echo parsed && echo "by tree-sitter"' }),
    textTurn('Done.'),
  ]);
  try {
    const result = await runProcess(
      glassbox,
      ['ask', 'Echo', '--base-url', server.baseURL, '--model', 'scripted-model', '--approve', 'deny', '--allow-command', 'echo', '--no-checkpoints'],
      { cwd: workspace, env: { PATH: process.env.PATH, HOME: join(scratch, 'home') } },
    );
    assert.equal(result.code, 0, result.stderr);
  } finally {
    await server.close();
  }
  // With --approve deny, only the rules let it run: both parts were read and allowed.
  const toolMessage = server.requests[1].messages.find((m) => m.role === 'tool');
  assert.match(String(toolMessage?.content), /parsed\nby tree-sitter/);
});
