import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConfigurationError } from '../errors';

/**
 * MCP server definitions in VS Code's own mcp.json format, so a file written for VS Code (or
 * copied from a server's README) works unchanged:
 *   { "servers": { NAME: { "type": "stdio", "command", "args", "env", "envFile", "cwd" }
 *                      | { "type": "http" | "sse", "url", "headers" } },
 *     "inputs": [{ "type": "promptString", "id", "description", "password" }] }
 * Values may hold `${input:ID}` (asked once, kept by the host), `${env:NAME}` and `${workspaceFolder}`.
 */

const StdioServer = z.object({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).default({}),
  envFile: z.string().optional(),
  cwd: z.string().optional(),
});

const HttpServer = z.object({
  type: z.enum(['http', 'sse']).optional(),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).default({}),
});

const McpInput = z.object({
  type: z.string().default('promptString'),
  id: z.string().min(1),
  description: z.string().default(''),
  password: z.boolean().default(false),
  default: z.string().optional(),
});
export type McpInput = z.infer<typeof McpInput>;

export const McpConfigFile = z.object({
  servers: z.record(z.string(), z.unknown()).default({}),
  inputs: z.array(McpInput).default([]),
});

/** Where a definition came from: a workspace's file is code a cloned repository ships. */
export type McpConfigOrigin = 'user' | 'workspace' | 'cli';

export type McpServerDefinition =
  | {
      readonly name: string;
      readonly origin: McpConfigOrigin;
      readonly transport: 'stdio';
      readonly command: string;
      readonly args: readonly string[];
      readonly env: Readonly<Record<string, string | null>>;
      readonly envFile?: string;
      readonly cwd?: string;
    }
  | {
      readonly name: string;
      readonly origin: McpConfigOrigin;
      /** `http`: streamable HTTP, falling back to the older SSE transport; `sse`: SSE only. */
      readonly transport: 'http' | 'sse';
      readonly url: string;
      readonly headers: Readonly<Record<string, string>>;
    };

export interface McpConfig {
  readonly servers: readonly McpServerDefinition[];
  readonly inputs: readonly McpInput[];
}

/**
 * Parses an mcp.json text (JSON with comments and trailing commas, as VS Code writes it).
 * Throws ConfigurationError naming the server and field at fault; nothing is started here.
 */
export function parseMcpConfig(text: string, origin: McpConfigOrigin, source = 'mcp.json'): McpConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(stripJsonComments(text));
  } catch (error) {
    throw new ConfigurationError(`${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return mcpConfigFrom(raw, origin, source);
}

/** The same from an already parsed value (e.g. the `glassbox.mcp.servers` setting). */
export function mcpConfigFrom(raw: unknown, origin: McpConfigOrigin, source: string): McpConfig {
  const file = McpConfigFile.safeParse(raw);
  if (!file.success) throw new ConfigurationError(`${source}: ${file.error.issues.map(describeIssue).join('; ')}`);
  const servers: McpServerDefinition[] = [];
  for (const [name, value] of Object.entries(file.data.servers)) {
    if (!/^[\w.-]{1,64}$/u.test(name)) {
      throw new ConfigurationError(`${source}: server name "${name}" must be 1–64 letters, digits, "_", "-" or ".".`);
    }
    servers.push(definitionOf(name, value, origin, source));
  }
  return { servers, inputs: file.data.inputs };
}

function definitionOf(name: string, value: unknown, origin: McpConfigOrigin, source: string): McpServerDefinition {
  const type = value && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
  const hasUrl = value && typeof value === 'object' && 'url' in value;
  if (type === 'http' || type === 'sse' || (type === undefined && hasUrl)) {
    const parsed = HttpServer.safeParse(value);
    if (!parsed.success) throw new ConfigurationError(`${source}: server "${name}": ${parsed.error.issues.map(describeIssue).join('; ')}`);
    return { name, origin, transport: parsed.data.type ?? 'http', url: parsed.data.url, headers: parsed.data.headers };
  }
  if (type !== undefined && type !== 'stdio') {
    throw new ConfigurationError(`${source}: server "${name}" has type "${String(type)}"; use "stdio", "http" or "sse".`);
  }
  const parsed = StdioServer.safeParse(value);
  if (!parsed.success) throw new ConfigurationError(`${source}: server "${name}": ${parsed.error.issues.map(describeIssue).join('; ')}`);
  const env = Object.fromEntries(Object.entries(parsed.data.env).map(([k, v]) => [k, v === null ? null : String(v)]));
  return {
    name,
    origin,
    transport: 'stdio',
    command: parsed.data.command,
    args: parsed.data.args,
    env,
    ...(parsed.data.envFile ? { envFile: parsed.data.envFile } : {}),
    ...(parsed.data.cwd ? { cwd: parsed.data.cwd } : {}),
  };
}

/**
 * Identifies a definition for trust: any change to what would run (command, arguments,
 * environment, folder, URL, headers) gives a new hash, so the person is asked again.
 */
export function definitionHash(definition: McpServerDefinition): string {
  const { origin: _origin, ...rest } = definition;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex').slice(0, 16);
}

/** The exact command line or URL, as the trust dialog and `glassbox mcp list` show it. */
export function describeDefinition(definition: McpServerDefinition): string {
  if (definition.transport === 'stdio') return [definition.command, ...definition.args].map(shellQuote).join(' ');
  return `${definition.url} (${definition.transport === 'sse' ? 'SSE' : 'streamable HTTP, SSE fallback'})`;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/u.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

/** Removes // and /* *\/ comments and trailing commas outside strings (VS Code's JSONC). */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      out += text.slice(start, ++i);
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (ch === ',' && /^\s*[}\]]/u.test(text.slice(i + 1, i + 200))) {
      i++; // a trailing comma
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
