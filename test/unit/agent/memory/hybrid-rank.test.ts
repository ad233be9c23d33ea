import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryKeyValueStore } from '../../../../src/agent/history/key-value-store';
import { FactStore } from '../../../../src/agent/memory/fact-store';
import { OpenAIEmbedder } from '../../../../src/agent/memory/openai-embedder';
import { FileVectorCache, InMemoryVectorCache, vectorKey } from '../../../../src/agent/memory/vector-cache';
import { unitVector } from '../../../../src/agent/memory/embedder';
import type { Logger } from '../../../../src/agent/logger';
import { startEmbeddingsServer } from '../../../support/embeddings-server';

const signal = new AbortController().signal;

function collectingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return { warnings, trace: ignore, debug: ignore, info: ignore, error: ignore, warn: (message) => warnings.push(message) };
}

async function withServer(t: { after(fn: () => Promise<void>): void }) {
  const server = await startEmbeddingsServer();
  t.after(() => server.close());
  const embedder = new OpenAIEmbedder({ baseURL: server.baseURL, apiKey: 'test', model: 'test-embeddings' });
  return { server, embedder };
}

test('with an embeddings endpoint, a paraphrase sharing no word with the fact is recalled, and says why', async (t) => {
  const { embedder } = await withServer(t);
  const plain = new FactStore({ workspace: new InMemoryKeyValueStore(), global: new InMemoryKeyValueStore() });
  const hybrid = new FactStore({ workspace: new InMemoryKeyValueStore(), global: new InMemoryKeyValueStore(), embedder });
  for (const store of [plain, hybrid]) {
    await store.remember('Use pnpm, never npm, for this repository');
    await store.remember('Postgres migrations run with make migrate');
    await store.remember('The logo colour is teal');
  }
  const query = 'which package manager installs dependencies here?';
  assert.deepEqual(await plain.recallFacts(query, 3), [], 'no word in common: lexical search alone finds nothing');

  const [best] = await hybrid.recallFacts(query, 3);
  assert.match(best.fact.text, /pnpm/);
  assert.ok(best.similarity !== undefined && best.similarity > 0.5, `similarity ${best.similarity}`);
  assert.match(best.why, /vector similarity 0\.\d\d/);
  const recalled = await hybrid.recallForTask(query, signal);
  assert.match(recalled[0]?.text ?? '', /pnpm/);
});

test('lexical and vector evidence add up: the fact matching both ranks above one matching either', async (t) => {
  const { embedder } = await withServer(t);
  const store = new FactStore({ workspace: new InMemoryKeyValueStore(), global: new InMemoryKeyValueStore(), embedder });
  const both = await store.remember('Unit tests use vitest');
  await store.remember('Jest snapshots are stored next to specs'); // same concept, different words
  await store.remember('Unit conversions live in src/units.ts'); // shares "unit" only
  const matches = await store.recallFacts('unit tests', 3);
  assert.equal(matches[0].fact.id, both.fact.id);
  assert.ok(matches[0].lexical > 0 && (matches[0].similarity ?? 0) > 0);
  assert.match(matches[0].why, /matched unit, test; vector similarity/);
  for (let i = 1; i < matches.length; i++) assert.ok(matches[i - 1].score >= matches[i].score);
});

test('vectors are computed once per fact text and reused; forgetting a fact drops its vector', async (t) => {
  const { server, embedder } = await withServer(t);
  const vectors = new InMemoryVectorCache();
  const store = new FactStore({ workspace: new InMemoryKeyValueStore(), global: new InMemoryKeyValueStore(), embedder, vectors });
  const { fact } = await store.remember('Releases ship from the main branch');
  await store.remember('releases ship from the main branch.'); // merged, same wording: no new vector needed
  assert.deepEqual(server.requests, [['Releases ship from the main branch'], ['releases ship from the main branch.']]);
  await store.recallFacts('deploy to production', 1);
  await store.recallFacts('deploy to production', 1);
  assert.equal(server.requests.length, 4, 'each search embeds its query only');
  assert.equal(vectors.size, 1);
  store.forget(fact.id);
  assert.equal(vectors.size, 0, 'a forgotten fact leaves no vector behind');
});

test('when the endpoint fails, recall falls back to lexical search with a warning', async (t) => {
  const { server, embedder } = await withServer(t);
  const logger = collectingLogger();
  const store = new FactStore({ workspace: new InMemoryKeyValueStore(), global: new InMemoryKeyValueStore(), embedder, logger });
  server.failing = true;
  const { fact } = await store.remember('Staging deploys need a VPN connection');
  assert.ok(logger.warnings.some((w) => /could not embed/.test(w)));
  const matches = await store.recallFacts('staging deploys', 2);
  assert.deepEqual(matches.map((m) => m.fact.id), [fact.id]);
  assert.equal(matches[0].similarity, undefined);
  assert.ok(logger.warnings.some((w) => /lexical only/.test(w)));

  server.failing = false;
  const healed = await store.recallFacts('rollout', 1);
  assert.equal(healed[0]?.fact.id, fact.id, 'the fact is embedded on a later search once the endpoint is back');
});

test('the vector file keeps vectors across sessions, skips a torn line, and compacts', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'glassbox-vectors-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'memory-vectors.jsonl');
  const cache = await FileVectorCache.open(path);
  const vector = (seed: number) => unitVector(Float32Array.from({ length: 8 }, (_, i) => Math.sin(seed + i)));
  cache.set('a', vector(1));
  cache.set('b', vector(2));
  cache.delete('a');
  await cache.flush();
  await fs.appendFile(path, '{"k":"c","v":"AAAA');

  const logger = collectingLogger();
  const reopened = await FileVectorCache.open(path, logger);
  assert.equal(reopened.get('a'), undefined);
  assert.deepEqual([...(reopened.get('b') ?? [])], [...vector(2)]);
  assert.equal(reopened.size, 1);
  assert.equal(logger.warnings.length, 1);
  reopened.set('d', vector(4));
  await reopened.flush();
  assert.deepEqual([...((await FileVectorCache.open(path)).get('d') ?? [])], [...vector(4)], 'a write after a torn line starts a new line');

  for (let i = 0; i < 300; i++) reopened.set(`k${i % 3}`, vector(i));
  await reopened.flush();
  const lines = (await fs.readFile(path, 'utf8')).trim().split('\n');
  assert.equal(lines.length, reopened.size, 'rewritten with live vectors only');
  assert.equal(vectorKey('m', 'text'), vectorKey('m', 'text'));
  assert.notEqual(vectorKey('m', 'text'), vectorKey('other', 'text'));
});

test('vectors saved to the file are used by the next session without calling the endpoint', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'glassbox-vectors-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const { server, embedder } = await withServer(t);
  const workspace = new InMemoryKeyValueStore();
  const global = new InMemoryKeyValueStore();
  const path = join(dir, 'memory-vectors.jsonl');
  const first = new FactStore({ workspace, global, embedder, vectors: await FileVectorCache.open(path) });
  await first.remember('Feature flags live in config/flags.yaml');
  await first.flush();
  const before = server.requests.length;
  const second = new FactStore({ workspace, global, embedder, vectors: await FileVectorCache.open(path) });
  const [match] = await second.recallFacts('feature flags', 1);
  assert.ok(match.similarity !== undefined);
  assert.deepEqual(server.requests.slice(before), [['feature flags']], 'only the query was embedded');
});
