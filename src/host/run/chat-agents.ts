import * as vscode from 'vscode';
import { findCustomAgents, findPromptFiles } from '../../agent/instructions/agent-files';
import { chooseAgent, type AgentChoice } from '../../agent/instructions/choose-agent';
import { messageOf } from '../../agent/format';
import type { Logger } from '../../agent/logger';
import { VscodeWorkspaceFs } from '../workspace/vscode-workspace-fs';

/** An agent or prompt file as the chat's picker and `/` completion show it. */
export interface NamedEntry {
  readonly name: string;
  readonly description?: string;
}

/**
 * The chat's custom agents (.github/agents) and prompt files (.github/prompts): the agent the
 * person picked, what the picker and the `/` completion offer, and what a question runs as.
 * In Restricted Mode they are the repository's untrusted content: none is offered or read.
 */
export class ChatAgents {
  /** The picked custom agent; undefined: Glassbox's own. */
  #selected: string | undefined;

  constructor(private readonly logger: Logger) {}

  get selected(): string | undefined {
    return this.#selected;
  }

  select(name: string | undefined): void {
    this.#selected = name;
  }

  /** What the chat offers; nothing in Restricted Mode. */
  async offered(): Promise<{ agents: NamedEntry[]; prompts: NamedEntry[] }> {
    if (!vscode.workspace.isTrusted || !vscode.workspace.workspaceFolders?.length) return { agents: [], prompts: [] };
    const fs = new VscodeWorkspaceFs();
    const [agents, prompts] = await Promise.all([findCustomAgents(fs).catch(() => ({ items: [] })), findPromptFiles(fs).catch(() => ({ items: [] }))]);
    const entry = ({ name, description }: NamedEntry): NamedEntry => ({ name, ...(description ? { description } : {}) });
    return { agents: agents.items.map(entry), prompts: prompts.items.map(entry) };
  }

  /**
   * What `task` runs as: a `/name` prompt expanded, the picked (or the prompt's) agent. In
   * Restricted Mode the task as typed. Undefined when the prompt or agent is not there (the
   * person is told which there are).
   */
  async choose(task: string): Promise<AgentChoice | undefined> {
    if (!vscode.workspace.isTrusted || !vscode.workspace.workspaceFolders?.length) return { task, planFirst: false, problems: [] };
    try {
      const choice = await chooseAgent(new VscodeWorkspaceFs(), task, this.#selected);
      for (const problem of choice.problems) this.logger.warn(problem);
      return choice;
    } catch (error) {
      void vscode.window.showWarningMessage(`Glassbox: ${messageOf(error)}`);
      return undefined;
    }
  }
}
