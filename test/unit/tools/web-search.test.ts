import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../src/agent/logger';
import type { ToolContext, ToolResult } from '../../../src/agent/tool';
import { isWebSearchAvailable, webSearch } from '../../../src/tools/web-search';
import { startLoopbackServer } from '../../support/loopback-http';

const ctx = { signal: new AbortController().signal, log: silentLogger, runId: 'run', callId: 'call' } as unknown as ToolContext;

const SEARXNG_ANSWER = {
  query: 'node abort signal',
  results: [
    { title: 'AbortSignal | Node.js docs', url: 'https://nodejs.org/api/globals.html#class-abortsignal', content: 'The <b>AbortSignal</b> is used to notify &amp; cancel…', engine: 'duckduckgo', publishedDate: '2024-05-01T00:00:00' },
    { title: 'AbortSignal.timeout()', url: 'https://developer.mozilla.org/en-US/docs/Web/API/AbortSignal/timeout_static', content: 'Returns an AbortSignal that aborts after a time.', engine: 'bing' },
    { title: 'duplicate', url: 'https://nodejs.org/api/globals.html#class-abortsignal', content: 'same page from another engine' },
    { title: 'not a web link', url: 'magnet:?xt=urn:btih:abc', content: 'x' },
    { url: 'https://example.com/untitled', content: '' },
  ],
  answers: ['AbortSignal lets you cancel async work.'],
  suggestions: [],
};

async function searchServer(t: { after(fn: () => Promise<void>): void }, status = 200, body: unknown = SEARXNG_ANSWER) {
  const server = await startLoopbackServer({
    '/search': (_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body)),
  });
  t.after(() => server.close());
  return server;
}

test('results come back numbered with title, URL and snippet, duplicates and non-web links dropped', async (t) => {
  const server = await searchServer(t);
  const tool = webSearch({ endpoint: server.url('/') });
  const result = (await tool.execute(tool.input.parse({ query: 'node abort signal' }), ctx)) as ToolResult;
  assert.deepEqual(server.requests, ['/search?q=node+abort+signal&format=json']);
  assert.equal(
    result.output,
    [
      'Web results for "node abort signal" (via ' + new URL(server.url('/')).host + '):',
      'Answer: AbortSignal lets you cancel async work.',
      '[1] AbortSignal | Node.js docs',
      '    https://nodejs.org/api/globals.html#class-abortsignal',
      '    Published: 2024-05-01',
      '    The AbortSignal is used to notify & cancel…',
      '[2] AbortSignal.timeout()',
      '    https://developer.mozilla.org/en-US/docs/Web/API/AbortSignal/timeout_static',
      '    Returns an AbortSignal that aborts after a time.',
      '[3] https://example.com/untitled',
      '    https://example.com/untitled',
      'Cite results by number and URL; read a page with fetch_url before relying on details.',
    ].join('\n'),
  );
  assert.equal(result.taintSource, 'web search results for "node abort signal"');
});

test('max_results limits the list, and an endpoint given with /search works the same', async (t) => {
  const server = await searchServer(t);
  const tool = webSearch({ endpoint: server.url('/search') });
  const result = (await tool.execute(tool.input.parse({ query: 'x', max_results: 1 }), ctx)) as ToolResult;
  assert.match(result.output, /\[1\] AbortSignal \| Node\.js docs/);
  assert.doesNotMatch(result.output, /\[2\]/);
  assert.deepEqual(server.requests, ['/search?q=x&format=json']);
});

test('no results says so', async (t) => {
  const server = await searchServer(t, 200, { results: [] });
  const tool = webSearch({ endpoint: server.url('') });
  assert.match(((await tool.execute(tool.input.parse({ query: 'zzz' }), ctx)) as ToolResult).output, /No results\. Try other words/);
});

test('a service that refuses JSON or answers with a page is explained', async (t) => {
  const refusing = await searchServer(t, 403, 'Forbidden');
  await assert.rejects(
    webSearch({ endpoint: refusing.url('/') }).execute({ query: 'x', max_results: 3 }, ctx),
    /HTTP 403 Forbidden[\s\S]*needs "json" in search\.formats/,
  );
  const html = await searchServer(t, 200, '<html>login</html>');
  await assert.rejects(webSearch({ endpoint: html.url('/') }).execute({ query: 'x', max_results: 3 }, ctx), /did not answer with JSON: <html>login<\/html>/);
});

test('the tool is offered only with an endpoint, and says so if called without one', async () => {
  assert.equal(isWebSearchAvailable({}), false);
  assert.equal(isWebSearchAvailable({ endpoint: '  ' }), false);
  assert.equal(isWebSearchAvailable({ endpoint: 'https://searx.example.org' }), true);
  await assert.rejects(webSearch({}).execute({ query: 'x', max_results: 3 }, ctx), /Web search is not set up/);
});

test('the preview names the service the query goes to', async () => {
  const preview = await webSearch({ endpoint: 'https://searx.example.org/' }).preview!({ query: 'rust borrow checker', max_results: 8 }, ctx);
  assert.equal(preview.summary, 'Search the web for "rust borrow checker"');
  assert.match(preview.detail, /^Sends the query to https:\/\/searx\.example\.org \(https:\/\/searx\.example\.org\/search\)/);
});
