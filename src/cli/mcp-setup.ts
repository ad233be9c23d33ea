import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from '../agent/errors';
import type { Logger } from '../agent/logger';
import { McpServers } from '../agent/mcp/mcp-servers';
import { parseMcpConfig, type McpInput } from '../agent/mcp/server-config';

/** `${input:api-key}` is read from GLASSBOX_INPUT_API_KEY: a CLI has no SecretStorage to keep answers in. */
export function inputVariableName(input: McpInput): string {
  return `GLASSBOX_INPUT_${input.id.toUpperCase().replace(/[^A-Z0-9]/gu, '_')}`;
}

/**
 * The servers of `--mcp-config FILE`. The person named the file on the command line, so its
 * servers count as theirs (origin `cli`), unlike a workspace's .vscode/mcp.json in VS Code.
 */
export function mcpServersFromFile(file: string, workspace: string, logger: Logger, version: string): McpServers {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`--mcp-config: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  const config = parseMcpConfig(text, 'cli', path);
  return new McpServers(config, {
    logger,
    clientVersion: version,
    variables: {
      workspaceFolder: workspace,
      env: process.env,
      resolveInput: async (input) => {
        const value = process.env[inputVariableName(input)] ?? input.default;
        if (value === undefined) {
          throw new ConfigurationError(`set ${inputVariableName(input)} to answer \${input:${input.id}}${input.description ? ` (${input.description})` : ''}`);
        }
        return value;
      },
    },
  });
}
