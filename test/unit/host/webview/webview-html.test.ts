import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildWebviewHtml, contentSecurityPolicy, createNonce } from '../../../../src/host/webview/webview-html';

test('the policy denies by default and allows scripts only by nonce, never eval or inline', () => {
  const csp = contentSecurityPolicy('https://ext.vscode-cdn.net', 'abc123');
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d] as const));
  assert.equal(directives.get('default-src'), "default-src 'none'");
  assert.equal(directives.get('script-src'), "script-src 'nonce-abc123'");
  assert.equal(directives.get('style-src'), 'style-src https://ext.vscode-cdn.net');
  assert.equal(directives.get('font-src'), 'font-src https://ext.vscode-cdn.net');
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|\*/);
});

test('every render gets a fresh, unguessable nonce', () => {
  const nonces = new Set(Array.from({ length: 100 }, createNonce));
  assert.equal(nonces.size, 100);
  for (const nonce of nonces) assert.ok(Buffer.from(nonce, 'base64').length === 16);
});

test('the page loads exactly one script, carrying the nonce, and the given styles', () => {
  const html = buildWebviewHtml({
    cspSource: 'vscode-resource:',
    nonce: 'N0nce+/=',
    scriptUri: 'https://r/dist/webview/chat.js',
    styleUris: ['https://r/media/codicon.css', 'https://r/media/chat.css'],
    title: 'Glassbox <Chat>',
  });
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, ['<script nonce="N0nce+/=" src="https://r/dist/webview/chat.js">']);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/r\/media\/codicon\.css">/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/r\/media\/chat\.css">/);
  assert.match(html, /<title>Glassbox &lt;Chat&gt;<\/title>/);
  assert.ok(html.includes(`http-equiv="Content-Security-Policy" content="default-src 'none'; `), html);
});

test('attribute values cannot break out of their quotes', () => {
  const html = buildWebviewHtml({ cspSource: 'x', nonce: 'n', scriptUri: 'https://r/a.js"><script>alert(1)</script>', styleUris: [], title: 't' });
  assert.equal([...html.matchAll(/<script\b/g)].length, 1);
});
