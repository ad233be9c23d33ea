/**
 * --allow-command through the built CLI and the scripted model server (issue 24): `echo hi` runs
 * unasked, while a line that also runs something else, or writes into .git/, still asks (and,
 * with no terminal to ask on, is refused), each part named with the rule that matched it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startScriptedServer, textTurn, toolCallTurn } from '../../support/scripted-server';
import { runCli } from '../../support/run-cli';
import { cliPath } from '../../support/paths';

interface Event {
  readonly type: string;
  readonly callId?: string;
  readonly decision?: string;
  readonly reason?: string;
  readonly ok?: boolean;
  readonly output?: string;
  readonly request?: { readonly reasons: readonly string[]; readonly needsPerson: boolean; readonly commandParts?: readonly { text: string; verdict: string; why: string }[] };
}

test('--allow-command "echo" lets `echo hi` run unasked; a chain, a substitution and a write into .git/ still ask', async (t) => {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: run npm run build`);
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-cli-rules-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'glassbox-cli-rules-state-'));
  t.after(() => {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });
  mkdirSync(join(workspace, '.git'));
  writeFileSync(join(workspace, '.git/config'), '[core]\n');
  writeFileSync(join(workspace, 'x'), 'keep me\n');

  const lines = ['echo hi', 'echo hi && rm x', 'echo $(rm x)', 'echo hi > .git/config'];
  const server = await startScriptedServer([
    ...lines.map((command, i) => toolCallTurn({ name: 'run_command', args: { command }, id: `c${i}` })),
    textTurn('Done.'),
  ]);
  t.after(() => server.close());

  const run = await runCli(
    ['ask', 'Say hi', '--base-url', server.baseURL, '--approve', 'deny', '--allow-command', 'echo', '--jsonl', '--no-checkpoints'],
    { cwd: workspace, env: { GLASSBOX_STATE_DIR: stateDir } },
  );
  assert.equal(run.code, 0, run.stderr);
  const events = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Event);
  const of = (callId: string) => events.filter((event) => event.callId === callId);

  // echo hi: decided by the rule, without a question, and it ran.
  const echo = of('c0');
  assert.equal(echo.some(({ type }) => type === 'approval-requested'), false);
  const auto = echo.find(({ type }) => type === 'approval-decided');
  assert.equal(auto?.decision, 'auto');
  assert.match(auto?.reason ?? '', /every command it runs is allowed: echo hi \(allow: echo\)/);
  const ran = echo.find(({ type }) => type === 'tool-result');
  assert.ok(ran?.ok && /\bhi\b/.test(ran.output ?? ''), ran?.output);

  // The others were asked about (and refused: --approve deny), naming each part and its rule.
  const expectedParts = {
    c1: [['echo hi', 'allowed', 'allow: echo'], ['rm x', 'unmatched', 'no rule matches']],
    // The substitution runs first; echo's argument is known only then, which its prefix rule allows.
    c2: [['rm x', 'unmatched', 'no rule matches'], ['echo …', 'allowed', 'allow: echo']],
  };
  for (const [callId, parts] of Object.entries(expectedParts)) {
    const asked = of(callId).find(({ type }) => type === 'approval-requested');
    assert.ok(asked, `${callId} was not asked about`);
    assert.deepEqual(asked.request?.commandParts?.map(({ text, verdict, why }) => [text, verdict, why]), parts);
    assert.equal(of(callId).find(({ type }) => type === 'approval-decided')?.decision, 'deny');
  }
  const git = of('c3').find(({ type }) => type === 'approval-requested');
  assert.ok(git?.request?.needsPerson, 'a write into .git/ needs a person');
  assert.ok(git.request.reasons.some((reason) => reason.includes('.git/config')), git.request.reasons.join('\n'));

  assert.equal(readFileSync(join(workspace, 'x'), 'utf8'), 'keep me\n');
  assert.equal(readFileSync(join(workspace, '.git/config'), 'utf8'), '[core]\n');
});
