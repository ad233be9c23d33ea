/**
 * Loop overhead per step: how much time the agent loop itself adds to each model call, with
 * the model taken out of the picture. Every contender talks to the same zero-latency scripted
 * server through its own real client; each request is answered with one call of a tiny read
 * tool until the run's step count is reached, then with a text answer. What is left is the
 * framework: request building, HTTP and (de)serialisation, streaming, parsing, validation,
 * events and checks.
 *
 * Contenders: Glassbox's runAgent (defaults, streaming, every event consumed, budget and loop
 * checks on), a minimal hand-written loop over the raw `openai` SDK (non-streaming: the
 * baseline every ratio is against) and its streaming twin, @openai/agents `run()` (chat
 * completions), and the `ai` SDK's generateText and streamText.
 *
 * Rounds are interleaved in one process, the first discarded as warm-up, the order rotated each
 * round; the median round decides. Run alone: `node dist-test/test/bench/loop.js`
 * (env LOOP_BENCH_ROUNDS, LOOP_BENCH_RUNS, LOOP_BENCH_STEPS, LOOP_BENCH_WARMUP_RUNS change the size;
 * LOOP_BENCH_ONLY=Glassbox keeps only the contenders so named, for `node --cpu-prof`).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool as agentsTool } from '@openai/agents';
import { generateText, stepCountIs, streamText, tool as aiTool } from 'ai';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { NodeWorkspaceFs } from '../../src/agent/workspace/node-workspace-fs';
import { OpenAIModel } from '../../src/agent/model/openai-model';
import { runAgent } from '../../src/agent/loop/run-agent';
import { defineTool } from '../../src/agent/tool';
import { startScriptedServer, type ChatRequestBody, type ScriptStep } from '../support/scripted-server';
import { median, numberFromEnv } from './support/stats';

const MODEL = 'scripted-model';
const INSTRUCTIONS = 'You answer questions about a key-value store. Use the lookup tool, then answer briefly.';
const TASK = 'Look up the keys one by one, then tell me you are done.';
const FINAL_ANSWER = 'All keys looked up.';
const TOOL_NAME = 'lookup';
const RAW_LOOP = 'raw openai SDK loop (non-streaming)';
const TOOL_DESCRIPTION = 'Look up one key in the store. Use it for every key the user asks about.';

export interface LoopBenchOptions {
  /** Measured rounds (one warm-up round more is run and discarded). */
  readonly rounds: number;
  /** Runs per contender per round. */
  readonly runsPerRound: number;
  /** Model calls per run: steps − 1 tool calls, then the answer. */
  readonly stepsPerRun: number;
  /** Runs per contender in the discarded warm-up round. */
  readonly warmupRuns: number;
  /** Only contenders whose name contains this (for profiling one with --cpu-prof); ratios need the raw loop. */
  readonly only?: string;
}

const defaults: LoopBenchOptions = {
  rounds: numberFromEnv('LOOP_BENCH_ROUNDS', 5),
  runsPerRound: numberFromEnv('LOOP_BENCH_RUNS', 25),
  stepsPerRun: numberFromEnv('LOOP_BENCH_STEPS', 20),
  warmupRuns: numberFromEnv('LOOP_BENCH_WARMUP_RUNS', 5),
  only: process.env.LOOP_BENCH_ONLY,
};

/** The tiny read tool every contender gets: no I/O, so only the loop around it is measured. */
function lookup(key: string): string {
  return `value of ${key}: ${key.length * 7}`;
}

/**
 * Decides the scripted model's next turn from what the request carries: one lookup per tool
 * result so far, then the answer. Each call's key differs, so no loop check fires.
 */
function loopTurn(stepsPerRun: number) {
  return (request: ChatRequestBody): readonly ScriptStep[] => {
    const results = request.messages.filter((m) => m.role === 'tool').length;
    const usage: ScriptStep = { kind: 'usage', promptTokens: 120 + results * 30, completionTokens: 12 };
    if (results < stepsPerRun - 1) {
      return [{ kind: 'tool-calls', calls: [{ name: TOOL_NAME, args: { key: `k${results + 1}` } }] }, usage];
    }
    return [{ kind: 'text', text: FINAL_ANSWER }, usage];
  };
}

/** One contender: does one whole run and returns its final answer. */
interface Contender {
  readonly name: string;
  runOnce(): Promise<string>;
}

