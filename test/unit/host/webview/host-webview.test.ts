// Must come first: it makes `require('vscode')` in the host modules return a recording fake.
import { recorded } from '../../../support/fake-vscode';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import type { Logger } from '../../../../src/agent/logger';
import { parseTracePanelMessage, type TracePanelMessage } from '../../../../src/shared/protocol';
import { hostWebview } from '../../../../src/host/webview/host-webview';

function recordingLogger(): Logger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m) => warnings.push(m), error: (m) => errors.push(m) };
}

/** A webview as far as hostWebview reaches: options, html, and one message listener. */
function fakeWebview() {
  let listener: ((raw: unknown) => void) | undefined;
  const webview = {
    options: {} as vscode.WebviewOptions,
    html: '',
    cspSource: 'https://webview.test',
    asWebviewUri: (uri: { fsPath: string }) => ({ toString: () => `https://webview.test${uri.fsPath}` }),
    onDidReceiveMessage: (receive: (raw: unknown) => void) => {
      listener = receive;
      return { dispose: () => (listener = undefined) };
    },
  };
  return { webview, send: (raw: unknown) => listener?.(raw), get listening() { return listener !== undefined; } };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a webview gets its page and options; what it sends is parsed first, and a failed handler takes the one error path', async () => {
  const logger = recordingLogger();
  const handled: TracePanelMessage[] = [];
  const page = fakeWebview();
  recorded.errors.length = 0;
  const registration = hostWebview(page.webview as unknown as vscode.Webview, { fsPath: '/ext' } as vscode.Uri, { title: 'Glassbox Trace', script: 'trace.js', styles: ['trace.css'] }, {
    name: 'Trace panel',
    parse: parseTracePanelMessage,
    handle: async (message) => {
      handled.push(message);
      if (message.type === 'exportRun') throw new Error('the disk is full');
    },
    logger,
  });
  assert.equal(page.webview.options.enableScripts, true);
  assert.match(page.webview.html, /script-src 'nonce-[^']+'/);
  assert.match(page.webview.html, /src="https:\/\/webview\.test\/ext\/dist\/webview\/trace\.js"/);

  page.send({ type: 'runCommand', command: 'workbench.action.terminal.new' });
  page.send({ type: 'selectRun', runId: 'run-1' });
  page.send({ type: 'exportRun', runId: 'run-1' });
  await settle();
  assert.deepEqual(handled.map((message) => message.type), ['selectRun', 'exportRun'], 'a message outside the protocol never reaches the handler');
  assert.equal(logger.warnings.length, 1);
  assert.match(logger.warnings[0], /^Trace panel: dropped an invalid message/);
  assert.deepEqual(recorded.errors.map((error) => error.message), ['Glassbox: the disk is full']);
  assert.match(logger.errors[0] ?? '', /^Trace panel: "exportRun" failed: Error: the disk is full\n\s+at /);

  registration.dispose();
  assert.equal(page.listening, false, 'disposing stops listening to the page');
});
