import { messageOf } from '../format';
import type { WorkspaceFs } from '../workspace-fs';
import { listOf, parseFrontmatter, stringOf } from './frontmatter';
import { readInstructionFile } from './read-instruction-file';

/**
 * A custom agent from `.github/agents/*.agent.md`: its frontmatter names it (`name`, else the
 * file's name), says what it is for (`description`), which tools it may use (`tools`: names,
 * groups, `server/*`; all when absent) and optionally its `model`; the body is its instructions.
 */
export interface CustomAgent {
  readonly name: string;
  readonly description?: string;
  readonly tools?: readonly string[];
  readonly model?: string;
  readonly instructions: string;
  readonly path: string;
}

/** A reusable prompt from `.github/prompts/*.prompt.md`, run as `/name` in the chat. */
export interface PromptFile {
  readonly name: string;
  readonly description?: string;
  /** A custom agent's name, or `plan` for Plan first. */
  readonly agent?: string;
  readonly tools?: readonly string[];
  readonly body: string;
  readonly path: string;
}

export interface Found<T> {
  readonly items: readonly T[];
  /** Files that could not be read or whose header has problems, one line each. */
  readonly problems: readonly string[];
}

/** Only this many files of each kind are read: a repository is not a prompt library. */
const MAX_FILES = 100;

/** The custom agents of every workspace folder (a name met twice: the first wins, the second is a problem). */
export async function findCustomAgents(fs: WorkspaceFs, signal?: AbortSignal): Promise<Found<CustomAgent>> {
  return findFiles(fs, '.github/agents', '.agent.md', signal, (path, base, header) => ({
    name: stringOf(header.data.name) ?? base,
    ...optional('description', stringOf(header.data.description)),
    ...(header.data.tools !== undefined ? { tools: listOf(header.data.tools) } : {}),
    ...optional('model', stringOf(header.data.model)),
    instructions: header.body.trim(),
    path,
  }));
}

/** The prompt files of every workspace folder. */
export async function findPromptFiles(fs: WorkspaceFs, signal?: AbortSignal): Promise<Found<PromptFile>> {
  return findFiles(fs, '.github/prompts', '.prompt.md', signal, (path, base, header) => ({
    name: stringOf(header.data.name) ?? base,
    ...optional('description', stringOf(header.data.description)),
    // Copilot's older files say `mode`.
    ...optional('agent', stringOf(header.data.agent) ?? stringOf(header.data.mode)),
    ...(header.data.tools !== undefined ? { tools: listOf(header.data.tools) } : {}),
    body: header.body.trim(),
    path,
  }));
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}

async function findFiles<T extends { readonly name: string }>(
  fs: WorkspaceFs,
  folder: string,
  suffix: string,
  signal: AbortSignal | undefined,
  make: (path: string, base: string, header: ReturnType<typeof parseFrontmatter>) => T,
): Promise<Found<T>> {
  const items: T[] = [];
  const problems: string[] = [];
  const prefixes = fs.roots.length > 1 ? fs.roots.map((root) => `${root.name}/`) : [''];
  for (const prefix of prefixes) {
    const entries = await fs.readDirectory(`${prefix}${folder}`).catch(() => []);
    const names = entries.filter((e) => e.kind === 'file' && e.name.endsWith(suffix)).map((e) => e.name).sort().slice(0, MAX_FILES);
    for (const fileName of names) {
      const path = `${prefix}${folder}/${fileName}`;
      try {
        const read = await readInstructionFile(fs, path, signal);
        if (!read) continue;
        const header = parseFrontmatter(read.text);
        for (const problem of header.problems) problems.push(`${path}: header ${problem}`);
        const item = make(path, fileName.slice(0, -suffix.length), header);
        if (!/^[\w.-]+$/.test(item.name)) problems.push(`${path}: the name "${item.name}" has characters other than letters, digits, . _ -; not offered`);
        else if (items.some((other) => other.name === item.name)) problems.push(`${path}: "${item.name}" is defined earlier too; this one is not offered`);
        else items.push(item);
      } catch (error) {
        if (signal?.aborted) throw error;
        problems.push(`${path}: not read (${messageOf(error)})`);
      }
    }
  }
  return { items, problems };
}
