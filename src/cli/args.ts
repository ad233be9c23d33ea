import { parseArgs } from 'node:util';
import { ConfigurationError } from '../agent/errors';
import { ruleProblem } from '../agent/safety/command-rules';
import type { ModelPrice } from '../agent/model/pricing';
import { PROVIDER_IDS, connectionFor, presetById, type ProviderId } from '../agent/model/providers';

export type ApproveMode = 'ask' | 'deny' | 'allow';

export interface AskCommand {
  readonly command: 'ask';
  readonly question: string;
  readonly workspace: string;
  readonly baseURL?: string;
  readonly model: string;
  readonly apiKey?: string;
  /** Set by --provider: the preset the connection came from. */
  readonly provider?: ProviderId;
  readonly headers?: Readonly<Record<string, string | null>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly maxSteps?: number;
  readonly maxCostUsd?: number;
  /** Replaces the price table's entry for the model. */
  readonly price?: ModelPrice;
  readonly timeoutSeconds?: number;
  readonly contextTokens?: number;
  readonly approve: ApproveMode;
  readonly jsonl: boolean;
  readonly traceFile?: string;
  readonly web: boolean;
  readonly webSearchEndpoint?: string;
  /** Local or private hosts fetch_url may reach (--allow-host, $GLASSBOX_ALLOW_HOSTS). */
  readonly allowHosts: readonly string[];
  /** Command patterns that run unasked when every part of a line matches one (--allow-command). */
  readonly allowCommands: readonly string[];
  /** Command patterns that never run unasked (--deny-command); deny wins. */
  readonly denyCommands: readonly string[];
  readonly verbose: boolean;
  readonly toolCalls?: 'auto' | 'native' | 'prompt';
  readonly textToolCalls?: 'auto' | 'on' | 'off';
  readonly smallModel?: 'auto' | 'on' | 'off';
  /** Plan first: propose a plan, have it approved, then run it step by step. */
  readonly plan: boolean;
  /** Run the proposed plan without asking (needed without a terminal). */
  readonly approvePlan: boolean;
  /** An mcp.json (VS Code's format) whose servers' tools are offered beside the built-ins. */
  readonly mcpConfig?: string;
  /** Record the workspace before each write or command (`--no-checkpoints` turns it off). */
  readonly checkpoints: boolean;
  /** Follow AGENTS.md and its kin, and $XDG_CONFIG_HOME/glassbox/AGENTS.md (`--no-instructions` turns it off). */
  readonly instructions: boolean;
  /** --agent NAME: a custom agent from .github/agents/NAME.agent.md, or `plan`. */
  readonly agent?: string;
}

export interface CheckpointsCommand {
  readonly command: 'checkpoints';
  readonly workspace: string;
  readonly jsonl: boolean;
}

export interface RestoreCommand {
  readonly command: 'restore';
  readonly id: string;
  readonly workspace: string;
  /** Restore without asking (needed when stdin is not a terminal). */
  readonly yes: boolean;
  readonly jsonl: boolean;
}

/** `glassbox changes`: the files a run changed (the last one, or `--run ID`), optionally with diffs. */
export interface ChangesCommand {
  readonly command: 'changes';
  readonly workspace: string;
  readonly runId?: string;
  readonly diff: boolean;
  readonly jsonl: boolean;
}

/** `glassbox providers`: the presets, and the local servers that answer on 127.0.0.1. */
export interface ProvidersCommand {
  readonly command: 'providers';
  readonly ports?: readonly number[];
  /** Per probe (default 1.5 s). */
  readonly timeoutMs?: number;
  readonly jsonl: boolean;
}

/** `glassbox mcp list`: starts each server of the file and lists its state and tools. */
export interface McpListCommand {
  readonly command: 'mcp-list';
  readonly mcpConfig: string;
  readonly workspace: string;
  readonly json: boolean;
  readonly verbose: boolean;
}

export type CliCommand =
  | AskCommand
  | CheckpointsCommand
  | RestoreCommand
  | ChangesCommand
  | ProvidersCommand
  | McpListCommand
  | { readonly command: 'help' }
  | { readonly command: 'version' };

