/**
 * Which instructions files a run reads. Resolved by the host (`glassbox.instructions.*`,
 * Restricted Mode) or the CLI (`--no-instructions`, $XDG_CONFIG_HOME/glassbox/AGENTS.md).
 */
export interface InstructionSettings {
  /** False: no instructions file is read at all. */
  readonly enabled: boolean;
  /** The kinds of files read, by name (INSTRUCTION_NAMES); others are not looked for. */
  readonly names: readonly string[];
  /**
   * False in Restricted Mode (an untrusted workspace): the repository's files are not read,
   * only the user's own file; the `instructions` event says why.
   */
  readonly trustRepository: boolean;
  /** The user's own instructions, read by the host or the CLI (it lies outside the workspace). */
  readonly user?: { readonly path: string; readonly text: string };
  /** Tokens all instructions of a run may take together; INSTRUCTIONS_BUDGET_TOKENS when absent. */
  readonly budgetTokens?: number;
}

/**
 * The custom agent a run runs as (.github/agents/*.agent.md, read by agent-files.ts): its
 * instructions go into the system prompt; with `tools`, only the tools it names are offered.
 */
export interface RunAgent {
  readonly name: string;
  readonly path: string;
  readonly instructions: string;
  /** Tool names, risk groups (`read`…) or `server/*`; all tools when absent. */
  readonly tools?: readonly string[];
}

/** Every kind of file read by default, as the settings name them. */
export const INSTRUCTION_NAMES = [
  'AGENTS.md',
  '.github/copilot-instructions.md',
  '.github/instructions',
  'CLAUDE.md',
  '.clinerules',
  '.cursorrules',
] as const;

/** About 4k tokens: enough for a thorough AGENTS.md, small next to any context window. */
export const INSTRUCTIONS_BUDGET_TOKENS = 4_000;

/** Files named so may also sit in sub-folders, covering the files under them. */
export const NESTED_NAMES: readonly string[] = ['AGENTS.md', 'CLAUDE.md'];

/** Why repository files are not read in Restricted Mode (shown in the trace and the chat). */
export const UNTRUSTED_REASON = 'Restricted Mode: the workspace is not trusted, so its instructions files, custom agents and prompt files are ignored.';
