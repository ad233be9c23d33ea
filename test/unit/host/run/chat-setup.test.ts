import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocalServer } from '../../../../src/agent/model/local-discovery';
import { ChatSetupOffers } from '../../../../src/host/run/chat-setup';

const ollama: LocalServer = {
  port: 11434,
  baseURL: 'http://127.0.0.1:11434/v1',
  provider: 'ollama',
  models: [{ id: 'qwen2.5-coder:7b' }, { id: 'llama3.2:3b' }],
};

test('the set-up offers each server running here with its first model, probed in the background and again when stale', async () => {
  let now = 0;
  let probes = 0;
  let changes = 0;
  let servers: LocalServer[] = [ollama];
  const setup = new ChatSetupOffers(
    async () => {
      probes++;
      return servers;
    },
    () => changes++,
    () => now,
  );
  const first = setup.state();
  assert.equal(first.probing, true, 'the first look starts a probe and does not wait for it');
  assert.deepEqual(first.offers, []);
  await setup.settled();
  assert.equal(changes, 1, 'the chat is told when the probe is done');
  const found = setup.state();
  assert.equal(found.probing, false);
  assert.equal(probes, 1, 'a fresh probe is not repeated');
  assert.deepEqual(
    found.offers.map((offer) => offer.label),
    ['Use Ollama at 127.0.0.1:11434 — qwen2.5-coder:7b'],
  );
  const offer = setup.find(found.offers[0].id);
  assert.equal(offer?.server, ollama);
  assert.equal(offer?.model?.id, 'qwen2.5-coder:7b');
  assert.equal(setup.find('http://evil.example/v1#x'), undefined, 'only offers the host made are found');

  servers = [];
  now = 10_000;
  setup.state();
  await setup.settled();
  assert.equal(probes, 2, 'stale: probed again ("running at that moment")');
  assert.deepEqual(setup.state().offers, [], 'a server that stopped is no longer offered');
});