export const USAGE = `Usage: glassbox ask "question" [options]
       glassbox ask "/name rest" [options]   (the prompt file .github/prompts/name.prompt.md, rest as its input)
       glassbox checkpoints [--workspace DIR]
       glassbox restore ID [--workspace DIR] [--yes]
       glassbox changes [--run ID] [--diff] [--workspace DIR] [--jsonl]
       glassbox providers [--ports 11434,1234,8080,8000] [--timeout SECONDS] [--jsonl]
       glassbox mcp list --mcp-config FILE [--json]

Runs the Glassbox agent on a workspace: the step-by-step trace goes to stderr, the answer to stdout.
Before each write or command it records the workspace (a checkpoint, kept in your state folder):
\`glassbox checkpoints\` lists them, \`glassbox restore ID\` shows what would change and puts the
files back (asking first on a terminal; --yes otherwise). A restore can itself be restored.
\`glassbox changes\` lists the files the last run (or --run ID) changed, with --diff their diffs.
\`glassbox providers\` lists the provider presets and the model servers running on this machine.

Options:
  --workspace DIR       folder the agent works in (default: the current directory)
  --provider NAME       a preset: ${PROVIDER_IDS.join(', ')}
                        (default: $GLASSBOX_PROVIDER; sets the base URL, headers and key variable)
  --base-url URL        OpenAI-compatible endpoint (default: the provider's, $GLASSBOX_BASE_URL, $OPENAI_BASE_URL, else OpenAI)
  --model NAME          model name (default: $GLASSBOX_MODEL, else the provider's, else gpt-4o-mini)
  --api-key KEY         API key (default: $GLASSBOX_API_KEY, else the provider's variable such as
                        $GROQ_API_KEY, else $OPENAI_API_KEY; local servers need none)
  --azure-endpoint URL  Azure OpenAI resource endpoint (default: $AZURE_OPENAI_ENDPOINT)
  --deployment NAME     Azure OpenAI deployment (default: $AZURE_OPENAI_DEPLOYMENT)
  --api-version V       Azure OpenAI api-version (default: $OPENAI_API_VERSION, else 2024-10-21)
  --max-steps N         stop after N model calls (default 25)
  --max-cost USD        stop before a model call would take the run over this cost
  --price IN,OUT[,CACHED]
                        the model's price in USD per million input, output and cached input
                        tokens (default: the built-in table; cached: as input)
  --timeout SECONDS     stop the whole run after this long (default 900)
  --context-tokens N    the model's context window (default 128000)
  --approve MODE        ask | deny | allow: how risky calls are approved
                        (default: ask on a terminal, deny when stdin is not one)
  --web                 offer the web tools: fetch_url, and web_search with --web-search
  --web-search URL      SearXNG-compatible JSON search endpoint for web_search (implies --web)
  --plan                plan first: look around, propose a plan, and run it step by step once approved
                        (on a terminal you are asked; otherwise it runs only with --approve-plan)
  --approve-plan        run the proposed plan without asking (implies --plan)
  --allow-host HOST     let fetch_url reach HOST although it is local or private (repeatable;
                        default: $GLASSBOX_ALLOW_HOSTS, comma-separated)
  --allow-command PAT   run commands matching PAT without asking: a prefix (\`git status\`, \`npm run *\`)
                        or a /regex/; every command a line would run (chains, pipes, $(…), bash -c …)
                        must match one, and a write through \`>\` is still a write (repeatable)
  --deny-command PAT    never run commands matching PAT without asking, whatever else allows them
                        (repeatable; deny wins)
  --jsonl               print one event per line on stdout instead of the readable trace
  --trace FILE          also write every event as JSONL to FILE
  --header NAME:VALUE   send this header with every model request (repeatable; e.g. api-key:… for Azure)
  --query NAME=VALUE    add this query parameter to every model request (repeatable; e.g. api-version=2024-10-21)
  --tool-calls MODE     auto | native | prompt: how tools are offered (default auto: native, described
                        in the prompt once the endpoint refuses them)
  --text-tool-calls M   auto | on | off: read tool calls the model writes as text (default auto)
  --small-model MODE    auto | on | off: fewer tools, brief descriptions, a short prompt
                        (default auto: on for a context window of 16k tokens or less)
  --no-checkpoints      do not record the workspace before risky steps
  --agent NAME          run as the custom agent .github/agents/NAME.agent.md (its instructions, only its tools)
  --no-instructions     ignore AGENTS.md, CLAUDE.md, .github/copilot-instructions.md and the like,
                        and $XDG_CONFIG_HOME/glassbox/AGENTS.md (they never change what asks for approval)
  --yes                 restore without asking
  --mcp-config FILE     offer the tools of the MCP servers in FILE (VS Code's mcp.json format);
                        \${input:ID} values are read from $GLASSBOX_INPUT_<ID>
  --json                (mcp list) print the servers as JSON
  --verbose             log debug detail to stderr, and print the model's reasoning (dimmed)
  -h, --help            show this help
  --version             show the version

Exit codes: 0 answered; 1 ended without an answer (steps, loop, budget, timeout, error);
2 usage or configuration error; 130 cancelled (Ctrl+C).`;

