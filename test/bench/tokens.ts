/**
 * Prompt tokens a long task costs: a 30-step scripted task whose every step reads a different,
 * large file (6–12k tokens of real TypeScript from installed packages), then a fixed answer.
 * Glassbox with its defaults (result budget, context compaction) against a naive loop over the
 * raw `openai` SDK that keeps the whole history and appends every result whole.
 *
 * Tokens are counted where the model would count them: the scripted server runs Glassbox's
 * tokenizer (estimateRequestTokens) over each request exactly as received, and reports that
 * count back as the call's usage. Run alone: `node dist-test/test/bench/tokens.js`.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { RunLimits } from '../../src/agent/events';
import type { ChatMessage, ToolSpec } from '../../src/agent/model/model';
import { NodeWorkspaceFs } from '../../src/agent/workspace/node-workspace-fs';
import { OpenAIModel } from '../../src/agent/model/openai-model';
import { runAgent } from '../../src/agent/loop/run-agent';
import { defaultLimits } from '../../src/agent/loop/run-options';
import { buildSystemPrompt } from '../../src/agent/loop/system-prompt';
import { countTextTokens, estimateRequestTokens } from '../../src/agent/model/token-estimate';
import { defineTool } from '../../src/agent/tool';
import { startScriptedServer, type ChatRequestBody, type ScriptStep, type WireMessage } from '../support/scripted-server';

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

/**
 * Counts each request's prompt tokens as received. Identical messages (the naive loop resends
 * its whole history every time) are interned, so the tokenizer's per-message cache spares
 * re-encoding them: the count is the same, only faster.
 */
class PromptTokenMeter {
  readonly perRequest: number[] = [];
  readonly #messages = new Map<string, ChatMessage>();
  readonly #toolLists = new Map<string, ToolSpec[]>();

  count(request: ChatRequestBody): number {
    const messages = request.messages.map((m) => this.#intern(m));
    const toolsJson = JSON.stringify(request.tools ?? []);
    let tools = this.#toolLists.get(toolsJson);
    if (!tools) {
      tools = (request.tools ?? []).map((t) => ({
        name: t.function.name,
        description: t.function.description ?? '',
        parameters: (t.function.parameters ?? {}) as Record<string, unknown>,
      }));
      this.#toolLists.set(toolsJson, tools);
    }
    const tokens = estimateRequestTokens(messages, tools);
    this.perRequest.push(tokens);
    return tokens;
  }

  #intern(wire: WireMessage): ChatMessage {
    const key = JSON.stringify(wire);
    let message = this.#messages.get(key);
    if (!message) {
      message = fromWire(wire);
      this.#messages.set(key, message);
    }
    return message;
  }
}

function fromWire(wire: WireMessage): ChatMessage {
  const content = typeof wire.content === 'string' ? wire.content : wire.content == null ? null : JSON.stringify(wire.content);
  switch (wire.role) {
    case 'system':
    case 'user':
      return { role: wire.role, content: content ?? '' };
    case 'assistant':
      return {
        role: 'assistant',
        content,
        toolCalls: (wire.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, argumentsJson: c.function.arguments })),
      };
    case 'tool':
      return { role: 'tool', toolCallId: wire.tool_call_id ?? '', content: content ?? '' };
    default:
      throw new Error(`the scripted server received a message with role ${JSON.stringify(wire.role)}`);
  }
}

/** The scripted model: reads the files one per step, in order, then answers. */
function taskTurn(files: readonly SourceFile[], meter: PromptTokenMeter) {
  return (request: ChatRequestBody): readonly ScriptStep[] => {
    const promptTokens = meter.count(request);
    const done = request.messages.filter((m) => m.role === 'tool').length;
    const usage: ScriptStep = { kind: 'usage', promptTokens, completionTokens: 20 };
    if (done < files.length) return [{ kind: 'tool-calls', calls: [{ name: TOOL_NAME, args: { path: files[done].path } }] }, usage];
    return [{ kind: 'text', text: FINAL_ANSWER }, usage];
  };
}

export interface TokenBenchSide {
  readonly name: string;
  readonly requests: number;
  readonly totalPromptTokens: number;
  readonly largestPromptTokens: number;
  readonly answer: string;
}

export interface TokenBenchResult {
  readonly files: number;
  readonly fileTokens: { readonly min: number; readonly max: number; readonly total: number };
  readonly glassbox: TokenBenchSide;
  readonly naive: TokenBenchSide;
  readonly ratio: number;
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

