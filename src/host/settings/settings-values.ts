// Glassbox's settings as typed, validated values. Pure (no `vscode`): `parseSettings` takes a
// reader of raw configuration values, so the rules are unit-tested in Node and the host only
// adapts `WorkspaceConfiguration.get`. A bad value never breaks a run silently: it falls back to
// the default and comes back as a problem the host shows once, naming the setting.

import { INSTRUCTION_NAMES } from '../../agent/instructions/instruction-settings';
import { ruleProblem } from '../../agent/safety/command-rules';
import { AZURE_DEFAULT_API_VERSION, PROVIDER_IDS, type ProviderId } from '../../agent/model/providers';
import { LOG_LEVELS, type LogLevel } from '../common/log-level';

/** The presets plus VS Code's own Language Model API (host only: the CLI has no VS Code). */
export type HostProviderId = ProviderId | 'vscode-lm';
export const HOST_PROVIDER_IDS: readonly HostProviderId[] = [...PROVIDER_IDS, 'vscode-lm'];
export const DEFAULT_DISCOVERY_PORTS: readonly number[] = [11434, 1234, 8080, 8000];

export interface GlassboxSettings {
  /** Chosen with Select Provider; undefined: told by `baseUrl` (the way before presets). */
  readonly provider: HostProviderId | undefined;
  /** Normalised endpoint base URL (no trailing slash); undefined means OpenAI's. */
  readonly baseUrl: string | undefined;
  readonly azure: { readonly endpoint: string | undefined; readonly deployment: string | undefined; readonly apiVersion: string };
  /** Loopback ports probed for local model servers (on 127.0.0.1 only). */
  readonly discoveryPorts: readonly number[];
  readonly model: string;
  readonly contextWindow: number;
  /** Use the context window the server reports (over `contextWindow`) when it reports one. */
  readonly contextWindowFromServer: boolean;
  /** How tools are offered: natively (auto: in the prompt once refused), only natively, or in the prompt. */
  readonly toolCalls: 'auto' | 'native' | 'prompt';
  /** Read tool calls the model writes as text. */
  readonly textToolCalls: 'auto' | 'on' | 'off';
  /** Fewer tools, brief descriptions, a short system prompt (auto: context window ≤ 16k). */
  readonly smallModelMode: 'auto' | 'on' | 'off';
  readonly maxSteps: number;
  /** Infinity when the setting is 0 (no cap). */
  readonly maxCostUsd: number;
  readonly toolTimeoutMs: number;
  readonly runTimeoutMs: number;
  readonly autoApprove: { readonly write: boolean; readonly execute: boolean; readonly network: boolean; readonly remember: boolean };
  readonly taintApproval: boolean;
  readonly protectedPaths: readonly string[];
  readonly sensitivePaths: readonly string[];
  /** Opt-in: offer fetch_url (and web_search when an endpoint is set). */
  readonly webTools: boolean;
  /** New chats start with "Plan first" on: a plan is proposed and approved before any step runs. */
  readonly planFirst: boolean;
  /** Open the trace panel when a run starts (off: it opens only when asked). */
  readonly traceOpenOnRun: boolean;
  readonly webSearchEndpoint: string | undefined;
  /** The repository's AGENTS.md and its kin, and the user's own file (src/agent/instructions). */
  readonly instructions: {
    readonly enabled: boolean;
    /** Which kinds of files are read (INSTRUCTION_NAMES when unset). */
    readonly files: readonly string[];
    readonly userFile: string | undefined;
  };
  /** Hosts fetch_url may reach although they are local or private (by name). */
  readonly webAllowHosts: readonly string[];
  readonly logLevel: LogLevel;
  /** What the editor knows: problems after each change; navigation tools for small models. */
  /**
   * Where run_command runs (a child process, or a visible terminal through shell integration),
   * and the command rules judged on every part of a command line (allow: user settings only).
   */
  readonly commands: { readonly runIn: 'process' | 'terminal'; readonly allow: readonly string[]; readonly deny: readonly string[] };
  readonly editor: { readonly problemsAfterEdits: boolean; readonly problemsWaitMs: number; readonly toolsForSmallModels: boolean };
  readonly history: { readonly maxChatBytes: number; readonly maxTotalBytes: number };
  readonly memory: {
    readonly maxFacts: number;
    readonly embeddingsModel: string | undefined;
    /** Falls back to `baseUrl` when the setting is empty. */
    readonly embeddingsBaseUrl: string | undefined;
    readonly recallCount: number;
    readonly recallThreshold: number;
  };
}