/** Parses argv (without node and script). Throws ConfigurationError with a clear message. */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv, stdinIsTty: boolean): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        workspace: { type: 'string' },
        provider: { type: 'string' },
        'azure-endpoint': { type: 'string' },
        deployment: { type: 'string' },
        'api-version': { type: 'string' },
        ports: { type: 'string' },
        'base-url': { type: 'string' },
        model: { type: 'string' },
        'api-key': { type: 'string' },
        'max-steps': { type: 'string' },
        'max-cost': { type: 'string' },
        price: { type: 'string' },
        timeout: { type: 'string' },
        'context-tokens': { type: 'string' },
        approve: { type: 'string' },
        web: { type: 'boolean', default: false },
        'web-search': { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        'allow-command': { type: 'string', multiple: true },
        'deny-command': { type: 'string', multiple: true },
        jsonl: { type: 'boolean', default: false },
        plan: { type: 'boolean', default: false },
        'approve-plan': { type: 'boolean', default: false },
        trace: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        header: { type: 'string', multiple: true },
        query: { type: 'string', multiple: true },
        'tool-calls': { type: 'string' },
        'text-tool-calls': { type: 'string' },
        'small-model': { type: 'string' },
        'no-checkpoints': { type: 'boolean', default: false },
        'no-instructions': { type: 'boolean', default: false },
        agent: { type: 'string' },
        yes: { type: 'boolean', default: false },
        run: { type: 'string' },
        diff: { type: 'boolean', default: false },
        'mcp-config': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new ConfigurationError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined) return { command: 'help' };
  if (command === 'checkpoints') {
    if (rest.length > 0) throw new ConfigurationError(`glassbox checkpoints takes no arguments (got "${rest.join(' ')}").`);
    return { command: 'checkpoints', workspace: values.workspace ?? process.cwd(), jsonl: values.jsonl ?? false };
  }
  if (command === 'restore') {
    if (rest.length !== 1) throw new ConfigurationError('glassbox restore needs one checkpoint id, e.g. glassbox restore mx4c1a2b-3f9e01 (see glassbox checkpoints).');
    return { command: 'restore', id: rest[0], workspace: values.workspace ?? process.cwd(), yes: values.yes ?? false, jsonl: values.jsonl ?? false };
  }
  if (command === 'changes') {
    if (rest.length > 0) throw new ConfigurationError(`glassbox changes takes no arguments (got "${rest.join(' ')}"); a run is chosen with --run ID.`);
    return { command: 'changes', workspace: values.workspace ?? process.cwd(), runId: values.run, diff: values.diff ?? false, jsonl: values.jsonl ?? false };
  }
  if (command === 'providers') {
    const seconds = optionalNumber(values.timeout, '--timeout', { min: 0.05 });
    return { command: 'providers', ports: portList(values.ports), timeoutMs: seconds === undefined ? undefined : seconds * 1000, jsonl: values.jsonl ?? false };
  }
  if (command === 'mcp') {
    if (rest[0] !== 'list' || rest.length > 1) throw new ConfigurationError(`Unknown command "mcp ${rest.join(' ')}"; did you mean "glassbox mcp list --mcp-config FILE"?`);
    if (!values['mcp-config']) throw new ConfigurationError('glassbox mcp list needs --mcp-config FILE (an mcp.json in VS Code\'s format).');
    return {
      command: 'mcp-list',
      mcpConfig: values['mcp-config'],
      workspace: values.workspace ?? process.cwd(),
      json: values.json ?? false,
      verbose: values.verbose ?? false,
    };
  }
  if (command !== 'ask') throw new ConfigurationError(`Unknown command "${command}".\n\n${USAGE}`);
  const question = rest.join(' ').trim();
  if (!question) throw new ConfigurationError(`glassbox ask needs a question, e.g. glassbox ask "What does src/app.ts do?"`);

  const approve = values.approve ?? (stdinIsTty ? 'ask' : 'deny');
  if (approve !== 'ask' && approve !== 'deny' && approve !== 'allow') {
    throw new ConfigurationError(`--approve must be ask, deny or allow, not "${approve}".`);
  }
  if (approve === 'ask' && !stdinIsTty) {
    throw new ConfigurationError('--approve ask needs a terminal to ask on; stdin is not one. Use --approve deny or --approve allow.');
  }
  const providerName = values.provider ?? env.GLASSBOX_PROVIDER;
  const connection = providerName ? providerConnection(providerName, values, env) : legacyConnection(values, env);
  return {
    command: 'ask',
    question,
    workspace: values.workspace ?? process.cwd(),
    ...connection,
    maxSteps: optionalNumber(values['max-steps'], '--max-steps', { integer: true, min: 1 }),
    maxCostUsd: optionalNumber(values['max-cost'], '--max-cost', { min: 0 }),
    ...(values.price !== undefined ? { price: parsePrice(values.price) } : {}),
    timeoutSeconds: optionalNumber(values.timeout, '--timeout', { min: 1 }),
    contextTokens: optionalNumber(values['context-tokens'], '--context-tokens', { integer: true, min: 1024 }),
    approve,
    jsonl: values.jsonl ?? false,
    traceFile: values.trace,
    web: Boolean(values.web || values['web-search']),
    webSearchEndpoint: values['web-search'] ?? env.GLASSBOX_WEB_SEARCH,
    allowHosts: (values['allow-host'] ?? (env.GLASSBOX_ALLOW_HOSTS ?? '').split(',')).map((host) => host.trim()).filter(Boolean),
    allowCommands: commandPatterns(values['allow-command'], '--allow-command'),
    denyCommands: commandPatterns(values['deny-command'], '--deny-command'),
    verbose: values.verbose ?? false,
    // --header / --query add to (and override) what the provider preset sends.
    ...withExtra(connection.headers, pairs(values.header, ':', '--header'), 'headers'),
    ...withExtra(connection.query, pairs(values.query, '=', '--query'), 'query'),
    toolCalls: oneOf(values['tool-calls'], '--tool-calls', ['auto', 'native', 'prompt'] as const),
    textToolCalls: oneOf(values['text-tool-calls'], '--text-tool-calls', ['auto', 'on', 'off'] as const),
    smallModel: oneOf(values['small-model'], '--small-model', ['auto', 'on', 'off'] as const),
    plan: Boolean(values.plan || values['approve-plan']),
    approvePlan: values['approve-plan'] ?? false,
    checkpoints: !values['no-checkpoints'],
    instructions: !values['no-instructions'],
    ...(values.agent ? { agent: values.agent } : {}),
    ...(values['mcp-config'] ? { mcpConfig: values['mcp-config'] } : {}),
  };
}

