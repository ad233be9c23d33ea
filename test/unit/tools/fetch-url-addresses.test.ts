/**
 * fetch_url refuses what is not the public web — loopback, private, link-local, metadata,
 * in every spelling, after resolving the name, on every redirect hop — unless the person
 * allowed the host by name. Only 127.0.0.1 is ever connected to: other ranges are reached
 * through an injected resolver, and refused before any connection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ToolError } from '../../../src/agent/errors';
import { silentLogger } from '../../../src/agent/logger';
import { localNameReason, nonPublicReason } from '../../../src/agent/safety/address-policy';
import type { ToolContext, ToolResult } from '../../../src/agent/tool';
import { createFetchUrl, type Resolver } from '../../../src/tools/fetch-url';
import { startLoopbackServer } from '../../support/loopback-http';

const ctx = { signal: new AbortController().signal, log: silentLogger, runId: 'run', callId: 'call' } as unknown as ToolContext;

/** Resolves names from a table; records every name it was asked for. Never touches DNS. */
function tableResolver(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolver = async (hostname: string) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolver, { asked });
}

test('a service on this computer is refused by default, and never receives a request', async (t) => {
  let requests = 0;
  const server = await startLoopbackServer({ '/admin': (_req, res) => (requests++, res.writeHead(200, { 'content-type': 'text/plain' }).end('admin panel')) });
  t.after(() => server.close());
  const tool = createFetchUrl();
  await assert.rejects(tool.execute({ url: server.url('/admin') }, ctx), (error: unknown) =>
    error instanceof ToolError && /Refused: .* is this computer \(loopback\), not the public web/.test(error.message) && /allow this host/.test(error.message),
  );
  assert.equal(requests, 0);
  const preview = await tool.preview!({ url: server.url('/admin') }, ctx);
  assert.match(preview.detail, /on this computer or its local network, not the public web; it will be refused/);
});

test('every spelling of a local address is refused before connecting', async () => {
  // None of these is ever connected to: the literal is judged first, names by the resolver.
  const resolver = tableResolver({ 'metadata.google.internal': ['169.254.169.254'] });
  const tool = createFetchUrl({ resolve: resolver });
  const refused = [
    'http://[::ffff:127.0.0.1]:9/',
    'http://[::ffff:7f00:1]:9/',
    'http://[::1]:9/',
    'http://[::]:9/',
    'http://0.0.0.0:9/',
    'http://0x7f.1:9/', // WHATWG URL reads it as 127.0.0.1
    'http://2130706433:9/',
    'http://localhost.:9/',
    'http://app.localhost:9/',
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'http://[fd12:3456::1]/',
    'http://[64:ff9b::a00:1]/', // NAT64 of 10.0.0.1
    'http://[2002:c0a8:101::1]/', // 6to4 of 192.168.1.1
    'http://metadata.google.internal/computeMetadata/v1/',
  ];
  for (const url of refused) {
    await assert.rejects(tool.execute({ url }, ctx), (error: unknown) => error instanceof ToolError && /^Refused: /.test(error.message), url);
  }
  assert.deepEqual(resolver.asked, [], 'local names are refused without a lookup');
});

test('a public-looking name that resolves to a private address is refused after resolving', async () => {
  const resolver = tableResolver({ 'intranet.example': ['10.0.0.7'], 'mixed.example': ['93.184.216.34', '192.168.0.9'] });
  const tool = createFetchUrl({ resolve: resolver });
  await assert.rejects(tool.execute({ url: 'http://intranet.example/' }, ctx), /resolves to 10\.0\.0\.7, which is a private network/);
  // Any private address among the answers is enough: the connection might pick it.
  await assert.rejects(tool.execute({ url: 'http://mixed.example/' }, ctx), /resolves to 192\.168\.0\.9/);
  assert.deepEqual(resolver.asked, ['intranet.example', 'mixed.example']);
});

test('every redirect hop is checked again: an allowed page cannot send the fetch to a local service', async (t) => {
  const resolver = tableResolver({ 'internal.example': ['10.9.9.9'] });
  let reachedSecond = 0;
  const second = await startLoopbackServer({ '/': (_req, res) => (reachedSecond++, res.writeHead(200).end('other local port')) });
  t.after(() => second.close());
  const first = await startLoopbackServer({
    '/to-name': (_req, res) => res.writeHead(302, { location: 'http://internal.example/secrets' }).end(),
    '/to-mapped': (_req, res) => res.writeHead(302, { location: `http://[::ffff:127.0.0.1]:${new URL(second.url('/')).port}/` }).end(),
    '/to-localhost': (_req, res) => res.writeHead(301, { location: `http://localhost.:${new URL(second.url('/')).port}/` }).end(),
  });
  t.after(() => first.close());
  // 127.0.0.1 is allowed by name (as a person would allow a dev server); where it redirects is not.
  const tool = createFetchUrl({ allowHosts: ['127.0.0.1'], resolve: resolver });
  await assert.rejects(tool.execute({ url: first.url('/to-name') }, ctx), /Refused: http:\/\/internal\.example\/secrets resolves to 10\.9\.9\.9/);
  await assert.rejects(tool.execute({ url: first.url('/to-mapped') }, ctx), /Refused: http:\/\/\[::ffff:7f00:1\]/);
  await assert.rejects(tool.execute({ url: first.url('/to-localhost') }, ctx), /Refused: http:\/\/localhost\./);
  assert.equal(reachedSecond, 0);
});

test('a host the person allowed by name is fetched, also when it resolves to this computer', async (t) => {
  const server = await startLoopbackServer({ '/wiki': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('team wiki') });
  t.after(() => server.close());
  const port = new URL(server.url('/')).port;
  const resolver = tableResolver({ 'wiki.test': ['127.0.0.1'] });
  const allowed = createFetchUrl({ allowHosts: ['WIKI.test'], resolve: resolver });
  const result = (await allowed.execute({ url: `http://wiki.test:${port}/wiki` }, ctx)) as ToolResult;
  assert.match(result.output, /team wiki$/);
  // The same name without the setting: refused once resolved.
  await assert.rejects(createFetchUrl({ resolve: resolver }).execute({ url: `http://wiki.test:${port}/wiki` }, ctx), /resolves to 127\.0\.0\.1/);
});

test('the address rules: public addresses pass, every non-public range is named', () => {
  for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '2a00:1450::1']) assert.equal(nonPublicReason(address), undefined, address);
  for (const address of ['127.1.2.3', '0.0.0.0', '10.0.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.127.0.1', '224.0.0.1', '::1', '::', '::ffff:10.0.0.1', '::ffff:a00:1', 'fc00::1', 'fe80::1%eth0', 'ff02::1']) {
    assert.notEqual(nonPublicReason(address), undefined, address);
  }
  assert.equal(nonPublicReason('172.32.0.1'), undefined);
  assert.notEqual(localNameReason('LOCALHOST.'), undefined);
  assert.equal(localNameReason('example.com'), undefined);
});
