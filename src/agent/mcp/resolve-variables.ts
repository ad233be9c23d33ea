import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError } from '../errors';
import type { McpInput, McpServerDefinition } from './server-config';

/** What a definition needs from its host to become something that can be started. */
export interface VariableContext {
  /** The folder `${workspaceFolder}` stands for, and relative paths start from. */
  readonly workspaceFolder?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly inputs: readonly McpInput[];
  /**
   * Answers `${input:ID}`: VS Code asks once and keeps the answer in SecretStorage; the CLI
   * reads an environment variable. Rejects (or returns undefined) when there is no answer.
   */
  readonly resolveInput: (input: McpInput) => Promise<string | undefined>;
}

const VARIABLE = /\$\{([^}]+)\}/gu;

/**
 * Replaces `${input:ID}`, `${env:NAME}` and `${workspaceFolder}` in every value a definition
 * holds, and reads its envFile (whose values the definition's own env overrides).
 */
export async function resolveVariables(definition: McpServerDefinition, context: VariableContext): Promise<McpServerDefinition> {
  const answers = new Map<string, string>();
  const ids = new Set<string>();
  for (const text of valuesOf(definition)) {
    for (const match of text.matchAll(VARIABLE)) if (match[1].startsWith('input:')) ids.add(match[1].slice('input:'.length));
  }
  for (const id of ids) {
    const input = context.inputs.find((i) => i.id === id);
    if (!input) throw new ConfigurationError(`MCP server "${definition.name}" uses \${input:${id}}, but "inputs" has no entry with id "${id}".`);
    const answer = await context.resolveInput(input);
    if (answer === undefined) throw new ConfigurationError(`MCP server "${definition.name}" needs a value for \${input:${id}} (${input.description || id}).`);
    answers.set(id, answer);
  }
  const substitute = (text: string): string =>
    text.replace(VARIABLE, (whole, name: string) => {
      if (name.startsWith('input:')) return answers.get(name.slice('input:'.length)) ?? whole;
      if (name.startsWith('env:')) return context.env[name.slice('env:'.length)] ?? '';
      if (name === 'workspaceFolder') {
        if (!context.workspaceFolder) throw new ConfigurationError(`MCP server "${definition.name}" uses \${workspaceFolder}, but no folder is open.`);
        return context.workspaceFolder;
      }
      if (name === 'userHome') return context.env.HOME ?? context.env.USERPROFILE ?? whole;
      if (name === 'pathSeparator' || name === '/') return process.platform === 'win32' ? '\\' : '/';
      throw new ConfigurationError(`MCP server "${definition.name}": unknown variable ${whole}.`);
    });
  const mapValues = <T extends string | null>(record: Readonly<Record<string, T>>) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === null ? v : substitute(v)])) as Record<string, T>;

  if (definition.transport !== 'stdio') {
    return { ...definition, url: substitute(definition.url), headers: mapValues(definition.headers) };
  }
  const base = context.workspaceFolder ?? process.cwd();
  const cwd = definition.cwd ? resolvePath(base, substitute(definition.cwd)) : undefined;
  let fileEnv: Record<string, string> = {};
  if (definition.envFile) {
    const path = resolvePath(cwd ?? base, substitute(definition.envFile));
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new ConfigurationError(`MCP server "${definition.name}": cannot read its envFile ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
    }
    fileEnv = parseEnvFile(text);
  }
  return {
    ...definition,
    command: substitute(definition.command),
    args: definition.args.map(substitute),
    env: { ...fileEnv, ...mapValues(definition.env) },
    ...(cwd ? { cwd } : {}),
  };
}

function resolvePath(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

function valuesOf(definition: McpServerDefinition): string[] {
  if (definition.transport !== 'stdio') return [definition.url, ...Object.values(definition.headers)];
  return [
    definition.command,
    ...definition.args,
    ...Object.values(definition.env).filter((v): v is string => v !== null),
    ...(definition.cwd ? [definition.cwd] : []),
    ...(definition.envFile ? [definition.envFile] : []),
  ];
}

/** A dotenv file: `KEY=value` lines, `#` comments, optional `export `, single or double quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/u)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*)$/u.exec(line);
    if (!match) continue;
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\n/gu, '\n').replace(/\\"/gu, '"');
    } else {
      value = value.replace(/\s+#.*$/u, '');
    }
    env[match[1]] = value;
  }
  return env;
}
