/**
 * What a long task costs as a user pays for it: a 30-step scripted task whose every step reads
 * a different, large file (6–12k tokens of real TypeScript from installed packages), then a
 * fixed answer. Three loops do it: a naive loop over the raw `openai` SDK that keeps the whole
 * history and appends every result whole; Glassbox with the ageing it used before issue 16
 * (a result cut once it is 5 steps old, one per step: test/bench/support/baseline-step-ageing.ts); and
 * Glassbox as it is (ageing in epochs).
 *
 * The scripted server counts each request as received (Glassbox's cl100k tokenizer) and runs a
 * prompt cache the way OpenAI documents theirs (the longest prefix shared with an earlier
 * request, from 1,024 tokens, in 128-token steps; test/support/prompt-cache.ts). It reports both
 * as usage, and waits before the first byte as a model server reads a prompt: uncached tokens
 * at PREFILL_MS_PER_K ms per thousand, cached ones ten times faster.
 * Run alone: `node dist-test/test/bench/tokens.js`.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { RunLimits } from '../../src/agent/events';
import type { Model } from '../../src/agent/model/model';
import { NodeWorkspaceFs } from '../../src/agent/workspace/node-workspace-fs';
import { OpenAIModel } from '../../src/agent/model/openai-model';
import { runAgent } from '../../src/agent/loop/run-agent';
import { defaultLimits } from '../../src/agent/loop/run-options';
import { buildSystemPrompt } from '../../src/agent/loop/system-prompt';
import { countTextTokens } from '../../src/agent/model/token-estimate';
import { defineTool } from '../../src/agent/tool';
import { startScriptedServer, type ChatRequestBody, type PromptCount, type ScriptStep } from '../support/scripted-server';
import { compactHistoryEveryStep } from './support/baseline-step-ageing';

const READS = 30;
const MIN_FILE_TOKENS = 6_000;
const MAX_FILE_TOKENS = 12_000;
const MAX_LINE_CHARS = 1_000;
const MODEL = 'scripted-model';
const TASK = 'Read each of the listed source files in turn and tell me when you have read them all.';
const FINAL_ANSWER = 'I have read all 30 files. They declare Node.js and library APIs; nothing in them needs changing.';
const TOOL_NAME = 'read_file';
const TOOL_DESCRIPTION = 'Read a whole text file of the workspace. Use it to look at a file before answering about it.';

/** Where realistic source text comes from: declaration and source files of installed packages. */
const SOURCE_ROOTS = ['node_modules/@types/node', 'node_modules/zod/src', 'node_modules/openai/src'];

interface SourceFile {
  /** Path inside the bench workspace. */
  readonly path: string;
  readonly text: string;
  readonly tokens: number;
}

/** The first READS files (in sorted order) whose size is 6–12k tokens: the same set every time. */
function pickSourceFiles(repoRoot: string): SourceFile[] {
  const picked: SourceFile[] = [];
  for (const root of SOURCE_ROOTS) {
    for (const file of filesUnder(join(repoRoot, root))) {
      if (picked.length === READS) return picked;
      const size = statSync(file).size;
      // Cheap pre-filter before tokenizing: code runs at roughly 3–5 characters a token.
      if (size < MIN_FILE_TOKENS * 2 || size > MAX_FILE_TOKENS * 6) continue;
      const text = readFileSync(file, 'utf8');
      // Skip generated-looking files (a line of thousands of characters): they are not what an
      // agent usually reads, and js-tiktoken's merge step is quadratic in such a run.
      if (text.split('\n').some((line) => line.length > MAX_LINE_CHARS)) continue;
      const tokens = countTextTokens(text);
      if (tokens < MIN_FILE_TOKENS || tokens > MAX_FILE_TOKENS) continue;
      const path = `src/${String(picked.length + 1).padStart(2, '0')}-${basename(file)}`;
      picked.push({ path, text, tokens });
    }
  }
  if (picked.length < READS) {
    throw new Error(
      `Found only ${picked.length} files of ${MIN_FILE_TOKENS}–${MAX_FILE_TOKENS} tokens under ${SOURCE_ROOTS.join(', ')} ` +
        `(need ${READS}); run npm install first.`,
    );
  }
  return picked;
}

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.(d\.ts|ts)$/.test(name) ? [path] : [];
  });
}

