/**
 * `glassbox changes` as a user runs it (the built dist/cli.js) after a real run against the
 * scripted server: the files the run changed (modified, created, deleted, binary), `--diff`
 * with unified diffs, `--run ID` for an earlier run, `--jsonl`, and an unknown run refused.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startScriptedServer, textTurn, toolCallTurn } from '../../support/scripted-server';
import { runCli, type ProcessResult } from '../../support/run-cli';
import { cliPath } from '../../support/paths';

const EDIT_APP = "printf 'export const a = 10;\\nexport const b = 2;\\nexport const c = 3;\\n' > src/app.ts";
let workspace: string;
let stateDir: string;

before(() => {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: run npm run build`);
  workspace = mkdtempSync(join(tmpdir(), 'glassbox-cli-changes-'));
  stateDir = mkdtempSync(join(tmpdir(), 'glassbox-cli-changes-state-'));
  mkdirSync(join(workspace, 'src'));
  writeFileSync(join(workspace, 'src/app.ts'), 'export const a = 1;\nexport const b = 2;\n');
  writeFileSync(join(workspace, 'OLD.md'), 'old notes\n');
  writeFileSync(join(workspace, 'logo.bin'), Buffer.from([1, 0, 2]));
});
after(() => {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<ProcessResult> {
  return runCli(args, { cwd: workspace, env: { GLASSBOX_STATE_DIR: stateDir } });
}

async function runOnce(turns: Parameters<typeof startScriptedServer>[0]): Promise<string> {
  const server = await startScriptedServer(turns);
  try {
    const run = await cli(['ask', 'Change things', '--base-url', server.baseURL, '--approve', 'allow', '--jsonl']);
    assert.equal(run.code, 0, run.stderr);
    const start = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; runId: string }).find((event) => event.type === 'run-start');
    assert.ok(start);
    return start.runId;
  } finally {
    await server.close();
  }
}

test('glassbox changes lists what the last run changed, with --diff, --run and --jsonl', async () => {
  const first = await runOnce([
    // One command (a second tool call would follow the first one's output, and be asked about).
    toolCallTurn({ name: 'run_command', args: { command: `${EDIT_APP} && rm OLD.md && printf "\\001\\000\\003" > logo.bin && echo hi > NEW.txt` }, id: 'c1' }),
    textTurn('Done.'),
  ]);

  const listed = await cli(['changes']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(`^Run ${first}: 4 files changed since checkpoint \\S+ \\(before run_command: printf .*\\)\\n`));
  assert.match(listed.stdout, /\n {2}created {3}NEW\.txt {2}\+1\n/);
  assert.match(listed.stdout, /\n {2}deleted {3}OLD\.md {2}−1\n/);
  assert.match(listed.stdout, /\n {2}modified {2}logo\.bin {2}binary\n/);
  assert.match(listed.stdout, /\n {2}modified {2}src\/app\.ts {2}\+2 −1\n/);
  assert.match(listed.stderr, /Undo all of it with: glassbox restore \S+/);

  const diffed = await cli(['changes', '--diff']);
  assert.equal(diffed.code, 0, diffed.stderr);
  assert.match(diffed.stdout, /--- a\/src\/app\.ts\n\+\+\+ b\/src\/app\.ts\n@@ -1,2 \+1,3 @@\n-export const a = 1;\n\+export const a = 10;\n export const b = 2;\n\+export const c = 3;\n/);
  assert.match(diffed.stdout, /--- a\/OLD\.md\n\+\+\+ \/dev\/null\n@@ -1,1 \+0,0 @@\n-old notes\n/);
  assert.match(diffed.stdout, /Binary file logo\.bin differs\n/);

  // A second run: `changes` now means it; --run still reaches the first.
  const second = await runOnce([toolCallTurn({ name: 'write_file', args: { path: 'second.txt', content: 'x\n' }, id: 'w2' }), textTurn('Ok.')]);
  const latest = await cli(['changes', '--jsonl']);
  assert.equal(latest.code, 0, latest.stderr);
  assert.deepEqual(latest.stdout.trim().split('\n').map((line) => JSON.parse(line) as { runId: string; path: string; kind: string }).map(({ runId, path, kind }) => ({ runId, path, kind })), [
    { runId: second, path: 'second.txt', kind: 'created' },
  ]);
  const earlier = await cli(['changes', '--run', first]);
  assert.match(earlier.stdout, /^Run \S+: 5 files changed/);

  const unknown = await cli(['changes', '--run', 'run-nope']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no checkpoint of run run-nope/);
});
