import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryKeyValueStore } from '../../../../src/agent/history/key-value-store';
import { FactStore, type FactStoreOptions } from '../../../../src/agent/memory/fact-store';
import { MemoryRefusedError } from '../../../../src/agent/memory/fact';

const signal = new AbortController().signal;

function storeOver(workspace: InMemoryKeyValueStore, global: InMemoryKeyValueStore, options: Partial<FactStoreOptions> = {}) {
  return new FactStore({ workspace, global, ...options });
}

test('a fact remembered in one workspace is recalled there and not in another', async () => {
  const global = new InMemoryKeyValueStore();
  const workspaceA = new InMemoryKeyValueStore();
  const workspaceB = new InMemoryKeyValueStore();
  const a = storeOver(workspaceA, global);
  await a.remember('Run the unit tests with pnpm test:unit before committing');
  await a.flush();

  const recalledInA = await storeOver(workspaceA, global).recallForTask('how do I run the unit tests?', signal);
  assert.equal(recalledInA.length, 1);
  assert.match(recalledInA[0].text, /pnpm test:unit/);
  assert.match(recalledInA[0].why, /matched .*unit/);
  assert.ok(recalledInA[0].score >= 0.3);

  const b = storeOver(workspaceB, global);
  assert.deepEqual(await b.recallForTask('how do I run the unit tests?', signal), []);
  assert.equal(b.size, 0);
});

test('a global fact is recalled in every workspace', async () => {
  const global = new InMemoryKeyValueStore();
  const a = storeOver(new InMemoryKeyValueStore(), global);
  const { fact } = await a.remember('The user prefers British spelling in documentation', { global: true });
  assert.equal(fact.global, true);
  await a.flush();
  for (const workspace of [new InMemoryKeyValueStore(), new InMemoryKeyValueStore()]) {
    const recalled = await storeOver(workspace, global).recallForTask('write documentation for the spelling checker', signal);
    assert.deepEqual(recalled.map((f) => f.id), [fact.id]);
  }
});

test('a forgotten fact is gone from the store, from recall, and after a reload', async () => {
  const workspace = new InMemoryKeyValueStore();
  const global = new InMemoryKeyValueStore();
  const store = storeOver(workspace, global);
  const { fact } = await store.remember('Migrations live in db/migrations and run with make migrate');
  const keep = await store.remember('Deploys go through the staging branch first');
  assert.equal((await store.recallFacts('migrations', 5)).length, 1);
  assert.equal(store.forget(fact.id), true);
  assert.equal(store.forget(fact.id), false);
  assert.equal(store.get(fact.id), undefined);
  assert.deepEqual(await store.recallFacts('migrations', 5), []);
  await store.flush();
  const reloaded = storeOver(workspace, global);
  assert.deepEqual(reloaded.list().map((f) => f.id), [keep.fact.id]);
  assert.ok(!(workspace.raw('glassbox.memory.facts') ?? '').includes('migrate'));
});

test('forgetting all clears this workspace, and global facts only when asked', async () => {
  const store = storeOver(new InMemoryKeyValueStore(), new InMemoryKeyValueStore());
  await store.remember('Local fact about the build script');
  await store.remember('Global fact about the editor theme', { global: true });
  assert.equal(store.forgetAll(false), 1);
  assert.deepEqual(store.list().map((f) => f.text), ['Global fact about the editor theme']);
  assert.equal(store.forgetAll(true), 1);
  assert.equal(store.size, 0);
});

test('the same fact, reworded slightly or repeated, updates the old one instead of adding another', async () => {
  let clock = 1000;
  const store = storeOver(new InMemoryKeyValueStore(), new InMemoryKeyValueStore(), { now: () => clock });
  const first = await store.remember('The API server listens on port 8080', { tags: ['api'] });
  clock = 2000;
  const again = await store.remember('the api server listens on port 8080.', { tags: ['ports'] });
  assert.equal(again.merged, true);
  assert.equal(again.fact.id, first.fact.id);
  assert.equal(again.fact.created, 1000);
  assert.equal(again.fact.lastUsed, 2000);
  assert.deepEqual(again.fact.tags, ['api', 'ports']);
  const reworded = await store.remember('The API server listens on port 8080 locally');
  assert.equal(reworded.merged, true, 'a near-same fact (high word overlap) merges');
  assert.equal(store.get(first.fact.id)?.text, 'The API server listens on port 8080 locally');
  const different = await store.remember('The admin server listens on port 9090');
  assert.equal(different.merged, false);
  assert.equal(store.size, 2);
});