export interface SettingsProblem {
  /** Full setting id, e.g. `glassbox.maxSteps`. */
  readonly setting: string;
  readonly message: string;
}

/** Reads one raw value by its key under `glassbox.` (undefined when unset). */
export type RawSettingReader = (key: string) => unknown;

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const MB = 1024 * 1024;

export function parseSettings(read: RawSettingReader): { settings: GlassboxSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const p = new Reader(read, problems);
  const baseUrl = p.url('baseUrl');
  const maxCost = p.number('maxCostUsd', 0.5, { min: 0 });
  const provider = p.oneOf<HostProviderId | ''>('provider', ['', ...HOST_PROVIDER_IDS], '');
  const settings: GlassboxSettings = {
    provider: provider === '' ? undefined : provider,
    baseUrl,
    azure: {
      endpoint: p.url('azure.endpoint'),
      deployment: p.optionalString('azure.deployment'),
      apiVersion: p.optionalString('azure.apiVersion') ?? AZURE_DEFAULT_API_VERSION,
    },
    discoveryPorts: p.ports('discoveryPorts', DEFAULT_DISCOVERY_PORTS),
    model: p.nonEmptyString('model', 'gpt-4o-mini'),
    contextWindow: p.integer('contextWindow', 128_000, { min: 2048, max: 10_000_000 }),
    contextWindowFromServer: p.boolean('contextWindowFromServer', true),
    toolCalls: p.oneOf('toolCalls', ['auto', 'native', 'prompt'] as const, 'auto'),
    textToolCalls: p.oneOf('textToolCalls', ['auto', 'on', 'off'] as const, 'auto'),
    smallModelMode: p.oneOf('smallModelMode', ['auto', 'on', 'off'] as const, 'auto'),
    maxSteps: p.integer('maxSteps', 25, { min: 1, max: 500 }),
    maxCostUsd: maxCost === 0 ? Infinity : maxCost,
    toolTimeoutMs: p.integer('toolTimeoutSeconds', 30, { min: 1, max: 3600 }) * 1000,
    runTimeoutMs: p.integer('runTimeoutMinutes', 15, { min: 1, max: 1440 }) * 60_000,
    autoApprove: {
      write: p.boolean('autoApprove.write', false),
      execute: p.boolean('autoApprove.execute', false),
      network: p.boolean('autoApprove.network', false),
      remember: p.boolean('autoApprove.remember', true),
    },
    taintApproval: p.boolean('taintApproval', true),
    protectedPaths: p.globs('protectedPaths'),
    sensitivePaths: p.globs('sensitivePaths'),
    webTools: p.boolean('webTools', false),
    planFirst: p.boolean('planFirst', false),
    traceOpenOnRun: p.boolean('trace.openOnRun', false),
    webSearchEndpoint: p.url('webSearchEndpoint'),
    instructions: {
      enabled: p.boolean('instructions.enabled', true),
      files: read('instructions.files') === undefined ? [...INSTRUCTION_NAMES] : p.globs('instructions.files'),
      userFile: p.optionalString('instructions.userFile'),
    },
    webAllowHosts: p.globs('webAllowHosts'),
    logLevel: p.oneOf('logLevel', LOG_LEVELS, 'info'),
    commands: {
      runIn: p.oneOf('commands.runIn', ['process', 'terminal'] as const, 'process'),
      allow: p.commandPatterns('commands.allow'),
      deny: p.commandPatterns('commands.deny'),
    },
    editor: {
      problemsAfterEdits: p.boolean('editor.problemsAfterEdits', true),
      problemsWaitMs: Math.round(p.number('editor.problemsWaitSeconds', 2, { min: 0.2, max: 30 }) * 1000),
      toolsForSmallModels: p.boolean('editor.toolsForSmallModels', false),
    },
    history: {
      maxChatBytes: Math.round(p.number('history.maxChatMB', 20, { min: 1, max: 1024 }) * MB),
      maxTotalBytes: Math.round(p.number('history.maxTotalMB', 500, { min: 1, max: 100_000 }) * MB),
    },
    memory: {
      maxFacts: p.integer('memory.maxFacts', 2000, { min: 10, max: 100_000 }),
      embeddingsModel: p.optionalString('memory.embeddingsModel'),
      embeddingsBaseUrl: p.url('memory.embeddingsBaseUrl') ?? baseUrl,
      recallCount: p.integer('memory.recallCount', 3, { min: 0, max: 20 }),
      recallThreshold: p.number('memory.recallThreshold', 0.3, { min: 0, max: 1 }),
    },
  };
  return { settings, problems };
}

