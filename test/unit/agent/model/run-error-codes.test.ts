// The `error` event says what failed as data (a code and the HTTP status), so the chat's
// "Set API Key" button and the CLI's exit code never parse a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { runScripted } from '../../../support/agent-harness';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';
import { OpenAIModel } from '../../../../src/agent/model/openai-model';
import { runAgent } from '../../../../src/agent/loop/run-agent';
import type { AgentEvent } from '../../../../src/agent/events';

for (const [status, code] of [
  [401, 'auth'],
  [403, 'auth'],
  [404, 'not-found'],
  [429, 'rate-limited'],
  [400, 'endpoint'],
] as const) {
  test(`an HTTP ${status} from the endpoint ends the run with error code ${code} and status ${status}`, async () => {
    const failing = { kind: 'error', status, message: `scripted ${status}` } as const;
    // 429 is retried: script it for every attempt.
    const run = await runScripted([[failing], [failing]], { modelOptions: { maxAttempts: 2, retryBaseDelayMs: 1 } });
    const [error] = run.of('error');
    assert.equal(error?.code, code);
    assert.equal(error?.status, status);
    assert.equal(run.end.reason, 'error');
  });
}

test('an endpoint nobody listens on ends the run with error code unreachable and no status', async () => {
  // A port that was free a moment ago: nothing answers on it.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address() as { port: number };
      probe.close(() => resolve(address.port));
    });
  });
  const model = new OpenAIModel({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'test', model: 'm', maxAttempts: 1 });
  const events: AgentEvent[] = [];
  for await (const event of runAgent({ task: 'hi', tools: [], model, fs: new NodeWorkspaceFs([process.cwd()]) })) events.push(event);
  const error = events.find((e) => e.type === 'error');
  assert.ok(error && error.type === 'error');
  assert.equal(error.code, 'unreachable');
  assert.equal(error.status, undefined);
  assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
});
