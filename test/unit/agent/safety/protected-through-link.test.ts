/**
 * A link inside the workspace must not launder a protected or sensitive path: the approval
 * rules judge where a path really leads, not how it is spelled.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ApprovalRequest } from '../../../../src/agent/tool';
import { readFile } from '../../../../src/tools/read-file';
import { writeFile } from '../../../../src/tools/write-file';
import { runScripted, toolReply } from '../../../support/agent-harness';
import { textTurn, toolCallTurn } from '../../../support/scripted-server';

test('writing .vscode/tasks.json through a link (cfg -> .vscode) is a protected write: auto-approval does not skip it', async (t) => {
  const asked: ApprovalRequest[] = [];
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-link-'));
  t.after(() => rmSync(workspace, { recursive: true, force: true }));
  const run = await runScripted(
    [toolCallTurn('write_file', { path: 'cfg/tasks.json', content: '{"tasks":[]}' }), textTurn('ok')],
    {
      tools: [writeFile()],
      approvalSettings: { autoApprove: { read: true, write: true, execute: true, network: true } },
      prepare: (ws) => {
        mkdirSync(join(ws, '.vscode'));
        symlinkSync('.vscode', join(ws, 'cfg'));
      },
      approve: async (request) => {
        asked.push(request);
        return { kind: 'deny' };
      },
      keepWorkspace: workspace,
    },
  );
  assert.equal(asked.length, 1, 'a person was asked');
  assert.deepEqual(asked[0].protectedPaths, ['.vscode/tasks.json']);
  assert.equal(asked[0].needsPerson, true);
  assert.match(toolReply(run.server, 1), /declined/);
  assert.equal(existsSync(join(workspace, '.vscode', 'tasks.json')), false);
});

test('reading .env through a link is a sensitive read: it asks first', async () => {
  const asked: ApprovalRequest[] = [];
  const run = await runScripted([toolCallTurn('read_file', { path: 'settings.txt' }), textTurn('ok')], {
    tools: [readFile],
    prepare: (ws) => {
      writeFileSync(join(ws, '.env'), 'DB_PASSWORD=hunter2hunter2\n');
      symlinkSync('.env', join(ws, 'settings.txt'));
    },
    approve: async (request) => {
      asked.push(request);
      return { kind: 'deny' };
    },
  });
  assert.deepEqual(asked[0]?.sensitivePaths, ['.env']);
  assert.doesNotMatch(toolReply(run.server, 1), /hunter2/);
});
