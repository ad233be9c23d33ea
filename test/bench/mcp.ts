/**
 * MCP start-up cost and prompt cost: the time from the first question to the first model call
 * with 3 stdio servers configured (server-everything, server-memory, server-filesystem, real
 * packages started by path), cold (a fresh set of servers each round: every process spawned
 * and initialised) and warm (the same servers, already running); and the tokens each server's
 * tool definitions add to every model call. Run alone: `node dist-test/test/bench/mcp.js`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent } from '../../src/agent/loop/run-agent';
import { silentLogger } from '../../src/agent/logger';
import { McpServers } from '../../src/agent/mcp/mcp-servers';
import { mcpConfigFrom } from '../../src/agent/mcp/server-config';
import { OpenAIModel } from '../../src/agent/model/openai-model';
import { NodeWorkspaceFs } from '../../src/agent/workspace/node-workspace-fs';
import { EVERYTHING, FILESYSTEM, MEMORY, stdio } from '../support/mcp-fixtures';
import { startScriptedServer, textTurn } from '../support/scripted-server';

const ROUNDS = 5;

function servers(folder: string): McpServers {
  const config = mcpConfigFrom(
    {
      servers: {
        everything: stdio(EVERYTHING),
        memory: { ...stdio(MEMORY), env: { MEMORY_FILE_PATH: join(folder, 'memory.jsonl') } },
        filesystem: stdio(FILESYSTEM, folder),
      },
    },
    'cli',
    'bench',
  );
  return new McpServers(config, { logger: silentLogger, variables: { env: process.env, resolveInput: async () => undefined } });
}

/** Milliseconds from calling runAgent to its first model-request event. */
async function timeToFirstModelCall(hub: McpServers, baseURL: string, folder: string): Promise<number> {
  const model = new OpenAIModel({ baseURL, apiKey: 'bench', model: 'scripted-model' });
  const started = performance.now();
  let firstCall = Number.NaN;
  for await (const event of runAgent({ model, tools: [], toolSources: [hub], fs: new NodeWorkspaceFs([folder]), task: 'hello' })) {
    if (event.type === 'model-request' && Number.isNaN(firstCall)) firstCall = performance.now() - started;
  }
  return firstCall;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'glassbox-bench-mcp-'));
  const model = await startScriptedServer(Array.from({ length: ROUNDS * 3 }, () => textTurn('ok')));
  const cold: number[] = [];
  const warm: number[] = [];
  let tokens: { name: string; tools: number; tokens: number }[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const hub = servers(folder);
      try {
        cold.push(await timeToFirstModelCall(hub, model.baseURL, folder));
        warm.push(await timeToFirstModelCall(hub, model.baseURL, folder));
        tokens = hub.statuses().map((s) => ({ name: s.name, tools: s.tools.length, tokens: s.tokens }));
      } finally {
        await hub.dispose();
      }
    }
  } finally {
    await model.close();
    rmSync(folder, { recursive: true, force: true });
  }
  const ms = (values: number[]) => `${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;
  return [
    '### MCP: first question to first model call, and tokens per call',
    '',
    `3 stdio servers (server-everything, server-memory, server-filesystem), ${ROUNDS} rounds, medians:`,
    '',
    '| Servers | first question → first model call |',
    '| --- | ---: |',
    `| cold (each server spawned and initialised, in parallel) | ${ms(cold)} |`,
    `| warm (servers already running) | ${ms(warm)} |`,
    '',
    '| Server | tools offered | tokens added to every model call |',
    '| --- | ---: | ---: |',
    ...tokens.map((t) => `| ${t.name} | ${t.tools} | ${t.tokens} |`),
    `| **all three** | ${tokens.reduce((s, t) => s + t.tools, 0)} | ${tokens.reduce((s, t) => s + t.tokens, 0)} |`,
  ].join('\n');
}

if (require.main === module) {
  run().then((markdown) => console.log(markdown));
}
