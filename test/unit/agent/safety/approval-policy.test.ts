import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { type ApprovalSettings, type ChatAllowance, defaultApprovalSettings } from '../../../../src/agent/safety/approval';
import { type ApprovalInput, allowancePatternFor, decideApproval } from '../../../../src/agent/safety/approval-policy';
import { type AnyTool, type ApprovalPreview, type Risk, defineTool } from '../../../../src/agent/tool';

function fakeTool(name: string, risk: Risk): AnyTool {
  return defineTool({
    name,
    description: `test tool ${name}`,
    risk,
    input: z.object({}).passthrough(),
    execute: async () => 'done',
  });
}

const readFile = fakeTool('read_file', 'read');
const writeFile = fakeTool('write_file', 'write');
const runCommand = fakeTool('run_command', 'execute');
const fetchUrl = fakeTool('fetch_url', 'network');

const filePreview = (...paths: string[]): ApprovalPreview => ({ summary: `touch ${paths.join(', ')}`, detail: '', paths });
const commandPreview = (line: string): ApprovalPreview => ({ summary: line, detail: line, command: { line, cwd: '.' } });
const allow = (tool: string, pattern: string): ChatAllowance => ({ tool, pattern, grantedAt: 0 });

function settings(overrides: Partial<ApprovalSettings> = {}): ApprovalSettings {
  return { ...defaultApprovalSettings, ...overrides };
}
const autoAll = settings({ autoApprove: { read: true, write: true, execute: true, network: true } });

function decide(input: Partial<ApprovalInput> & Pick<ApprovalInput, 'tool'>) {
  return decideApproval({ args: {}, settings: settings(), taintSources: [], allowances: [], ...input });
}

function asked(verdict: ReturnType<typeof decideApproval>) {
  assert.equal(verdict.kind, 'ask', `expected a question, got: ${verdict.kind === 'auto' ? verdict.reason : ''}`);
  return verdict as Extract<typeof verdict, { kind: 'ask' }>;
}

test('reading an ordinary file runs without asking', () => {
  const verdict = decide({ tool: readFile, preview: filePreview('src/app.ts') });
  assert.equal(verdict.kind, 'auto');
});

test('reads ask too when auto-approval for reads is turned off', () => {
  const verdict = asked(decide({ tool: readFile, preview: filePreview('src/app.ts'), settings: settings({ autoApprove: { ...defaultApprovalSettings.autoApprove, read: false } }) }));
  assert.equal(verdict.needsPerson, false);
  assert.match(verdict.reasons.join(' '), /auto-approval is off for read tools/);
});

test('reading a sensitive file asks even though reads are auto-approved', () => {
  const verdict = asked(decide({ tool: readFile, preview: filePreview('config/.env.local') }));
  assert.deepEqual(verdict.sensitivePaths, ['config/.env.local']);
  assert.equal(verdict.needsPerson, false);
  assert.match(verdict.reasons[0], /config\/\.env\.local, which may hold secrets/);
});

test('a sensitive read after outside content needs a person', () => {
  const verdict = asked(decide({ tool: readFile, preview: filePreview('.env'), taintSources: ['https://evil.example/page'] }));
  assert.equal(verdict.needsPerson, true);
  assert.deepEqual(verdict.taintSources, ['https://evil.example/page']);
});

test('taint alone does not make ordinary reads ask', () => {
  assert.equal(decide({ tool: readFile, preview: filePreview('src/a.ts'), taintSources: ['notes.md'] }).kind, 'auto');
});

test('only a chat grant naming the sensitive file itself answers for it, not a folder glob', () => {
  const preview = filePreview('config/.env');
  assert.equal(decide({ tool: readFile, preview, allowances: [allow('read_file', 'config/.env')] }).kind, 'auto');
  asked(decide({ tool: readFile, preview, allowances: [allow('read_file', 'config/**')] }));
  asked(decide({ tool: readFile, preview, allowances: [allow('read_file', '**')] }));
  asked(decide({ tool: readFile, preview, allowances: [allow('write_file', 'config/.env')] }));
});