    const glassbox = await measureSide('Glassbox (defaults)', files, async (baseURL) => {
      const readFile = defineTool({
        name: TOOL_NAME,
        description: TOOL_DESCRIPTION,
        risk: 'read',
        input: z.object({ path: z.string() }),
        async execute({ path }, ctx) {
          return new TextDecoder().decode(await ctx.fs.readFile(path, { signal: ctx.signal }));
        },
      });
      let answer = '';
      for await (const event of runAgent({
        model: new OpenAIModel({ baseURL, apiKey: 'bench', model: MODEL }),
        tools: [readFile],
        fs,
        task: TASK,
        // The one change from the defaults: the task takes 31 model calls, the default limit is 25.
        limits: { maxSteps: READS + 5, ...limits },
      })) {
        if (event.type === 'run-end') {
          if (event.reason !== 'answered') throw new Error(`the Glassbox run ended with ${event.reason}: ${event.answer}`);
          answer = event.answer;
        }
      }
      return answer;
    });

    const naive = await measureSide('naive loop (raw openai SDK, full history)', files, async (baseURL) => {
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
        const completion = await client.chat.completions.create({ model: MODEL, messages, tools });
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

    for (const side of [glassbox, naive]) {
      if (side.answer !== FINAL_ANSWER) throw new Error(`${side.name} ended with ${JSON.stringify(side.answer)}, not the scripted answer`);
      if (side.requests !== READS + 1) throw new Error(`${side.name} made ${side.requests} model calls, not ${READS + 1}`);
    }
    const tokens = files.map((f) => f.tokens);
    return {
      files: files.length,
      fileTokens: { min: Math.min(...tokens), max: Math.max(...tokens), total: tokens.reduce((a, b) => a + b, 0) },
      glassbox,
      naive,
      ratio: glassbox.totalPromptTokens / naive.totalPromptTokens,
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

async function measureSide(
  name: string,
  files: readonly SourceFile[],
  runTask: (baseURL: string) => Promise<string>,
): Promise<TokenBenchSide> {
  const meter = new PromptTokenMeter();
  const server = await startScriptedServer({ loop: taskTurn(files, meter), recordRequests: false });
  try {
    const answer = await runTask(server.baseURL);
    return {
      name,
      requests: meter.perRequest.length,
      totalPromptTokens: meter.perRequest.reduce((a, b) => a + b, 0),
      largestPromptTokens: Math.max(...meter.perRequest),
      answer,
    };
  } finally {
    await server.close();
  }
}

/** The bench as a markdown section (for `npm run bench`). */
export async function run(): Promise<string> {
  const result = await measureTokens();
  const { glassbox, naive, fileTokens } = result;
  const row = (side: TokenBenchSide) =>
    `| ${side.name} | ${side.requests} | ${side.totalPromptTokens.toLocaleString('en-US')} | ` +
    `${side.largestPromptTokens.toLocaleString('en-US')} | ${(side.totalPromptTokens / naive.totalPromptTokens).toFixed(2)}× |`;
  return [
    '## Prompt tokens over a long task',
    '',
    `A ${READS}-step scripted task: each step reads a different real source file ` +
      `(${fileTokens.min.toLocaleString('en-US')}–${fileTokens.max.toLocaleString('en-US')} tokens, ` +
      `${fileTokens.total.toLocaleString('en-US')} in all), then a fixed answer, which both loops return. ` +
      'Prompt tokens are counted by the scripted server over each request as received (cl100k). ' +
      `Glassbox runs with its defaults (result budget ${defaultLimits.toolResultTokens.toLocaleString('en-US')} tokens, ` +
      `results older than the latest ${defaultLimits.keepFullResultSteps} steps cut to their first ${defaultLimits.agedResultTokens} tokens, ` +
      `context ${defaultLimits.contextTokens.toLocaleString('en-US')}) except maxSteps, raised so the task can finish.`,
    '',
    '| Loop | model calls | prompt tokens sent | largest prompt | × naive |',
    '| --- | ---: | ---: | ---: | ---: |',
    row(glassbox),
    row(naive),
    '',
    `Target: ≤ 0.35× the naive loop — ${result.ratio <= 0.35 ? 'met' : 'not met'} (${result.ratio.toFixed(2)}×). ` +
      `The naive loop's largest prompt, ${naive.largestPromptTokens.toLocaleString('en-US')} tokens, ` +
      `${naive.largestPromptTokens > defaultLimits.contextTokens ? 'would not fit' : 'fits'} a ` +
      `${defaultLimits.contextTokens.toLocaleString('en-US')}-token context window.`,
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