/** Prefill speed of the scripted model server: uncached prompt tokens, ms per thousand. */
const PREFILL_MS_PER_K = 10;
/** Cached tokens are read ten times faster (OpenAI reports up to 80% lower first-token latency). */
const CACHED_PREFILL_MS_PER_K = 1;

/** The scripted model: reads the files one per step, in order, then answers. */
function taskTurn(files: readonly SourceFile[]) {
  return (request: ChatRequestBody): readonly ScriptStep[] => {
    const done = request.messages.filter((m) => m.role === 'tool').length;
    // The server fills in its own prompt and cached-token counts.
    const usage: ScriptStep = { kind: 'usage', promptTokens: 0, completionTokens: 20 };
    if (done < files.length) return [{ kind: 'tool-calls', calls: [{ name: TOOL_NAME, args: { path: files[done].path } }] }, usage];
    return [{ kind: 'text', text: FINAL_ANSWER }, usage];
  };
}

export interface TokenBenchSide {
  readonly name: string;
  readonly requests: number;
  readonly totalPromptTokens: number;
  readonly largestPromptTokens: number;
  /** Prompt tokens that repeat the previous prompt's beginning, over all prompt tokens. */
  readonly reusableShare: number;
  /** Per prompt from the 7th on: the smallest share repeating the previous prompt's prefix. */
  readonly lowestLaterShare: number;
  /** Prompt tokens the OpenAI-style cache served (1,024-token minimum, 128-token steps). */
  readonly cachedTokens: number;
  /** Uncached prompt tokens plus cached ones at (1 − discount): what the prompts cost. */
  effectiveTokens(discount: number): number;
  /** Milliseconds from sending each request to the first byte of its answer. */
  readonly firstTokenMs: { readonly median: number; readonly total: number };
  readonly answer: string;
}

export interface TokenBenchResult {
  readonly files: number;
  readonly fileTokens: { readonly min: number; readonly max: number; readonly total: number };
  readonly naive: TokenBenchSide;
  readonly everyStep: TokenBenchSide;
  readonly epochs: TokenBenchSide;
}

/**
 * @param limits changes to Glassbox's defaults, to see what a setting would save (the bench
 * itself runs the defaults).
 */
