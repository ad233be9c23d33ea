// The scripted server's prompt cache counts cached tokens as OpenAI documents it, so the tests
// and the bench see what a user would be billed: the longest prefix shared with any earlier
// request, from 1,024 tokens, in 128-token steps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { countTextTokens } from '../../../src/agent/model/token-estimate';
import { startScriptedServer, textTurn } from '../../support/scripted-server';

const words = (count: number, seed: string) => Array.from({ length: count }, (_, i) => `${seed}${i}`).join(' ');

async function send(baseURL: string, messages: ChatCompletionMessageParam[]) {
  const client = new OpenAI({ baseURL, apiKey: 'test', maxRetries: 0 });
  const stream = await client.chat.completions.create({ model: 'm', messages, stream: true, stream_options: { include_usage: true } });
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
  return usage;
}

test('cached tokens: none below 1,024 shared tokens, then the shared prefix rounded down to 128', async (t) => {
  const server = await startScriptedServer({ loop: () => textTurn('ok', { promptTokens: 0, completionTokens: 1 }), promptCache: true });
  t.after(() => server.close());
  const system = { role: 'system' as const, content: words(300, 'alpha') };
  const first = await send(server.baseURL, [system, { role: 'user', content: 'one' }]);
  assert.equal(first?.prompt_tokens_details?.cached_tokens, 0, 'nothing was seen before');

  const shortPrefix = await send(server.baseURL, [system, { role: 'user', content: 'two' }]);
  assert.ok(server.promptCounts[1].sharedTokens < 1024, `the shared system prompt is short (${server.promptCounts[1].sharedTokens})`);
  assert.equal(shortPrefix?.prompt_tokens_details?.cached_tokens, 0);

  const long = { role: 'user' as const, content: words(900, 'beta') };
  await send(server.baseURL, [system, long]);
  const repeat = await send(server.baseURL, [system, long, { role: 'assistant', content: 'noted' }, { role: 'user', content: 'and?' }]);
  const { sharedTokens, cachedTokens, promptTokens } = server.promptCounts[3];
  assert.ok(sharedTokens >= 1024 && sharedTokens < promptTokens, `shared ${sharedTokens} of ${promptTokens}`);
  assert.equal(cachedTokens, Math.floor(sharedTokens / 128) * 128);
  assert.equal(repeat?.prompt_tokens_details?.cached_tokens, cachedTokens);
  assert.equal(repeat?.prompt_tokens, promptTokens, 'usage reports the server\'s own prompt count');
});

test('a changed early message ends the shared prefix there, even with everything after it equal', async (t) => {
  const server = await startScriptedServer({ loop: () => textTurn('ok', { promptTokens: 0, completionTokens: 1 }), promptCache: true });
  t.after(() => server.close());
  const big = (seed: string) => ({ role: 'user' as const, content: words(1500, seed) });
  const system = { role: 'system' as const, content: 'You help.' };
  await send(server.baseURL, [system, big('a'), { role: 'assistant', content: 'ok' }, big('b')]);
  // The first big message loses its tail: a cache keeps only what precedes the change.
  const rewritten = { role: 'user' as const, content: words(600, 'a') };
  await send(server.baseURL, [system, rewritten, { role: 'assistant', content: 'ok' }, big('b')]);
  const { sharedTokens } = server.promptCounts[1];
  const expectedPartial = countTextTokens(words(600, 'a'));
  assert.ok(Math.abs(sharedTokens - expectedPartial) < 20, `shared ${sharedTokens}, the unchanged head is ~${expectedPartial}`);
});

test('a different tool list shares nothing (tools come first in the prompt)', async (t) => {
  const server = await startScriptedServer({ loop: () => textTurn('ok', { promptTokens: 0, completionTokens: 1 }), promptCache: true });
  t.after(() => server.close());
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 });
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: words(2000, 'g') }];
  const tool = (name: string) => ({ type: 'function' as const, function: { name, parameters: { type: 'object', properties: {} } } });
  await client.chat.completions.create({ model: 'm', messages, tools: [tool('a')] });
  await client.chat.completions.create({ model: 'm', messages, tools: [tool('a')] });
  await client.chat.completions.create({ model: 'm', messages, tools: [tool('b')] });
  assert.ok(server.promptCounts[1].cachedTokens >= 1024);
  assert.equal(server.promptCounts[2].cachedTokens, 0);
});

test('with prefill timing, the first byte waits for the prompt to be read, far less for its cached part', async (t) => {
  const rates = { msPerThousandTokens: 40, cachedMsPerThousandTokens: 2 };
  const server = await startScriptedServer({ loop: () => textTurn('ok', { promptTokens: 0, completionTokens: 1 }), promptCache: true, prefill: rates });
  t.after(() => server.close());
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: words(4000, 'p') }, { role: 'user', content: 'q' }];
  const timed = async () => {
    const started = performance.now();
    await send(server.baseURL, messages);
    return performance.now() - started;
  };
  const prefillOf = ({ promptTokens, cachedTokens }: { promptTokens: number; cachedTokens: number }) =>
    ((promptTokens - cachedTokens) * rates.msPerThousandTokens + cachedTokens * rates.cachedMsPerThousandTokens) / 1000;
  const cold = await timed();
  await timed();
  const [first, second] = server.promptCounts;
  assert.equal(first.cachedTokens, 0);
  assert.ok(second.cachedTokens > 0.9 * second.promptTokens, `${second.cachedTokens} of ${second.promptTokens} cached`);
  // Only lower bounds on time: a sleep never ends early, however busy the machine.
  assert.ok(cold >= prefillOf(first) - 1, `cold answer after ${cold} ms, its prefill is ${prefillOf(first)} ms`);
  assert.ok(prefillOf(second) < prefillOf(first) / 10);
});