/** The endpoint a run talks to, for messages ("https://api.openai.com/v1"). */
export function endpointOf(settings: Pick<GlassboxSettings, 'baseUrl'>): string {
  return settings.baseUrl ?? OPENAI_BASE_URL;
}

/**
 * Whether the endpoint runs on this machine (Ollama, LM Studio, llama.cpp, vLLM on loopback):
 * those usually need no API key, so Glassbox does not insist on one.
 */
export function isLocalEndpoint(baseUrl: string | undefined): boolean {
  if (baseUrl === undefined) return false;
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

class Reader {
  constructor(
    private readonly read: RawSettingReader,
    private readonly problems: SettingsProblem[],
  ) {}

  private problem(key: string, message: string): void {
    this.problems.push({ setting: `glassbox.${key}`, message: `glassbox.${key}: ${message}` });
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.read(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.problem(key, `expected true or false, got ${describe(value)}; using ${fallback}.`);
    return fallback;
  }

  number(key: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const value = this.read(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.problem(key, `expected a number, got ${describe(value)}; using ${fallback}.`);
      return fallback;
    }
    if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
      const bounds = [range.min !== undefined ? `at least ${range.min}` : '', range.max !== undefined ? `at most ${range.max}` : '']
        .filter(Boolean)
        .join(' and ');
      this.problem(key, `${value} is out of range (must be ${bounds}); using ${fallback}.`);
      return fallback;
    }
    return value;
  }

  integer(key: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const value = this.number(key, fallback, range);
    if (Number.isInteger(value)) return value;
    this.problem(key, `${value} is not a whole number; using ${Math.round(value)}.`);
    return Math.round(value);
  }

  optionalString(key: string): string | undefined {
    const value = this.read(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.problem(key, `expected text, got ${describe(value)}; ignoring it.`);
      return undefined;
    }
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  nonEmptyString(key: string, fallback: string): string {
    const value = this.read(key);
    if (value === undefined || value === null) return fallback;
    const text = this.optionalString(key);
    if (text !== undefined) return text;
    if (typeof value === 'string') this.problem(key, `must not be empty; using ${fallback}.`);
    return fallback;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.read(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problem(key, `expected one of ${allowed.join(', ')}, got ${describe(value)}; using ${fallback}.`);
    return fallback;
  }

  /** An http(s) URL without a trailing slash, or undefined when empty. */
  url(key: string): string | undefined {
    const text = this.optionalString(key);
    if (text === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      this.problem(key, `"${text}" is not a URL (expected e.g. http://127.0.0.1:11434/v1); ignoring it.`);
      return undefined;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      this.problem(key, `"${text}" must start with http:// or https://; ignoring it.`);
      return undefined;
    }
    return text.replace(/\/+$/, '');
  }

  ports(key: string, fallback: readonly number[]): readonly number[] {
    const value = this.read(key);
    if (value === undefined || value === null) return fallback;
    if (!Array.isArray(value) || value.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
      this.problem(key, `expected a list of port numbers (1–65535), got ${describe(value)}; using ${fallback.join(', ')}.`);
      return fallback;
    }
    return value as number[];
  }

  commandPatterns(key: string): string[] {
    const value = this.read(key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(key, `expected a list of command patterns, got ${describe(value)}; ignoring it.`);
      return [];
    }
    const patterns: string[] = [];
    for (const item of value) {
      const problem = typeof item === 'string' ? ruleProblem(item) : 'each entry must be a pattern such as "git status" or "/^npm (test|run lint)$/"';
      if (problem === undefined) patterns.push((item as string).trim());
      else this.problem(key, `ignoring ${describe(item)}: ${problem}.`);
    }
    return patterns;
  }

  globs(key: string): string[] {
    const value = this.read(key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(key, `expected a list of globs, got ${describe(value)}; ignoring it.`);
      return [];
    }
    const globs: string[] = [];
    for (const item of value) {
      if (typeof item === 'string' && item.trim() !== '') globs.push(item.trim());
      else this.problem(key, `ignoring ${describe(item)}: each entry must be a non-empty glob such as "secrets/**".`);
    }
    return globs;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
