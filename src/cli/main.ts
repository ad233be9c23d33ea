import { createWriteStream, existsSync, fchmodSync, openSync, statSync, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from '../agent/errors';
import { messageOf } from '../agent/format';
import type { AgentEvent } from '../agent/events';
import { NodeWorkspaceFs } from '../agent/workspace/node-workspace-fs';
import { OpenAIModel } from '../agent/model/openai-model';
import { discoverContextWindow } from '../agent/model/context-window';
import { buildRun } from '../agent/run/build-run';
import { startRun } from '../agent/run/start-run';
import { cliRunSettings } from './cli-run-settings';
import { cliPlanDecider } from './plan-prompt';
import { createTools, NO_EDITOR_NOTICE } from '../tools';
import { createSearcher } from './searcher';
import { cliApprovalHandler } from './approval-prompt';
import { parseCommandLine, USAGE, type AskCommand, type McpListCommand } from './args';
import { listProviders } from './list-providers';
import { DEFAULT_LOCAL_PORTS, describeLocalServer, discoverLocalServers } from '../agent/model/local-discovery';
import { mcpServersFromFile } from './mcp-setup';
import { listMcpServers } from './mcp-list';
import { stderrLogger } from './stderr-logger';
import { TracePrinter } from './trace-printer';
import { terminalSafeJson, visible, visibleOneLine } from './terminal-text';
import { storeCheckpointer } from '../agent/checkpoints/checkpointer';
import { CheckpointNotFoundError, type CheckpointStore } from '../agent/checkpoints/checkpoint-store';
import { listCheckpoints, openCheckpointStore, restoreFromCli, type Terminal } from './checkpoint-commands';
import { accountLine, accountOf, type RunAccount } from '../shared/run-account';

const EXIT_ANSWERED = 0;
const EXIT_NO_ANSWER = 1;
const EXIT_USAGE = 2;
const EXIT_CANCELLED = 130;

async function main(): Promise<number> {
  let command;
  try {
    command = parseCommandLine(process.argv.slice(2), process.env, Boolean(process.stdin.isTTY));
  } catch (error) {
    process.stderr.write(`glassbox: ${visible(messageOf(error))}\n`);
    return EXIT_USAGE;
  }
  if (command.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_ANSWERED;
  }
  if (command.command === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT_ANSWERED;
  }
  if (command.command === 'providers') return listProviders(command, process.stdout);
  const terminal: Terminal = { input: process.stdin, stdout: process.stdout, stderr: process.stderr, isTty: Boolean(process.stdin.isTTY) };
  try {
    if (command.command === 'checkpoints') return listCheckpoints(command, terminal);
    if (command.command === 'restore') return await restoreFromCli(command, terminal);
    return command.command === 'mcp-list' ? await mcpList(command) : await ask(command);
  } catch (error) {
    if (error instanceof ConfigurationError || error instanceof CheckpointNotFoundError) {
      process.stderr.write(`glassbox: ${visible(error.message)}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

declare const GLASSBOX_VERSION: string | undefined;
const VERSION = typeof GLASSBOX_VERSION === 'string' ? GLASSBOX_VERSION : 'dev';

async function mcpList(command: McpListCommand): Promise<number> {
  const servers = mcpServersFromFile(command.mcpConfig, resolve(command.workspace), stderrLogger(command.verbose), VERSION);
  try {
    // Names as `ask` would offer them: never those of the built-ins.
    const builtIns = createTools({ searcher: await createSearcher(new NodeWorkspaceFs([resolve(command.workspace)])) }).map((t) => t.name);
    const statuses = await listMcpServers(servers, process.stdout, command.json, builtIns);
    return statuses.every((s) => s.state === 'running') ? EXIT_ANSWERED : EXIT_NO_ANSWER;
  } finally {
    await servers.dispose();
  }
}

async function ask(command: AskCommand): Promise<number> {
  const workspace = resolve(command.workspace);
  if (!existsSync(workspace) || !statSync(workspace).isDirectory()) {
    throw new ConfigurationError(`--workspace "${command.workspace}" is not a folder.`);
  }
  const fs = new NodeWorkspaceFs([workspace]);
  const logger = stderrLogger(command.verbose);
  let model: OpenAIModel;
  try {
    model = new OpenAIModel({
      baseURL: command.baseURL,
      apiKey: command.apiKey,
      model: command.model,
      logger,
      headers: command.headers,
      query: command.query,
      toolCalls: command.toolCalls,
    });
  } catch (error) {
    throw new ConfigurationError(messageOf(error));
  }
  // Before each write or command the workspace is recorded, so `glassbox restore` can undo it.
  const checkpoints = command.checkpoints ? openCheckpointStore(workspace, process.stderr) : undefined;
  const tools = createTools({
    searcher: await createSearcher(fs),
    web: command.web ? { searchEndpoint: command.webSearchEndpoint, allowHosts: command.allowHosts } : undefined,
  });

  const mcp = command.mcpConfig ? mcpServersFromFile(command.mcpConfig, workspace, logger, VERSION) : undefined;

  const cancel = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_CANCELLED); // a second Ctrl+C does not wait
    process.stderr.write('\nglassbox: cancelling (Ctrl+C again to quit at once)…\n');
    cancel.abort();
  };
  process.on('SIGINT', onSigint);
  // Stopped by a supervisor (timeout, CI, kill): end the run, so the MCP servers (each in its
  // own process group) are stopped too, instead of Node's default of exiting on the spot.
  const onSigterm = () => {
    cancel.abort();
    setTimeout(() => process.exit(EXIT_CANCELLED), 5_000).unref();
  };
  process.on('SIGTERM', onSigterm);

  const trace: WriteStream | undefined = command.traceFile ? openPrivately(command.traceFile) : undefined;
  const printer = new TracePrinter(process.stderr, Boolean(process.stderr.isTTY), command.verbose);
  // The window the server really has, when it says (else --context-tokens, else the default).
  const discovered = command.contextTokens === undefined ? await discoverContextWindow(model, cancel.signal) : undefined;
  if (discovered) logger.info(`context window ${discovered.tokens} tokens (${discovered.source})`);
  const contextTokens = command.contextTokens ?? discovered?.tokens;
  const isTty = Boolean(process.stdin.isTTY);
  let end: Extract<AgentEvent, { type: 'run-end' }> | undefined;
  let configurationProblem: string | undefined;
  let firstCheckpoint: string | undefined;
  let unreachable = false;
  /** For the account under the answer (streamed text adds nothing to it). */
  const accountEvents: AgentEvent[] = [];
  try {
    const request = buildRun(cliRunSettings(command, contextTokens), {
      model,
      price: command.price,
      tools,
      toolSources: mcp ? [mcp] : undefined,
      fs,
      task: command.question,
      approve: cliApprovalHandler(command.approve, { input: process.stdin, output: process.stderr, isTty }),
      logger: command.jsonl ? logger : undefined,
      // No editor here: its tools are not offered, which the start line says once.
      notices: [NO_EDITOR_NOTICE],
      signal: cancel.signal,
      checkpoints: checkpoints ? storeCheckpointer(checkpoints) : undefined,
      decidePlan: cliPlanDecider(command.approvePlan, { input: process.stdin, output: process.stderr, isTty }),
    });
    for await (const event of startRun(request)) {
      const line = terminalSafeJson(JSON.stringify(event));
      trace?.write(`${line}\n`);
      if (command.jsonl) process.stdout.write(`${line}\n`);
      else printer.print(event);
      if (event.type === 'error' && (event.code === 'auth' || event.code === 'not-found')) configurationProblem = event.message;
      if (event.type === 'checkpoint-created') firstCheckpoint ??= event.checkpointId;
      if (event.type === 'error' && event.code === 'unreachable') unreachable = true;
      if (event.type === 'run-end') end = event;
      if (event.type !== 'text-delta' && event.type !== 'reasoning-delta') accountEvents.push(event);
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    await mcp?.dispose();
    await new Promise<void>((done) => (trace ? trace.end(done) : done()));
  }
  if (!end) return EXIT_NO_ANSWER;
  if (checkpoints && firstCheckpoint) reportChanges(checkpoints, firstCheckpoint, end.reason);
  if (!command.jsonl) {
    // The answer is the model's text: shown, never obeyed by the terminal (no OSC 52, no clear).
    if (end.reason === 'answered') process.stdout.write(`${visible(end.answer)}\n`);
    else process.stderr.write(`\n${visible(end.answer)}\n`);
    // What really happened, from the events: on stderr, so stdout stays the answer alone.
    process.stderr.write(`${visible(accountText(accountOf(accountEvents)))}\n`);
    if (unreachable) process.stderr.write(`${visible(await localServersHint(command.baseURL))}\n`);
  }
  if (end.reason === 'answered') return EXIT_ANSWERED;
  if (end.reason === 'cancelled') return EXIT_CANCELLED;
  if (configurationProblem) return EXIT_USAGE;
  return EXIT_NO_ANSWER;
}

/** "What happened: …", or with the answer's contradicted claims under a warning. */
export function accountText(account: RunAccount): string {
  if (account.contradictions.length === 0) return `What happened: ${accountLine(account)}`;
  return [`⚠ The events disagree with the answer: ${accountLine(account)}`, ...account.contradictions.map((line) => `  ${line}`)].join('\n');
}

/** The trace holds the whole run (file contents, command output): only its owner may read it. */
function openPrivately(path: string): WriteStream {
  let fd: number;
  try {
    fd = openSync(path, 'w', 0o600);
  } catch (error) {
    throw new ConfigurationError(`--trace "${path}" cannot be written: ${messageOf(error)}`);
  }
  fchmodSync(fd, 0o600); // an existing file keeps its mode on open
  return createWriteStream('', { fd });
}

/** After "could not reach": is the server running, and which local servers do answer. */
async function localServersHint(baseURL: string | undefined): Promise<string> {
  const ports = discoveryPortsFrom(process.env.GLASSBOX_DISCOVERY_PORTS);
  const found = await discoverLocalServers({ ports }).catch(() => []);
  const where = baseURL ?? 'the endpoint';
  if (found.length === 0) return `Is the server at ${where} running? No model server answered on 127.0.0.1 (ports ${(ports ?? DEFAULT_LOCAL_PORTS).join(', ')}).`;
  const list = found.map((server) => `${describeLocalServer(server)}: --provider ${server.provider} --base-url ${server.baseURL}`).join('\n  ');
  return `Is the server at ${where} running? Model servers running here (glassbox providers lists their models):\n  ${list}`;
}

function discoveryPortsFrom(raw: string | undefined): number[] | undefined {
  const ports = raw?.split(',').map((part) => Number(part.trim())).filter((port) => Number.isInteger(port) && port > 0 && port < 65536);
  return ports && ports.length > 0 ? ports : undefined;
}

/** Tells what the run changed on disk (commands included) and how to undo all of it. */
function reportChanges(store: CheckpointStore, firstCheckpoint: string, reason: string): void {
  const changed = store.changesBetween(firstCheckpoint).changes.map((change) => change.path);
  if (changed.length === 0) return;
  process.stderr.write(
    `\nFiles this run changed (${reason}): ${changed.map(visibleOneLine).join(', ')}\n` +
      `Undo all of it with: glassbox restore ${firstCheckpoint} (glassbox checkpoints lists every step)\n`,
  );
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`glassbox: unexpected failure: ${visible(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
    process.exitCode = 1;
  },
);