function contenders(baseURL: string, workspace: string, stepsPerRun: number): Contender[] {
  const client = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });

  // --- Glassbox: defaults, plus a cost cap and a price so the budget check really runs.
  const glassboxModel = new OpenAIModel({ baseURL, apiKey: 'bench', model: MODEL });
  const glassboxTool = defineTool({
    name: TOOL_NAME,
    description: TOOL_DESCRIPTION,
    risk: 'read',
    input: z.object({ key: z.string() }),
    async execute({ key }) {
      return lookup(key);
    },
  });
  const fs = new NodeWorkspaceFs([workspace]);
  const glassbox: Contender = {
    name: 'Glassbox runAgent (streaming, events consumed)',
    async runOnce() {
      let answer = '';
      let events = 0;
      for await (const event of runAgent({
        model: glassboxModel,
        tools: [glassboxTool],
        fs,
        task: TASK,
        systemPrompt: INSTRUCTIONS,
        price: { inputPerMillion: 0.15, outputPerMillion: 0.6 },
        limits: { maxSteps: stepsPerRun + 5, maxCostUsd: 100 },
      })) {
        events++;
        if (event.type === 'run-end') {
          if (event.reason !== 'answered') throw new Error(`Glassbox run ended with ${event.reason}: ${event.answer}`);
          answer = event.answer;
        }
      }
      if (events < stepsPerRun * 3) throw new Error(`Glassbox emitted only ${events} events`);
      return answer;
    },
  };

  // --- The baseline: the smallest honest loop over the raw SDK.
  const rawTools: ChatCompletionTool[] = [
    {
      type: 'function',
      function: {
        name: TOOL_NAME,
        description: TOOL_DESCRIPTION,
        parameters: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'], additionalProperties: false },
      },
    },
  ];
  const runTool = (name: string, argumentsJson: string): string => {
    if (name !== TOOL_NAME) return `Error: no tool named ${name}`;
    const args = JSON.parse(argumentsJson) as { key?: unknown };
    return typeof args.key === 'string' ? lookup(args.key) : 'Error: key must be a string';
  };
  const raw: Contender = {
    name: RAW_LOOP,
    async runOnce() {
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: TASK },
      ];
      for (let step = 0; step < stepsPerRun + 5; step++) {
        const completion = await client.chat.completions.create({ model: MODEL, messages, tools: rawTools });
        const message = completion.choices[0].message;
        messages.push(message);
        const calls = message.tool_calls ?? [];
        if (calls.length === 0) return message.content ?? '';
        for (const call of calls) {
          if (call.type !== 'function') continue;
          messages.push({ role: 'tool', tool_call_id: call.id, content: runTool(call.function.name, call.function.arguments) });
        }
      }
      throw new Error('raw loop did not finish');
    },
  };

  const rawStreaming: Contender = {
    name: 'raw openai SDK loop (streaming)',
    async runOnce() {
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: TASK },
      ];
      for (let step = 0; step < stepsPerRun + 5; step++) {
        const stream = await client.chat.completions.create({
          model: MODEL,
          messages,
          tools: rawTools,
          stream: true,
          stream_options: { include_usage: true },
        });
        let text = '';
        const calls: { id: string; name: string; args: string }[] = [];
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta;
          if (!delta) continue;
          if (delta.content) text += delta.content;
          for (const fragment of delta.tool_calls ?? []) {
            const call = (calls[fragment.index] ??= { id: '', name: '', args: '' });
            if (fragment.id) call.id = fragment.id;
            if (fragment.function?.name) call.name += fragment.function.name;
            if (fragment.function?.arguments) call.args += fragment.function.arguments;
          }
        }
        if (calls.length === 0) return text;
        messages.push({
          role: 'assistant',
          content: text || null,
          tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })),
        });
        for (const call of calls) messages.push({ role: 'tool', tool_call_id: call.id, content: runTool(call.name, call.args) });
      }
      throw new Error('raw streaming loop did not finish');
    },
  };

  // --- @openai/agents over chat completions, pointed at the scripted server. Its provider builds
  // its own client: the SDK depends on a newer `openai` major than ours, so ours would not fit.
  setTracingDisabled(true);
  const runner = new Runner({
    modelProvider: new OpenAIProvider({ baseURL, apiKey: 'bench', useResponses: false }),
    tracingDisabled: true,
  });
  const agent = new Agent({
    name: 'bench',
    instructions: INSTRUCTIONS,
    model: MODEL,
    tools: [
      agentsTool({
        name: TOOL_NAME,
        description: TOOL_DESCRIPTION,
        parameters: z.object({ key: z.string() }),
        execute: async ({ key }) => lookup(key),
      }),
    ],
  });
  const openaiAgents: Contender = {
    name: '@openai/agents run() (chat completions)',
    async runOnce() {
      const result = await runner.run(agent, TASK, { maxTurns: stepsPerRun + 5 });
      return String(result.finalOutput ?? '');
    },
  };

  // --- The ai SDK, with the chat-completions model of @ai-sdk/openai.
  const aiModel = createOpenAI({ baseURL, apiKey: 'bench' }).chat(MODEL);
  const aiTools = {
    [TOOL_NAME]: aiTool({
      description: TOOL_DESCRIPTION,
      inputSchema: z.object({ key: z.string() }),
      execute: async ({ key }) => lookup(key),
    }),
  };
  const aiGenerate: Contender = {
    name: 'ai SDK generateText',
    async runOnce() {
      const result = await generateText({
        model: aiModel,
        system: INSTRUCTIONS,
        prompt: TASK,
        tools: aiTools,
        stopWhen: stepCountIs(stepsPerRun + 5),
        maxRetries: 0,
      });
      return result.text;
    },
  };
  const aiStream: Contender = {
    name: 'ai SDK streamText (full stream consumed)',
    async runOnce() {
      const result = streamText({
        model: aiModel,
        system: INSTRUCTIONS,
        prompt: TASK,
        tools: aiTools,
        stopWhen: stepCountIs(stepsPerRun + 5),
        maxRetries: 0,
      });
      let answer = '';
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta') answer += part.text;
        else if (part.type === 'error') throw part.error;
      }
      return answer;
    },
  };

  return [raw, rawStreaming, glassbox, openaiAgents, aiGenerate, aiStream];
}

