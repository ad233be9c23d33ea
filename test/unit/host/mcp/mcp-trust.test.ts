// Must come first: it makes `require('vscode')` in the host modules return a recording fake.
import { fakeVscode } from '../../../support/fake-vscode';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../../../src/agent/logger';
import { McpHost } from '../../../../src/host/mcp/mcp-host';
import { EVERYTHING } from '../../../support/mcp-fixtures';

/**
 * The host's side of workspace MCP servers, on a small stand-in for VS Code: a workspace's
 * .vscode/mcp.json is read; its server starts only after the modal (which shows the exact
 * command line, environment names and folder); the yes is remembered for that definition only;
 * Restricted Mode never asks and never starts it; a workspace's settings.json cannot add servers.
 */

interface Modal {
  readonly message: string;
  readonly detail: string;
}

function fakeHost(folder: string, answers: (modal: Modal) => string | undefined, options: { trusted?: boolean; userServers?: object; workspaceServers?: object } = {}) {
  const modals: Modal[] = [];
  const state = new Map<string, unknown>();
  const noEvent = () => ({ dispose: () => undefined });
  Object.assign(fakeVscode.workspace, {
    isTrusted: options.trusted ?? true,
    workspaceFolders: [{ name: 'ws', uri: { fsPath: folder } }],
    onDidChangeConfiguration: noEvent,
    createFileSystemWatcher: () => ({ onDidChange: noEvent, onDidCreate: noEvent, onDidDelete: noEvent, dispose: () => undefined }),
    fs: { readFile: async (uri: { fsPath: string }) => readFileSync(uri.fsPath) },
    getConfiguration: () => ({
      inspect: () => ({ globalValue: options.userServers, workspaceValue: options.workspaceServers }),
      get: (_key: string, fallback: unknown) => fallback,
    }),
  });
  Object.assign(fakeVscode.window, {
    showWarningMessage: async (message: string, opts: { detail?: string }) => {
      const modal = { message, detail: opts?.detail ?? '' };
      modals.push(modal);
      return answers(modal);
    },
    showErrorMessage: async () => undefined,
  });
  const context = {
    extension: { packageJSON: { version: 'test' } },
    globalState: { get: (key: string, fallback: unknown) => state.get(key) ?? fallback, update: async (key: string, value: unknown) => void state.set(key, value) },
    secrets: { get: async () => undefined, store: async () => undefined },
  };
  const host = new McpHost(context as never, silentLogger);
  return { host, modals };
}

function workspaceWith(servers: object): string {
  const folder = mkdtempSync(join(tmpdir(), 'glassbox-host-mcp-'));
  mkdirSync(join(folder, '.vscode'));
  writeFileSync(join(folder, '.vscode', 'mcp.json'), JSON.stringify({ servers }));
  return folder;
}

const never = new AbortController().signal;
const everything = { command: process.execPath, args: [EVERYTHING], env: { API_TOKEN: 'secret-value' } };

test('a workspace mcp.json server waits for the modal, which shows the command line, env names and folder; declined, it never starts', async (t) => {
  const folder = workspaceWith({ everything });
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const { host, modals } = fakeHost(folder, () => undefined);
  t.after(() => host.dispose());
  const prepared = await host.toolSource(false).prepare({ reservedNames: [], signal: never });
  assert.equal(prepared.tools.length, 0);
  assert.equal(modals.length, 1);
  assert.match(modals[0].message, /Start the MCP server "everything" defined by this workspace\?/);
  assert.ok(modals[0].detail.includes(`Command: ${process.execPath} ${EVERYTHING}`), modals[0].detail);
  assert.match(modals[0].detail, /Environment: API_TOKEN/);
  assert.doesNotMatch(modals[0].detail, /secret-value/, 'values are not shown, only names');
  assert.ok(modals[0].detail.includes(`Folder: ${folder}`));
  const status = (await host.servers()).statuses()[0];
  assert.equal(status.state, 'untrusted');
  assert.equal(status.pid, undefined);
});

test('trusted once, remembered for that definition; a changed definition asks again', async (t) => {
  const folder = workspaceWith({ everything });
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const { host, modals } = fakeHost(folder, (modal) => (/defined by this workspace/.test(modal.message) ? 'Trust and Start' : 'Accept Tools'));
  t.after(() => host.dispose());
  const first = await host.toolSource(false).prepare({ reservedNames: [], signal: never });
  assert.ok(first.tools.some((tool) => tool.name === 'everything__echo'));
  // The tool list (with descriptions, which go into every prompt) was shown for acceptance.
  assert.match(modals[1].message, /MCP server "everything" offers these tools/);
  assert.match(modals[1].detail, /echo: Echoes back the input string/);
  await host.reload();
  await host.toolSource(false).prepare({ reservedNames: [], signal: never });
  assert.equal(modals.length, 2, 'the same definition is not asked about again');

  writeFileSync(join(folder, '.vscode', 'mcp.json'), JSON.stringify({ servers: { everything: { ...everything, args: [EVERYTHING, 'stdio'] } } }));
  await host.reload();
  await host.toolSource(false).prepare({ reservedNames: [], signal: never });
  assert.match(modals[2]?.message ?? '', /Start the MCP server "everything" defined by this workspace\?/, 'a changed definition is asked about again');
});

test('Restricted Mode: a workspace server is never asked about nor started; a workspace settings.json cannot add servers', async (t) => {
  const folder = workspaceWith({ everything });
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const { host, modals } = fakeHost(folder, () => 'Trust and Start', { trusted: false, workspaceServers: { sneaky: everything } });
  t.after(() => host.dispose());
  const prepared = await host.toolSource(true).prepare({ reservedNames: [], signal: never });
  assert.equal(prepared.tools.length, 0);
  assert.equal(modals.length, 0);
  const statuses = (await host.servers()).statuses();
  assert.deepEqual(statuses.map((s) => [s.name, s.state]), [['everything', 'untrusted']]);
});