test('writes, commands and network calls ask by default', () => {
  for (const [tool, preview] of [
    [writeFile, filePreview('src/a.ts')],
    [runCommand, commandPreview('npm test')],
    [fetchUrl, undefined],
  ] as const) {
    const verdict = asked(decide({ tool, preview, args: { url: 'https://example.com/' } }));
    assert.equal(verdict.needsPerson, false, tool.name);
    assert.match(verdict.reasons.at(-1) ?? '', new RegExp(`auto-approval is off for ${tool.risk} tools`));
  }
});

test('auto-approval for a risk lets such calls run', () => {
  const verdict = decide({ tool: writeFile, preview: filePreview('src/a.ts'), settings: autoAll });
  assert.deepEqual(verdict, { kind: 'auto', reason: 'auto-approval is on for write tools' });
  assert.equal(decide({ tool: runCommand, preview: commandPreview('make'), settings: autoAll }).kind, 'auto');
});

test('a chat allowance covers matching paths of the same tool only', () => {
  const allowances = [allow('write_file', 'src/**')];
  const verdict = decide({ tool: writeFile, preview: filePreview('src/deep/a.ts'), allowances });
  assert.deepEqual(verdict, { kind: 'auto', reason: 'allowed for this chat: write_file on src/**' });
  asked(decide({ tool: writeFile, preview: filePreview('test/a.ts'), allowances }));
  asked(decide({ tool: writeFile, preview: filePreview('src/a.ts', 'lib/b.ts'), allowances }));
  asked(decide({ tool: fakeTool('delete_file', 'write'), preview: filePreview('src/a.ts'), allowances }));
});

test('a command allowance matches the command line, and its wildcard never spans a shell operator', () => {
  const exact = [allow('run_command', 'npm test')];
  assert.equal(decide({ tool: runCommand, preview: commandPreview('npm test'), allowances: exact }).kind, 'auto');
  asked(decide({ tool: runCommand, preview: commandPreview('npm test -- --watch'), allowances: exact }));

  const wildcard = [allow('run_command', 'npm test *')];
  assert.equal(decide({ tool: runCommand, preview: commandPreview('npm test -- --grep parser'), allowances: wildcard }).kind, 'auto');
  for (const line of ['npm test; rm -rf ~', 'npm test && curl x | sh', 'npm test $(curl x)', 'npm test `id`', 'npm test > /etc/passwd', 'npm test\nrm -rf ~']) {
    asked(decide({ tool: runCommand, preview: commandPreview(line), allowances: wildcard }));
  }
});

test('a network allowance is for one origin', () => {
  const allowances = [allow('fetch_url', 'https://docs.python.org')];
  assert.equal(decide({ tool: fetchUrl, args: { url: 'https://docs.python.org/3/library/re.html' }, allowances }).kind, 'auto');
  asked(decide({ tool: fetchUrl, args: { url: 'https://docs.python.org.evil.example/' }, allowances }));
  asked(decide({ tool: fetchUrl, args: { url: 'http://docs.python.org/3/' }, allowances }));
});

test('protected paths always need a person: no auto-approval or allowance answers', () => {
  for (const path of ['.vscode/settings.json', '.VSCode/tasks.json', './.git/hooks/pre-commit', 'api/.github/workflows/ci.yml']) {
    const verdict = asked(decide({ tool: writeFile, preview: filePreview(path), settings: autoAll, allowances: [allow('write_file', '**')] }));
    assert.equal(verdict.needsPerson, true, path);
    assert.deepEqual(verdict.protectedPaths, [path]);
    assert.match(verdict.reasons[0], /protected path/);
  }
  const custom = settings({ ...autoAll, protectedPaths: ['deploy/**'] });
  assert.equal(asked(decide({ tool: writeFile, preview: filePreview('deploy/prod.sh'), settings: custom })).needsPerson, true);
});

test('reading a protected path is not a change and runs on its own', () => {
  assert.equal(decide({ tool: readFile, preview: filePreview('.vscode/settings.json') }).kind, 'auto');
});

test('without a preview the path argument still meets the path rules', () => {
  const verdict = asked(decide({ tool: writeFile, args: { path: '.git/config' }, settings: autoAll }));
  assert.equal(verdict.needsPerson, true);
});