type Values = { readonly [name: string]: string | boolean | readonly string[] | undefined };
type Connection = Pick<AskCommand, 'baseURL' | 'model' | 'apiKey' | 'provider' | 'headers' | 'query'>;

/** --provider NAME: the preset's URL, headers and key variable, under whatever the flags override. */
function providerConnection(name: string, values: Values, env: NodeJS.ProcessEnv): Connection {
  const preset = presetById(name);
  if (!preset) throw new ConfigurationError(`--provider must be one of ${PROVIDER_IDS.join(', ')}, not "${name}".`);
  const flag = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  // An empty `GLASSBOX_API_KEY=` is unset: it must not hide the next variable.
  const apiKey = firstSet(flag('api-key'), env.GLASSBOX_API_KEY, preset.keyEnv ? env[preset.keyEnv] : undefined, env.OPENAI_API_KEY);
  const baseUrl = firstSet(flag('base-url'), env.GLASSBOX_BASE_URL);
  if (baseUrl) checkBaseUrl(baseUrl);
  const resolved = connectionFor(preset, {
    baseUrl,
    apiKey: preset.key === 'none' ? undefined : apiKey,
    model: firstSet(flag('model'), env.GLASSBOX_MODEL),
    azure: {
      endpoint: flag('azure-endpoint') ?? env.AZURE_OPENAI_ENDPOINT,
      deployment: flag('deployment') ?? env.AZURE_OPENAI_DEPLOYMENT,
      apiVersion: flag('api-version') ?? env.OPENAI_API_VERSION,
    },
  });
  if (!resolved.model) {
    throw new ConfigurationError(
      `${preset.label} has no default model: pass --model NAME (\`glassbox providers\` lists the models of the servers running here).`,
    );
  }
  return { baseURL: resolved.baseURL, model: resolved.model, apiKey: resolved.apiKey, provider: preset.id, headers: resolved.headers, query: resolved.query };
}

