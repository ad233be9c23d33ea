/**
 * The environment ripgrep is started with: rg reads no key, so none is passed through — not
 * the agent's own (registered) key, nor GLASSBOX_API_KEY or OPENAI_API_KEY. A stand-in rg
 * writes the environment it got to a file.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { forgetCredentials, registerCredential } from '../../../../../src/agent/safety/known-credentials';
import { NodeWorkspaceFs } from '../../../../../src/agent/workspace/node-workspace-fs';
import { RipgrepSearcher } from '../../../../../src/agent/workspace/search/ripgrep-searcher';

const AGENT_KEY = 'sk-agent-key-0123456789abcdef';
const names = ['GLASSBOX_API_KEY', 'OPENAI_API_KEY', 'SOME_TOOL_CONFIG', 'RG_ENV_TEST_HARMLESS', 'RG_ENV_OUT'] as const;
const saved = new Map(names.map((name) => [name, process.env[name]]));
const temporary: string[] = [];

afterEach(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  forgetCredentials();
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs a search with a stand-in rg and returns the environment it was started with. */
async function environmentOfRipgrep(): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-rg-env-'));
  temporary.push(dir);
  const out = join(dir, 'env.txt');
  const fakeRg = join(dir, 'rg');
  // Exit 1 is rg's "no match": the search ends normally, with no results.
  writeFileSync(fakeRg, '#!/bin/sh\nenv > "$RG_ENV_OUT"\nexit 1\n');
  chmodSync(fakeRg, 0o755);
  process.env.RG_ENV_OUT = out;
  const searcher = new RipgrepSearcher(new NodeWorkspaceFs([dir]), fakeRg);
  await searcher.search({ pattern: 'needle', isRegex: false, caseSensitive: false, maxResults: 10 }, new AbortController().signal);
  const lines = readFileSync(out, 'utf8').split('\n').filter((line) => line.includes('='));
  return new Map(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

test('ripgrep is started without the API key variables, nor any variable holding the agent\'s key', async () => {
  registerCredential(AGENT_KEY);
  process.env.GLASSBOX_API_KEY = 'sk-glassbox-variable-key-1234';
  process.env.OPENAI_API_KEY = 'sk-openai-variable-key-5678';
  process.env.SOME_TOOL_CONFIG = `--token=${AGENT_KEY}`;
  process.env.RG_ENV_TEST_HARMLESS = 'kept';
  const env = await environmentOfRipgrep();
  assert.equal(env.get('RG_ENV_TEST_HARMLESS'), 'kept', 'the stand-in rg did not report its environment');
  assert.equal(env.has('GLASSBOX_API_KEY'), false);
  assert.equal(env.has('OPENAI_API_KEY'), false);
  assert.equal(env.has('SOME_TOOL_CONFIG'), false);
  for (const [name, value] of env) assert.ok(!value.includes(AGENT_KEY), `${name} passes the agent's key to rg`);
});