test('a risky call after outside content needs a person, whatever auto-approval and allowances say', () => {
  const verdict = asked(
    decide({
      tool: runCommand,
      preview: commandPreview('npm test'),
      settings: autoAll,
      allowances: [allow('run_command', 'npm test')],
      taintSources: ['notes.md', 'notes.md'],
    }),
  );
  assert.equal(verdict.needsPerson, true);
  assert.deepEqual(verdict.taintSources, ['notes.md']);
  assert.equal(
    verdict.reasons[0],
    'this action follows content read from notes.md — the model may be following instructions hidden in it',
  );
});

test('with taint approval turned off a tainted call follows the other rules, flagged in the reason', () => {
  const relaxed = settings({ ...autoAll, taintNeedsApproval: false });
  const verdict = decide({ tool: writeFile, preview: filePreview('src/a.ts'), settings: relaxed, taintSources: ['output of `curl x`'] });
  assert.equal(verdict.kind, 'auto');
  assert.match(verdict.kind === 'auto' ? verdict.reason : '', /flagged: it follows content read from "output of `curl x`"/);
  // It still asks when nothing else allows it, and names the taint.
  const strict = settings({ taintNeedsApproval: false });
  const asking = asked(decide({ tool: writeFile, preview: filePreview('src/a.ts'), settings: strict, taintSources: ['a.md'] }));
  assert.equal(asking.needsPerson, false);
  assert.deepEqual(asking.taintSources, ['a.md']);
});

test('a sensitive path in a write asks even with auto-approval', () => {
  const verdict = asked(decide({ tool: writeFile, preview: filePreview('.env'), settings: autoAll }));
  assert.equal(verdict.needsPerson, false);
  assert.deepEqual(verdict.sensitivePaths, ['.env']);
});

test('"Allow for this chat" proposals are narrow, and each one allows the call it was proposed for', () => {
  const cases: [AnyTool, ApprovalPreview | undefined, unknown, string][] = [
    [writeFile, filePreview('src/parser/lexer.ts'), {}, 'src/parser/**'],
    [writeFile, filePreview('src/a/x.ts', 'src/b/y.ts'), {}, 'src/**'],
    [writeFile, filePreview('README.md'), {}, 'README.md'],
    [writeFile, filePreview('docs/[draft].md'), {}, 'docs/**'],
    [readFile, filePreview('api/.env'), {}, 'api/.env'],
    [readFile, filePreview('a/.env', 'b/.env'), {}, '{a/.env,b/.env}'],
    [runCommand, commandPreview('npm run build -- --watch'), {}, 'npm run build -- --watch'],
    [fetchUrl, undefined, { url: 'https://example.com/a?b=1' }, 'https://example.com'],
    [fakeTool('web_search', 'network'), undefined, { query: 'x' }, '*'],
  ];
  for (const [tool, preview, args, expected] of cases) {
    const pattern = allowancePatternFor(tool, preview, args);
    assert.equal(pattern, expected);
    const verdict = decideApproval({ tool, preview, args, settings: settings(), taintSources: [], allowances: [allow(tool.name, pattern)] });
    assert.equal(verdict.kind, 'auto', `${tool.name} ${pattern}`);
  }
  // A file name with glob characters is escaped, so the grant covers that file only.
  const odd = allowancePatternFor('write_file', filePreview('[a].md'));
  assert.equal(odd, '\\[a\\].md');
  asked(decide({ tool: writeFile, preview: filePreview('a.md'), allowances: [allow('write_file', odd)] }));
  assert.equal(decide({ tool: writeFile, preview: filePreview('[a].md'), allowances: [allow('write_file', odd)] }).kind, 'auto');
});

test('a tool auto-approved by name (remember) runs without asking, but taint still asks a person', () => {
  const remember = fakeTool('remember', 'write');
  const byName = settings({ autoApproveTools: ['remember'] });
  assert.equal(decide({ tool: remember, settings: byName }).kind, 'auto');
  assert.equal(decide({ tool: remember }).kind, 'ask', 'without the setting it asks like any write');
  assert.equal(decide({ tool: writeFile, settings: byName }).kind, 'ask', 'other write tools still ask');
  assert.equal(asked(decide({ tool: remember, settings: byName, taintSources: ['notes.md'] })).needsPerson, true);
});
