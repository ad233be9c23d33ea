/**
 * The fixed prompt: what every model call carries before the task (the system prompt and the
 * tool definitions), in the default mode and in small-model mode, with every tool the CLI
 * offers. Counted with Glassbox's tokenizer (cl100k) over the request as it is sent.
 * Run alone: `node dist-test/test/bench/prompt-size.js`.
 */
import type { ChatMessage } from '../../src/agent/model/model';
import { estimateRequestTokens } from '../../src/agent/model/token-estimate';
import { buildSystemPrompt } from '../../src/agent/loop/system-prompt';
import { SMALL_MODEL_MAX_TOOLS, smallModelSpec, smallModelTools } from '../../src/agent/loop/small-model';
import { toolSpecOf } from '../../src/agent/loop/tool-specs';
import { NodeWorkspaceFs } from '../../src/agent/workspace/node-workspace-fs';
import { NodeSearcher } from '../../src/agent/workspace/search/node-searcher';
import { createTools } from '../../src/tools';

export interface PromptSize {
  readonly mode: string;
  readonly tools: number;
  readonly systemTokens: number;
  readonly toolTokens: number;
  readonly totalTokens: number;
}

export function measurePromptSizes(): PromptSize[] {
  const fs = new NodeWorkspaceFs([process.cwd()]);
  const tools = createTools({ searcher: new NodeSearcher(fs) });
  const roots = [{ name: 'project' }] as unknown as typeof fs.roots;
  const now = new Date('2026-12-01T00:00:00Z');
  const measure = (mode: string, small: boolean): PromptSize => {
    const offered = small ? smallModelTools(tools) : tools;
    const specs = offered.map(small ? smallModelSpec : toolSpecOf);
    const system: ChatMessage = { role: 'system', content: buildSystemPrompt({ roots, facts: [], now, small }) };
    const systemTokens = estimateRequestTokens([system], []);
    const totalTokens = estimateRequestTokens([system], specs);
    return { mode, tools: specs.length, systemTokens, toolTokens: totalTokens - systemTokens, totalTokens };
  };
  return [measure('default', false), measure('small-model', true)];
}

export async function run(): Promise<string> {
  const [full, small] = measurePromptSizes();
  const row = (s: PromptSize) => `| ${s.mode} | ${s.tools} | ${s.systemTokens} | ${s.toolTokens} | **${s.totalTokens}** |`;
  return [
    '## Fixed prompt size',
    '',
    'System prompt plus tool definitions, as sent on every model call (no memory facts, one workspace folder), ' +
      'counted with the cl100k tokenizer. Small-model mode (context ≤ 16k tokens, or by setting) offers at most ' +
      `${SMALL_MODEL_MAX_TOOLS} tools, read tools first, each with one line and an example.`,
    '',
    '| Mode | tools | system prompt | tool definitions | total tokens |',
    '| --- | ---: | ---: | ---: | ---: |',
    row(full),
    row(small),
    '',
    `Target ≤ 1,000 tokens in small-model mode: ${small.totalTokens <= 1000 ? 'met' : 'not met'} (${small.totalTokens}).`,
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
