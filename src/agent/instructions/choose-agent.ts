import { ConfigurationError } from '../errors';
import type { RunAgent } from './instruction-settings';
import type { WorkspaceFs } from '../workspace-fs';
import { findCustomAgents, findPromptFiles, type CustomAgent, type PromptFile } from './agent-files';
import { expandPromptCommand } from './prompt-command';

/** Agent names that mean Glassbox's own agent (Copilot's built-in modes included). */
const DEFAULT_AGENTS = new Set(['default', 'agent', 'ask', 'edit']);

/** What a question runs as: its task (a prompt file expanded), its agent, Plan first. */
export interface AgentChoice {
  readonly task: string;
  readonly agent?: RunAgent;
  /** The prompt file or agent asked for Plan first (`agent: plan`). */
  readonly planFirst: boolean;
  /** The agent's `model`, for a host that can switch models. */
  readonly model?: string;
  readonly prompt?: PromptFile;
  /** Header problems of the files read, to show as warnings. */
  readonly problems: readonly string[];
}

/**
 * Resolves `/name rest` (a prompt file) and the agent chosen (by the person, or by the prompt
 * file's `agent`) against the workspace's files. A prompt file's `tools` replace the agent's.
 * Throws ConfigurationError naming what there is when a prompt or an agent is not found; only
 * call it where the workspace is trusted (Restricted Mode ignores these files).
 */
export async function chooseAgent(fs: WorkspaceFs, text: string, agentName: string | undefined, signal?: AbortSignal): Promise<AgentChoice> {
  const problems: string[] = [];
  let task = text;
  let prompt: PromptFile | undefined;
  if (/^\/[\w.-]+(\s|$)/.test(text.trim())) {
    const prompts = await findPromptFiles(fs, signal);
    problems.push(...prompts.problems);
    const expanded = expandPromptCommand(text, prompts.items);
    if (!expanded) {
      const names = prompts.items.map((p) => `/${p.name}`).join(', ');
      throw new ConfigurationError(`No prompt file is named ${text.trim().split(/\s/)[0]} (in .github/prompts/*.prompt.md). ${names ? `There are: ${names}.` : 'There are none.'}`);
    }
    task = expanded.task;
    prompt = expanded.prompt;
  }
  const name = prompt?.agent ?? agentName;
  const planFirst = name === 'plan';
  let custom: CustomAgent | undefined;
  if (name !== undefined && !planFirst && !DEFAULT_AGENTS.has(name)) {
    const agents = await findCustomAgents(fs, signal);
    problems.push(...agents.problems);
    custom = agents.items.find((a) => a.name === name);
    if (!custom) {
      const names = agents.items.map((a) => a.name).join(', ');
      throw new ConfigurationError(`No custom agent is named "${name}" (in .github/agents/*.agent.md). ${names ? `There are: ${names}.` : 'There are none.'}`);
    }
  }
  const tools = prompt?.tools ?? custom?.tools;
  const agent: RunAgent | undefined = custom
    ? { name: custom.name, path: custom.path, instructions: custom.instructions, ...(tools ? { tools } : {}) }
    : tools && prompt
      ? { name: `/${prompt.name}`, path: prompt.path, instructions: '', tools }
      : undefined;
  return { task, planFirst, problems, ...(agent ? { agent } : {}), ...(custom?.model ? { model: custom.model } : {}), ...(prompt ? { prompt } : {}) };
}
