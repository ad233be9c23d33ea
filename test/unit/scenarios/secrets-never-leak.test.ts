/**
 * Secrets never leak, whatever path they take: tool errors and previews, approval events,
 * streamed text, search hits and listings, child processes, encodings of the agent's own key,
 * decorated lines, and formats beyond the common ones.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseCommandLine } from '../../../src/cli/args';
import type { ApprovalRequest } from '../../../src/agent/tool';
import { forgetCredentials, registerCredential, withoutCredentials } from '../../../src/agent/safety/known-credentials';
import { redactSecrets } from '../../../src/agent/safety/redact';
import { StreamRedactor } from '../../../src/agent/safety/stream-redactor';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import { NodeSearcher } from '../../../src/agent/workspace/search/node-searcher';
import { RipgrepSearcher } from '../../../src/agent/workspace/search/ripgrep-searcher';
import { editFile } from '../../../src/tools/edit-file';
import { listFiles } from '../../../src/tools/list-files';
import { runCommand } from '../../../src/tools/run-command';
import { searchText } from '../../../src/tools/search-text';
import { writeFile } from '../../../src/tools/write-file';
import { runScripted, toolReply } from '../../support/agent-harness';
import { text, textTurn, toolCallTurn } from '../../support/scripted-server';
import { requireRipgrep } from '../../support/workspace-fixture';

after(() => forgetCredentials());

const ENV_FILE = 'DB_HOST=db.internal\nDB_PASSWORD=hunter2-Correct-Horse-42\nAPI_TOKEN=tok-8f3a9c1e77d24b\n';

test('a near miss in edit_file on .env under --approve deny tells the model nothing of the file', async () => {
  const run = await runScripted(
    [toolCallTurn('edit_file', { path: '.env', old_text: 'DB_PASSWORD=hunter2-Correct-Horse-43\nAPI_TOKEN=tok', new_text: 'x' }), textTurn('ok')],
    {
      tools: [editFile()],
      prepare: (ws) => writeFileSync(join(ws, '.env'), ENV_FILE),
      approve: async () => ({ kind: 'deny', reason: 'risky calls are denied (--approve deny)' }),
    },
  );
  const reply = toolReply(run.server, 1);
  assert.doesNotMatch(reply, /hunter2|tok-8f3a|db\.internal/);
  assert.match(reply, /\.env.*may hold secrets/);
  // The model's own arguments hold its guess; nothing the file alone holds shows anywhere.
  for (const event of run.events) assert.doesNotMatch(JSON.stringify(event), /tok-8f3a9c1e|db\.internal/);
  for (const event of run.of('tool-result')) assert.doesNotMatch(event.output, /hunter2/);
});

test('approval-requested events carry the request redacted; the person is shown it whole', async () => {
  const seen: ApprovalRequest[] = [];
  const run = await runScripted(
    [toolCallTurn('write_file', { path: 'config/app.env', content: 'DB_PASSWORD=s3cr3t-New-Value-99\n' }), textTurn('done')],
    {
      tools: [writeFile()],
      prepare: (ws) => {
        rmSync(join(ws, 'config'), { recursive: true, force: true });
        writeFileSync(join(ws, 'app.txt'), 'x');
      },
      approvalSettings: { sensitivePaths: ['config/**'] },
      approve: async (request) => (seen.push(request), { kind: 'allow-once' }),
    },
  );
  const [event] = run.of('approval-requested');
  assert.ok(event, 'a person was asked');
  assert.doesNotMatch(JSON.stringify(event), /s3cr3t-New-Value-99/);
  assert.match(event.request.preview.diff?.after ?? '', /DB_PASSWORD=\[redacted:secret\]/);
  assert.match(seen[0].preview.diff?.after ?? '', /s3cr3t-New-Value-99/);
});

test('a secret streamed across text deltas never appears in a text-delta event', async () => {
  const run = await runScripted([[text('Here it is:\nDB_PASS'), text('WORD=hunter2-'), text('Correct-Horse-42\nand an '), text('sk-proj-abc123DEF456ghi789JKL0'), text('12mnoPQR and more')]]);
  const streamed = run.of('text-delta').map((e) => e.text);
  for (const delta of streamed) assert.doesNotMatch(delta, /hunter2|abc123DEF456/);
  const joined = streamed.join('');
  assert.match(joined, /DB_PASSWORD=\[redacted:secret\]/);
  assert.match(joined, /\[redacted:openai-key\]/);
  assert.match(joined, /and more$/);
});

test('the stream redactor releases ordinary text word by word and holds only what may be a secret', () => {
  const redactor = new StreamRedactor();
  assert.equal(redactor.push('Hello wor'), 'Hello ');
  // A line naming a secret is held whole until it ends: its value may come in a later piece.
  assert.equal(redactor.push('ld, password'), '');
  assert.equal(redactor.push(' = "a b c" ok'), '');
  assert.equal(redactor.push('\n'), 'world, password = "[redacted:secret]" ok\n');
  assert.equal(redactor.push('-----BEGIN PRIVATE KEY-----\nMIIEv'), '');
  assert.equal(redactor.push('QIBADANBg\n-----END PRIVATE KEY-----\nafter '), '[redacted:private-key]\nafter ');
  assert.equal(redactor.flush(), '');
});

test('lines decorated with line numbers, paths, diff marks or list dashes are redacted like bare ones', () => {
  for (const line of [
    '2| DB_PASSWORD=hunter2-Correct-Horse-42',
    '  12\tDB_PASSWORD=hunter2-Correct-Horse-42',
    'config/.env:3: DB_PASSWORD=hunter2-Correct-Horse-42',
    '+DB_PASSWORD=hunter2-Correct-Horse-42',
    '  - password: hunter2-Correct-Horse-42',
    '   4 |   export DB_PASSWORD=hunter2-Correct-Horse-42',
  ]) {
    assert.doesNotMatch(redactSecrets(`first line\n${line}\nlast`).text, /hunter2/, line);
  }
  // Code stays code.
  assert.equal(redactSecrets('if (x) password = readPassword();').text, 'if (x) password = readPassword();');
});

test('formats from the maintained token list are recognised', () => {
  const secrets: [string, string][] = [
    ['yaml', 'spring:\n  datasource:\n    password: Sup3rSecretDbPw'],
    ['azure', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXcVbNm==;EndpointSuffix=core.windows.net'],
    ['sql', 'Server=db;Database=app;User Id=sa;Password=Pa55w0rdXyz;'],
    ['slack webhook', 'curl https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFG/abcdefghijklmnopqrstuvwx'],
    ['discord webhook', 'https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789'],
    ['url token', 'GET https://api.example.com/v1/items?access_token=9f8e7d6c5b4a3210fedc'],
    ['groq', 'gsk_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4'],
    ['digitalocean', 'dop_v1_' + 'ab12'.repeat(16)],
    ['sendgrid', 'SG.' + 'aB3dE6gH9jK2mN5pQ8rS1t' + '.' + 'uV4wX7yZ0aB3dE6gH9jK2mN5pQ8rS1tU4vW7xY0zaBc'],
    ['kubeconfig', 'users:\n- name: admin\n  user:\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB'],
    ['vault', 'VAULT=hvs.CAESIJ' + 'x'.repeat(20) + '9'],
  ];
  for (const [kind, input] of secrets) {
    const out = redactSecrets(input);
    assert.ok(out.count > 0 && out.text.includes('[redacted:'), `${kind}: ${out.text}`);
  }
  const secretParts = ['Sup3rSecretDbPw', 'q1w2E3r4', 'Pa55w0rdXyz', 'abcdefghijklmnopqrstuvwx', '9f8e7d6c5b4a', 'LS0tLS1CRUdJTiBSU0E'];
  const all = redactSecrets(secrets.map(([, s]) => s).join('\n')).text;
  for (const part of secretParts) assert.ok(!all.includes(part), part);
});

test('the agent\'s own key is redacted reversed, in hex and in wrapped base64, and kept from commands', async () => {
  const key = 'sk-proj-Zq8LmN3vXc7BtR2pWk5YhJ9dGf4SaE6u';
  registerCredential(key);
  const reversed = [...key].reverse().join('');
  const base64 = Buffer.from(`OPENAI_API_KEY=${key}\n`).toString('base64').replace(/.{20}/g, '$&\n');
  for (const spelling of [key, reversed, Buffer.from(key).toString('hex'), base64]) {
    assert.ok(!redactSecrets(`out: ${spelling} end`).text.includes(spelling.replace(/\n/g, '').slice(8, 30)), spelling);
  }
  const env = withoutCredentials({ PATH: '/bin', OPENAI_API_KEY: key, GLASSBOX_API_KEY: key, MY_COPY: `Bearer ${key}`, HOME: '/h' });
  assert.deepEqual(Object.keys(env).sort(), ['HOME', 'PATH']);

  // And through a real command: the variable the key came from is not there to print.
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-env-'));
  const saved = { OPENAI_API_KEY: process.env.OPENAI_API_KEY, SOME_OTHER: process.env.SOME_OTHER };
  process.env.OPENAI_API_KEY = key;
  process.env.SOME_OTHER = key;
  try {
    const fs = new NodeWorkspaceFs([workspace]);
    const ctx = { fs, signal: new AbortController().signal, log: console, runId: 'r', callId: 'c' } as never;
    const result = (await runCommand.execute({ command: 'printenv OPENAI_API_KEY; printenv SOME_OTHER; echo done', timeout_ms: 10_000 }, ctx)) as { output: string };
    assert.doesNotMatch(result.output, /Zq8LmN3v/);
    assert.match(result.output, /done/);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(workspace, { recursive: true, force: true });
  }
});

for (const engine of ['node', 'ripgrep'] as const) {
  test(`search_text and list_files leave sensitive files out (${engine})`, async (t) => {
    const workspace = mkdtempSync(join(tmpdir(), 'glassbox-sens-'));
    t.after(() => rmSync(workspace, { recursive: true, force: true }));
    writeFileSync(join(workspace, 'server.key'), 'MARKER private material\n');
    writeFileSync(join(workspace, 'id_rsa_deploy'), 'MARKER deploy key\n');
    writeFileSync(join(workspace, 'notes.txt'), 'MARKER in notes\n');
    writeFileSync(join(workspace, 'vault.yml'), 'MARKER vault\n');
    const fs = new NodeWorkspaceFs([workspace]);
    const searcher = engine === 'node' ? new NodeSearcher(fs) : new RipgrepSearcher(fs, await requireRipgrep());
    const ctx = { fs, signal: new AbortController().signal, log: console, runId: 'r', callId: 'c' } as never;
    const rules = { sensitivePaths: ['vault.yml'] };
    const hits = (await searchText(searcher, rules).execute({ pattern: 'MARKER', regex: false, case_sensitive: false, max_results: 100 }, ctx)) as { output: string };
    assert.match(hits.output, /notes\.txt:1: MARKER in notes/);
    assert.doesNotMatch(hits.output, /private material|deploy key|server\.key|id_rsa|vault/);
    assert.match(hits.output, /3 sensitive files .* not shown/);
    const listing = (await listFiles(searcher, rules).execute({ max_results: 100 }, ctx)) as string;
    assert.match(listing, /^1 file:\nnotes\.txt\n\[3 sensitive files .* not listed\.\]$/);
  });
}

test('an empty GLASSBOX_API_KEY counts as unset', () => {
  const command = parseCommandLine(['ask', 'hi'], { GLASSBOX_API_KEY: '', OPENAI_API_KEY: 'sk-from-openai-variable' }, false);
  assert.equal(command.command === 'ask' && command.apiKey, 'sk-from-openai-variable');
  const blank = parseCommandLine(['ask', 'hi'], { GLASSBOX_API_KEY: '  ' }, false);
  assert.equal(blank.command === 'ask' && blank.apiKey, undefined);
});