test('past the cap, the least recently used fact is evicted; recalled facts count as used', async () => {
  let clock = 0;
  const store = storeOver(new InMemoryKeyValueStore(), new InMemoryKeyValueStore(), { maxFacts: 3, now: () => ++clock });
  const oldest = await store.remember('Alpha service owns billing');
  const middle = await store.remember('Beta service owns invoices');
  const newest = await store.remember('Gamma service owns reports');
  const recalled = await store.recallForTask('who owns billing?', signal);
  assert.deepEqual(recalled.map((f) => f.id), [oldest.fact.id]);
  await store.remember('Delta service owns exports');
  const ids = store.list().map((f) => f.id);
  assert.equal(ids.length, 3);
  assert.ok(ids.includes(oldest.fact.id), 'the recalled fact survived');
  assert.ok(!ids.includes(middle.fact.id), 'the least recently used fact was evicted');
  assert.ok(ids.includes(newest.fact.id));
});

test('secrets never enter memory: a bare secret is refused, a secret inside a fact is redacted', async () => {
  const workspace = new InMemoryKeyValueStore();
  const store = storeOver(workspace, new InMemoryKeyValueStore());
  const key = `sk-proj-${'Z9y8X7w6V5'.repeat(5)}`;
  await assert.rejects(store.remember(key), (error: unknown) => error instanceof MemoryRefusedError && /secret/i.test(error.message));
  await assert.rejects(store.remember('   '), MemoryRefusedError);
  await assert.rejects(store.remember('x'.repeat(1_500)), /under 1000/);
  const { fact, redactions } = await store.remember(`The staging deploy uses the key ${key} from the vault`);
  assert.equal(redactions, 1);
  assert.ok(!fact.text.includes(key));
  assert.match(fact.text, /staging deploy uses the key \[redacted/);
  await store.flush();
  assert.ok(!(workspace.raw('glassbox.memory.facts') ?? '').includes(key));
  await assert.rejects(store.edit(fact.id, key), MemoryRefusedError);
});

test('recall for a task returns at most recallCount facts, only those over the threshold, best first', async () => {
  const store = storeOver(new InMemoryKeyValueStore(), new InMemoryKeyValueStore(), { recallCount: 2, recallThreshold: 0.3 });
  await store.remember('Docker compose must be running before the integration tests');
  await store.remember('Integration tests need the docker compose stack');
  await store.remember('Integration tests are slow');
  await store.remember('The logo is blue');
  const recalled = await store.recallForTask('start docker compose then run integration tests', signal);
  assert.equal(recalled.length, 2);
  assert.ok(recalled[0].score >= recalled[1].score);
  assert.ok(recalled.every((f) => /docker|integration/i.test(f.text)));
  assert.deepEqual(await store.recallForTask('what colour is the sky', signal), []);
  const loose = storeOver(new InMemoryKeyValueStore(), new InMemoryKeyValueStore(), { recallThreshold: 0.99 });
  await loose.remember('Integration tests are run nightly on the build farm');
  assert.deepEqual(await loose.recallForTask('integration', signal), [], 'a weak match stays under a high threshold');
});

test('facts are stored compactly in the KeyValueStore and edits are persisted', async () => {
  const workspace = new InMemoryKeyValueStore();
  const global = new InMemoryKeyValueStore();
  const store = storeOver(workspace, global);
  const { fact } = await store.remember('CI runs on every pull request', { sourceChat: 'chat-1', tags: ['ci'] });
  await store.edit(fact.id, 'CI runs on every pull request and on main');
  await store.flush();
  const stored = workspace.get<{ v: number; f: { i: string; t: string; s: string; g: string[] }[] }>('glassbox.memory.facts');
  assert.equal(stored?.v, 1);
  assert.deepEqual(stored?.f.map(({ i, t, s, g }) => ({ i, t, s, g })), [
    { i: fact.id, t: 'CI runs on every pull request and on main', s: 'chat-1', g: ['ci'] },
  ]);
  assert.equal(global.get('glassbox.memory.facts'), undefined, 'nothing written to the global store');
});

test('listeners hear about changes', async () => {
  const store = storeOver(new InMemoryKeyValueStore(), new InMemoryKeyValueStore());
  let changes = 0;
  const stop = store.onDidChange(() => changes++);
  const { fact } = await store.remember('One fact worth keeping');
  store.forget(fact.id);
  stop();
  await store.remember('Another fact worth keeping');
  assert.equal(changes, 2);
});

test('a cancelled recall stops with CancelledError', async () => {
  const store = storeOver(new InMemoryKeyValueStore(), new InMemoryKeyValueStore());
  await store.remember('Anything at all is worth a test');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(store.recallForTask('anything', controller.signal), { name: 'CancelledError' });
});
