// The CLI never prints a tool call it could not read as the answer: after the model's one
// correction turn the run fails, the CLI says why and how to fix the server, and exits 1.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startScriptedServer, type ScriptStep } from '../../support/scripted-server';
import { runCli } from '../../support/run-cli';

const CUT_OFF = 'Let me look that up.<｜tool▁calls▁begin｜>get_weather';
const streamed = (text: string): ScriptStep[] => [{ kind: 'text', text: text.slice(0, 30) }, { kind: 'text', text: text.slice(30) }];

test('glassbox ask: a call the model wrote but nobody could read, twice, exits 1 with the fix, not 0 with raw tokens', async (t) => {
  const server = await startScriptedServer([streamed(CUT_OFF), streamed(CUT_OFF)]);
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-cli-unread-'));
  t.after(async () => {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  });
  const result = await runCli(['ask', 'What is the weather in Paris?', '--base-url', server.baseURL, '--model', 'scripted-model', '--tool-calls', 'prompt'], {
    cwd: workspace,
    env: { GLASSBOX_STATE_DIR: join(workspace, '.state') },
  });
  assert.equal(result.code, 1, result.stderr);
  assert.equal(server.requests.length, 2);
  assert.match(result.stderr, /could not be read.*twice in a row/s);
  assert.match(result.stderr, /--jinja/);
  assert.ok(!result.stdout.includes('｜tool'), result.stdout);
});