export interface LoopBenchResult {
  readonly name: string;
  /** Wall-clock ms per model call, one value per measured round. */
  readonly wallPerRound: readonly number[];
  /** CPU ms of this process (the client side: the server runs in its own) per model call, per round. */
  readonly cpuPerRound: readonly number[];
  readonly medianWallMsPerStep: number;
  readonly medianCpuMsPerStep: number;
  readonly wallRatioToRaw: number;
  readonly cpuRatioToRaw: number;
}

export async function measureLoops(options: LoopBenchOptions = defaults): Promise<LoopBenchResult[]> {
  const { rounds, runsPerRound, stepsPerRun, warmupRuns, only } = options;
  if (stepsPerRun < 2) throw new RangeError('stepsPerRun must be at least 2 (a tool call, then the answer)');
  const server = await startServerProcess(stepsPerRun);
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-bench-loop-'));
  try {
    const all = contenders(server.baseURL, workspace, stepsPerRun).filter((c) => !only || c.name.includes(only));
    const wall = all.map(() => [] as number[]);
    const cpu = all.map(() => [] as number[]);
    for (let round = 0; round <= rounds; round++) {
      const wallMs = all.map(() => 0);
      const cpuMs = all.map(() => 0);
      // Interleaved run by run, the order rotated each time, so a burst of load from elsewhere on
      // the machine (or a collection of another contender's garbage) lands on every contender alike.
      const runs = round === 0 ? warmupRuns : runsPerRound;
      for (let pass = 0; pass < runs; pass++) {
        for (let k = 0; k < all.length; k++) {
          const i = (k + pass + round) % all.length;
          const cpuBefore = process.cpuUsage();
          const started = performance.now();
          const answer = await all[i].runOnce();
          wallMs[i] += performance.now() - started;
          const used = process.cpuUsage(cpuBefore);
          cpuMs[i] += (used.user + used.system) / 1000;
          if (answer !== FINAL_ANSWER) throw new Error(`${all[i].name} answered ${JSON.stringify(answer)}, not the scripted answer`);
        }
      }
      // Every contender must have made exactly its share of model calls, no more, no fewer.
      const calls = await server.takeRequestCount();
      if (calls !== all.length * runs * stepsPerRun) {
        throw new Error(`round ${round}: ${calls} model calls; expected ${all.length * runs * stepsPerRun}`);
      }
      if (round === 0) continue; // warm-up: JIT, connection pools, lazy requires
      const steps = runsPerRound * stepsPerRun;
      all.forEach((_, i) => {
        wall[i].push(wallMs[i] / steps);
        cpu[i].push(cpuMs[i] / steps);
      });
    }
    const rawIndex = all.findIndex((c) => c.name === RAW_LOOP);
    const rawWall = rawIndex < 0 ? NaN : median(wall[rawIndex]);
    const rawCpu = rawIndex < 0 ? NaN : median(cpu[rawIndex]);
    return all.map((c, i) => ({
      name: c.name,
      wallPerRound: wall[i],
      cpuPerRound: cpu[i],
      medianWallMsPerStep: median(wall[i]),
      medianCpuMsPerStep: median(cpu[i]),
      wallRatioToRaw: median(wall[i]) / rawWall,
      cpuRatioToRaw: median(cpu[i]) / rawCpu,
    }));
  } finally {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

interface ServerProcess {
  readonly baseURL: string;
  /** Model calls answered since the last call of this. */
  takeRequestCount(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The scripted server runs in a child process (this file, started with --serve), so the CPU
 * time measured here is the client's alone: the loop, its SDK and HTTP client.
 */
async function startServerProcess(stepsPerRun: number): Promise<ServerProcess> {
  const child = fork(__filename, ['--serve', String(stepsPerRun)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: ((message: ServerReply) => void)[] = [];
  const failed = new Promise<never>((_, reject) => {
    child.once('exit', (code) => reject(new Error(`the scripted server process exited (code ${code})`)));
  });
  failed.catch(() => undefined);
  child.on('message', (message: ServerReply) => replies.shift()?.(message));
  const next = () => Promise.race([new Promise<ServerReply>((resolve) => replies.push(resolve)), failed]);
  const ready = next();
  const { baseURL } = (await ready) as { baseURL: string };
  return {
    baseURL,
    async takeRequestCount() {
      const reply = next();
      child.send('count');
      return ((await reply) as { count: number }).count;
    },
    async close() {
      child.removeAllListeners('exit');
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

type ServerReply = { baseURL: string } | { count: number };

/** The child side of startServerProcess. */
async function serve(stepsPerRun: number): Promise<void> {
  const server = await startScriptedServer({ loop: loopTurn(stepsPerRun), recordRequests: false });
  let counted = 0;
  process.on('message', (message) => {
    if (message !== 'count') return;
    process.send?.({ count: server.requestCount - counted });
    counted = server.requestCount;
  });
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.send?.({ baseURL: server.baseURL });
}

/** The bench as a markdown section (for `npm run bench`). */
export async function run(options: LoopBenchOptions = defaults): Promise<string> {
  const results = await measureLoops(options);
  const { rounds, runsPerRound, stepsPerRun } = options;
  const lines = [
    '## Loop overhead per step',
    '',
    'Zero-latency scripted OpenAI-compatible server (in its own process); each step is one model call ' +
      'answered with one call of a tiny read tool, the last with a text answer. ' +
      `${runsPerRound} runs × ${stepsPerRun} steps per contender per round, interleaved run by run with the ` +
      `order rotated; ${rounds} measured rounds after a warm-up round of ${options.warmupRuns} runs; medians of the rounds. Wall = time per step ` +
      '(client and server); CPU = the client process\'s CPU time per step (the loop, its SDK, HTTP), which ' +
      'a busy machine disturbs less.',
    '',
    '| Loop | wall ms/step | × raw | CPU ms/step | × raw | wall per round |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.medianWallMsPerStep.toFixed(3)} | ${r.wallRatioToRaw.toFixed(2)}× | ` +
        `${r.medianCpuMsPerStep.toFixed(3)} | ${r.cpuRatioToRaw.toFixed(2)}× | ${r.wallPerRound.map((v) => v.toFixed(2)).join(', ')} |`,
    ),
  ];
  const glassbox = results.find((r) => r.name.startsWith('Glassbox'));
  if (glassbox) {
    const met = (ratio: number) => (ratio <= 1.15 ? 'met' : 'not met');
    lines.push(
      '',
      `Target: Glassbox ≤ 1.15× the raw non-streaming loop — wall ${glassbox.wallRatioToRaw.toFixed(2)}× ` +
        `(${met(glassbox.wallRatioToRaw)}), CPU ${glassbox.cpuRatioToRaw.toFixed(2)}× (${met(glassbox.cpuRatioToRaw)}).`,
    );
  }
  return lines.join('\n');
}

if (require.main === module && process.argv[2] === '--serve') {
  serve(Number(process.argv[3])).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else if (require.main === module) {
  run().then(
    (section) => console.log(section),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