export async function measureTokens(
  limits: Partial<RunLimits> = {},
  repoRoot = join(__dirname, '..', '..', '..'),
): Promise<TokenBenchResult> {
  const files = pickSourceFiles(repoRoot);
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-bench-tokens-'));
  try {
    for (const file of files) {
      mkdirSync(join(workspace, 'src'), { recursive: true });
      writeFileSync(join(workspace, file.path), file.text);
    }
    const fs = new NodeWorkspaceFs([workspace]);
    const systemPrompt = buildSystemPrompt({ roots: fs.roots, facts: [] });
    const readFile = defineTool({
      name: TOOL_NAME,
      description: TOOL_DESCRIPTION,
      risk: 'read',
      input: z.object({ path: z.string() }),
      async execute({ path }, ctx) {
        return new TextDecoder().decode(await ctx.fs.readFile(path, { signal: ctx.signal }));
      },
    });
    const glassboxRun = (extra: Partial<Parameters<typeof runAgent>[0]>) => async (baseURL: string, firstTokenMs: number[]) => {
      let answer = '';
      for await (const event of runAgent({
        model: timedModel(new OpenAIModel({ baseURL, apiKey: 'bench', model: MODEL }), firstTokenMs),
        tools: [readFile],
        fs,
        task: TASK,
        ...extra,
        // The task takes 31 model calls; the default limit is 25.
        limits: { maxSteps: READS + 5, ...extra.limits },
      })) {
        if (event.type === 'run-end') {
          if (event.reason !== 'answered') throw new Error(`the Glassbox run ended with ${event.reason}: ${event.answer}`);
          answer = event.answer;
        }
      }
      return answer;
    };

    const naive = await measureSide('naive loop (raw openai SDK, full history)', files, async (baseURL, firstTokenMs) => {
      const client = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });
      const tools: ChatCompletionTool[] = [
        {
          type: 'function',
          function: {
            name: TOOL_NAME,
            description: TOOL_DESCRIPTION,
            parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
          },
        },
      ];
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: systemPrompt },
        { role: 'user', content: TASK },
      ];
      for (let step = 0; step < READS + 5; step++) {
        // Not streamed, but the server sends the whole answer at once after its prefill, so
        // the wait for the response is the wait for its first byte.
        const started = performance.now();
        const completion = await client.chat.completions.create({ model: MODEL, messages, tools });
        firstTokenMs.push(performance.now() - started);
        const message = completion.choices[0].message;
        messages.push(message);
        if (!message.tool_calls?.length) return message.content ?? '';
        for (const call of message.tool_calls) {
          if (call.type !== 'function') continue;
          const { path } = JSON.parse(call.function.arguments) as { path: string };
          messages.push({ role: 'tool', tool_call_id: call.id, content: readFileSync(join(workspace, path), 'utf8') });
        }
      }
      throw new Error('the naive loop did not finish');
    });
    const everyStep = await measureSide(
      'Glassbox before: a result aged once 5 steps old, one per step',
      files,
      glassboxRun({ compactHistory: compactHistoryEveryStep, limits: { ...limits, keepFullResultSteps: 5 } }),
    );
    const epochs = await measureSide('Glassbox now: ageing in epochs', files, glassboxRun({ limits }));

    for (const side of [naive, everyStep, epochs]) {
      if (side.answer !== FINAL_ANSWER) throw new Error(`${side.name} ended with ${JSON.stringify(side.answer)}, not the scripted answer`);
      if (side.requests !== READS + 1) throw new Error(`${side.name} made ${side.requests} model calls, not ${READS + 1}`);
    }
    const tokens = files.map((f) => f.tokens);
    return {
      files: files.length,
      fileTokens: { min: Math.min(...tokens), max: Math.max(...tokens), total: tokens.reduce((a, b) => a + b, 0) },
      naive,
      everyStep,
      epochs,
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Times each call from its start to the first chunk the model yields. */
function timedModel(model: Model, firstTokenMs: number[]): Model {
  return {
    name: model.name,
    async *stream(request, signal) {
      const started = performance.now();
      let first = true;
      for await (const chunk of model.stream(request, signal)) {
        if (first) firstTokenMs.push(performance.now() - started);
        first = false;
        yield chunk;
      }
    },
  };
}

async function measureSide(
  name: string,
  files: readonly SourceFile[],
  runTask: (baseURL: string, firstTokenMs: number[]) => Promise<string>,
): Promise<TokenBenchSide> {
  const server = await startScriptedServer({
    loop: taskTurn(files),
    recordRequests: false,
    promptCache: true,
    prefill: { msPerThousandTokens: PREFILL_MS_PER_K, cachedMsPerThousandTokens: CACHED_PREFILL_MS_PER_K },
  });
  const firstTokenMs: number[] = [];
  try {
    const answer = await runTask(server.baseURL, firstTokenMs);
    return summarize(name, server.promptCounts, firstTokenMs, answer);
  } finally {
    await server.close();
  }
}

function summarize(name: string, counts: readonly PromptCount[], firstTokenMs: readonly number[], answer: string): TokenBenchSide {
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  const total = sum(counts.map((c) => c.promptTokens));
  const cached = sum(counts.map((c) => c.cachedTokens));
  const sorted = [...firstTokenMs].sort((a, b) => a - b);
  return {
    name,
    requests: counts.length,
    totalPromptTokens: total,
    largestPromptTokens: Math.max(...counts.map((c) => c.promptTokens)),
    reusableShare: sum(counts.map((c) => c.previousSharedTokens)) / total,
    lowestLaterShare: Math.min(...counts.slice(6).map((c) => c.previousSharedTokens / c.promptTokens)),
    cachedTokens: cached,
    effectiveTokens: (discount) => total - cached + cached * (1 - discount),
    firstTokenMs: { median: sorted[Math.floor(sorted.length / 2)] ?? 0, total: sum(firstTokenMs) },
    answer,
  };
}

/** The bench as a markdown section (for `npm run bench`). */
export async function run(): Promise<string> {
  const result = await measureTokens();
  const { naive, everyStep, epochs, fileTokens } = result;
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const pct = (value: number) => `${(value * 100).toFixed(0)}%`;
  const times = (side: TokenBenchSide, discount: number) => (side.effectiveTokens(discount) / naive.effectiveTokens(discount)).toFixed(2);
  const row = (side: TokenBenchSide) =>
    `| ${side.name} | ${n(side.totalPromptTokens)} | ${n(side.largestPromptTokens)} | ${pct(side.reusableShare)} | ` +
    `${pct(side.lowestLaterShare)} | ${n(side.cachedTokens)} | ${n(side.effectiveTokens(0.9))} (${times(side, 0.9)}×) | ` +
    `${n(side.effectiveTokens(0.5))} (${times(side, 0.5)}×) | ${side.firstTokenMs.median.toFixed(0)} ms / ${(side.firstTokenMs.total / 1000).toFixed(1)} s |`;
  const reusableMet = epochs.reusableShare >= 0.85;
  const costMet = epochs.effectiveTokens(0.9) / naive.effectiveTokens(0.9) <= 0.35;
  return [
    '## What a long task costs, prompt cache included',
    '',
    `A ${READS}-step scripted task: each step reads a different real source file ` +
      `(${n(fileTokens.min)}–${n(fileTokens.max)} tokens, ${n(fileTokens.total)} in all), then a fixed answer, ` +
      'which all three loops return. The scripted server counts each prompt as received (cl100k) and caches prompts ' +
      'as OpenAI documents it (the longest prefix shared with an earlier request, from 1,024 tokens, in 128-token steps). ' +
      `It reads uncached prompt tokens at ${PREFILL_MS_PER_K} ms and cached ones at ${CACHED_PREFILL_MS_PER_K} ms per thousand ` +
      'before the first byte of each answer. Glassbox runs with its defaults (result budget ' +
      `${n(defaultLimits.toolResultTokens)} tokens; now: results whole until they add up to ${n(defaultLimits.wholeResultsTokens)} tokens, ` +
      `then all but the latest ${defaultLimits.keepFullResultSteps} step's cut to ${defaultLimits.agedResultTokens} tokens at once) ` +
      'except maxSteps, raised so the task can finish. Effective tokens: uncached prompt tokens plus cached ones at ' +
      'the discount\'s remainder, which is what the prompts cost in units of one uncached token.',
    '',
    '| Loop | prompt tokens | largest prompt | repeats the previous prompt | lowest, prompt 7 on | cached (OpenAI rules) | effective, 90% discount | effective, 50% discount | first token, median / total |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row(naive),
    row(everyStep),
    row(epochs),
    '',
    `Targets: ≥ 85% of prompt tokens reusable — ${reusableMet ? 'met' : 'not met'} (${pct(epochs.reusableShare)}); ` +
      `effective cost ≤ 0.35× the naive loop's at a 90% discount — ${costMet ? 'met' : 'not met'} (${times(epochs, 0.9)}×). ` +
      `The naive loop's largest prompt, ${n(naive.largestPromptTokens)} tokens, ` +
      `${naive.largestPromptTokens > defaultLimits.contextTokens ? 'would not fit' : 'fits'} a ${n(defaultLimits.contextTokens)}-token context window.`,
  ].join('\n');
}

if (require.main === module) {
  run().then(
    (section) => console.log(section),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
