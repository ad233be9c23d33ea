/**
 * A whole run inside the real extension host: the core loop with the real tools over
 * VscodeWorkspaceFs and VS Code's own ripgrep (createHostSearcher), talking through the openai
 * SDK to the scripted server. Checks the events a person would see in the trace, the approval
 * path for a write and for a sensitive read (.env), that a link leading outside is refused,
 * and that neither the outside file nor the .env secret ever reaches the model.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApprovalRequest } from '../../../src/agent/tool';
import type { AgentEvent } from '../../../src/agent/events';
import { silentLogger } from '../../../src/agent/logger';
import { OpenAIModel } from '../../../src/agent/model/openai-model';
import { runAgent } from '../../../src/agent/loop/run-agent';
import { createHostSearcher } from '../../../src/host/workspace/host-searcher';
import { VscodeWorkspaceFs } from '../../../src/host/workspace/vscode-workspace-fs';
import { createTools } from '../../../src/tools';
import { startScriptedServer, type ScriptedServer } from '../../support/scripted-server';
import { e2eEnv } from './env';

describe('a run in the extension host', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('streams the events of read, refused-link, sensitive-read and approved-write steps, ending once', async () => {
    server = await startScriptedServer([
      [
        { kind: 'text', text: 'Reading the project.' },
        {
          kind: 'tool-calls',
          calls: [
            { name: 'read_file', args: { path: 'README.md' } },
            { name: 'read_file', args: { path: 'outside-link.txt' } },
            { name: 'read_file', args: { path: '.env' } },
            { name: 'list_files', args: {} },
          ],
        },
      ],
      [{ kind: 'tool-calls', calls: [{ name: 'write_file', args: { path: 'notes/agent.txt', content: 'written through vscode.workspace.fs\n' } }] }],
      [{ kind: 'text', text: 'Done: I read the README and wrote notes/agent.txt.' }],
    ]);
    const fs = new VscodeWorkspaceFs();
    const asked: ApprovalRequest[] = [];
    const events: AgentEvent[] = [];
    for await (const event of runAgent({
      model: new OpenAIModel({ baseURL: server.baseURL, apiKey: 'test-key', model: 'scripted-model' }),
      tools: createTools({ searcher: await createHostSearcher(fs, silentLogger) }),
      fs,
      task: 'Summarise the project and leave a note.',
      approve: async (request) => {
        asked.push(request);
        // A person allows the write and refuses to show the .env file.
        return request.tool === 'write_file' ? { kind: 'allow-once' } : { kind: 'deny', reason: 'not the secrets' };
      },
    })) {
      events.push(event);
    }

    const types = events.map((event) => event.type);
    assert.equal(types[0], 'run-start');
    assert.equal(types.filter((type) => type === 'run-end').length, 1, 'exactly one run-end');
    assert.equal(types.at(-1), 'run-end');
    const end = events.at(-1) as Extract<AgentEvent, { type: 'run-end' }>;
    assert.equal(end.reason, 'answered', JSON.stringify(end));
    assert.match(end.answer, /wrote notes\/agent\.txt/);
    assert.deepEqual(
      events.map((event) => event.seq),
      events.map((_, index) => index),
      'seq numbers run 0, 1, 2, … without gaps',
    );

    const results = new Map<string, Extract<AgentEvent, { type: 'tool-result' }>>();
    const calls = events.filter((event): event is Extract<AgentEvent, { type: 'tool-call' }> => event.type === 'tool-call');
    for (const event of events) if (event.type === 'tool-result') results.set(event.callId, event);
    const resultFor = (tool: string, path?: string) => {
      const call = calls.find((c) => c.tool === tool && (path === undefined || (c.args as { path?: string }).path === path));
      assert.ok(call, `no ${tool} call for ${path}`);
      const result = results.get(call.callId);
      assert.ok(result, `no result for ${tool} ${path}`);
      return result;
    };
    assert.equal(resultFor('read_file', 'README.md').ok, true);
    assert.match(resultFor('read_file', 'README.md').output, /Sample project/);
    assert.equal(resultFor('read_file', 'outside-link.txt').ok, false);
    assert.match(resultFor('read_file', 'outside-link.txt').output, /symbolic link/);
    assert.equal(resultFor('read_file', '.env').failure, 'denied');
    assert.equal(resultFor('list_files').ok, true);
    assert.match(resultFor('list_files').output, /src\/math\.ts/);
    assert.equal(resultFor('write_file', 'notes/agent.txt').ok, true);

    assert.deepEqual(asked.map((request) => request.tool).sort(), ['read_file', 'write_file'], 'asked for the .env read and the write');
    const decided = events.filter((event) => event.type === 'approval-decided').map((event) => event.decision);
    assert.ok(decided.includes('allow-once') && decided.includes('deny'), decided.join(', '));

    const root = e2eEnv('GLASSBOX_E2E_WORKSPACE');
    assert.equal(readFileSync(join(root, 'notes/agent.txt'), 'utf8'), 'written through vscode.workspace.fs\n');

    assert.equal(server.requests.length, 3);
    const sent = JSON.stringify(server.requests);
    assert.ok(!sent.includes('outside-the-workspace'), 'the file behind the outside link reached the model');
    assert.ok(!sent.includes('sk-e2e-fake'), 'the .env secret reached the model');
    assert.match(sent, /A calculator library|Sample project/, 'the README did reach the model');
  });
});