/** Without --provider: a base URL and key from flags or the environment, as before presets. */
function legacyConnection(values: Values, env: NodeJS.ProcessEnv): Connection {
  const baseURL = firstSet(values['base-url'] as string | undefined, env.GLASSBOX_BASE_URL, env.OPENAI_BASE_URL);
  if (baseURL) checkBaseUrl(baseURL);
  return {
    baseURL: baseURL || undefined,
    model: firstSet(values.model as string | undefined, env.GLASSBOX_MODEL) ?? 'gpt-4o-mini',
    // An empty `GLASSBOX_API_KEY=` is unset: it must not hide OPENAI_API_KEY.
    apiKey: firstSet(values['api-key'] as string | undefined, env.GLASSBOX_API_KEY, env.OPENAI_API_KEY),
  };
}

function checkBaseUrl(baseURL: string): void {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new ConfigurationError(`--base-url "${baseURL}" is not a URL (e.g. http://127.0.0.1:11434/v1).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`--base-url must be http or https, not ${url.protocol}`);
  }
}

function portList(raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const ports = raw.split(',').map((part) => Number(part.trim()));
  if (ports.length === 0 || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new ConfigurationError(`--ports must be a comma-separated list of port numbers, not "${raw}".`);
  }
  return ports;
}

/** `--price 0.15,0.6,0.075`: input, output and (optionally) cached input, USD per million. */
function parsePrice(raw: string): ModelPrice {
  const parts = raw.split(',').map((part) => part.trim());
  const numbers = parts.map(Number);
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new ConfigurationError(
      `--price must be INPUT,OUTPUT or INPUT,OUTPUT,CACHED in USD per million tokens (e.g. 0.15,0.6,0.075), not "${raw}".`,
    );
  }
  const [inputPerMillion, outputPerMillion, cachedInputPerMillion] = numbers;
  return { inputPerMillion, outputPerMillion, ...(cachedInputPerMillion !== undefined ? { cachedInputPerMillion } : {}) };
}

function oneOf<T extends string>(raw: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigurationError(`${flag} must be ${allowed.join(', ')}, not "${raw}".`);
  return raw as T;
}

function pairs(raw: string[] | undefined, separator: string, flag: string): Record<string, string> | undefined {
  if (!raw || raw.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const item of raw) {
    const at = item.indexOf(separator);
    if (at <= 0) throw new ConfigurationError(`${flag} takes NAME${separator}VALUE, not "${item}".`);
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return out;
}

function withExtra<K extends string, V>(base: Readonly<Record<string, V>> | undefined, extra: Record<string, string> | undefined, key: K): Partial<Record<K, Record<string, V | string>>> {
  if (!extra) return {};
  return { [key]: { ...base, ...extra } } as Partial<Record<K, Record<string, V | string>>>;
}

function optionalNumber(raw: string | undefined, flag: string, rule: { integer?: boolean; min: number }): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < rule.min || (rule.integer && !Number.isInteger(value))) {
    throw new ConfigurationError(`${flag} must be ${rule.integer ? 'a whole number' : 'a number'} ≥ ${rule.min}, not "${raw}".`);
  }
  return value;
}

/** The first value that is not empty or blank (an exported but empty variable counts as unset). */
function firstSet(...values: (string | undefined)[]): string | undefined {
  return values.find((value) => value !== undefined && value.trim() !== '')?.trim();
}

function commandPatterns(values: readonly string[] | undefined, flag: string): string[] {
  const patterns = values ?? [];
  for (const pattern of patterns) {
    const problem = ruleProblem(pattern);
    if (problem !== undefined) throw new ConfigurationError(`${flag} "${pattern}": ${problem}.`);
  }
  return patterns.map((pattern) => pattern.trim());
}
