/**
 * The endpoints people really run, as data: where each one lives, whether it needs a key, the
 * headers and URL shape it wants, and what to tell a person setting it up. The VS Code
 * "Select Provider" picker and the CLI's `--provider` read this one table.
 */
import { ConfigurationError } from '../errors';

export type ProviderId =
  | 'openai'
  | 'azure'
  | 'ollama'
  | 'lmstudio'
  | 'vllm'
  | 'llamacpp'
  | 'openrouter'
  | 'groq'
  | 'deepseek'
  | 'mistral'
  | 'gemini'
  | 'custom';

export interface ProviderPreset {
  readonly id: ProviderId;
  readonly label: string;
  /** The OpenAI-compatible base URL (ending where `/chat/completions` is appended). Empty for azure and custom. */
  readonly baseUrl: string;
  /** `required`: runs refuse to start without one; `optional`: the server may be started with one; `none`. */
  readonly key: 'required' | 'optional' | 'none';
  /** Environment variable the CLI reads the key from (after --api-key and GLASSBOX_API_KEY). */
  readonly keyEnv?: string;
  /** Where a person gets a key. */
  readonly keyUrl?: string;
  /** Sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A sensible model to start with; local servers have none (pick one of theirs). */
  readonly defaultModel?: string;
  /** Runs on this machine, on this loopback port by default (probed by discovery). */
  readonly localPort?: number;
  /** One line on setting it up, shown in the picker and the README. */
  readonly notes: string;
}

export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    key: 'required',
    keyEnv: 'OPENAI_API_KEY',
    keyUrl: 'https://platform.openai.com/api-keys',
    defaultModel: 'gpt-4o-mini',
    notes: 'An API key from platform.openai.com.',
  },
  {
    id: 'azure',
    label: 'Azure OpenAI',
    baseUrl: '',
    key: 'required',
    keyEnv: 'AZURE_OPENAI_API_KEY',
    keyUrl: 'https://portal.azure.com/',
    notes:
      'Your resource endpoint (https://NAME.openai.azure.com), a deployment name and an api-version; the key goes in the api-key header.',
  },
  {
    id: 'ollama',
    label: 'Ollama',
    baseUrl: 'http://127.0.0.1:11434/v1',
    key: 'none',
    localPort: 11434,
    notes: '`ollama serve`, then `ollama pull qwen2.5-coder`. Raise num_ctx for long files: the default context is small.',
  },
  {
    id: 'lmstudio',
    label: 'LM Studio',
    baseUrl: 'http://127.0.0.1:1234/v1',
    key: 'none',
    localPort: 1234,
    notes: 'Developer tab → Start Server (port 1234), with a model loaded.',
  },
  {
    id: 'vllm',
    label: 'vLLM',
    baseUrl: 'http://127.0.0.1:8000/v1',
    key: 'optional',
    localPort: 8000,
    notes: '`vllm serve MODEL --enable-auto-tool-choice --tool-call-parser hermes` (a key only if started with --api-key).',
  },
  {
    id: 'llamacpp',
    label: 'llama.cpp server',
    baseUrl: 'http://127.0.0.1:8080/v1',
    key: 'optional',
    localPort: 8080,
    notes: '`llama-server -m model.gguf --jinja --port 8080` (--jinja is needed for tool calls).',
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    key: 'required',
    keyEnv: 'OPENROUTER_API_KEY',
    keyUrl: 'https://openrouter.ai/keys',
    // OpenRouter's optional app attribution headers.
    headers: { 'X-Title': 'Glassbox' },
    defaultModel: 'openai/gpt-4o-mini',
    notes: 'A key from openrouter.ai/keys; model names are vendor/model.',
  },
  {
    id: 'groq',
    label: 'Groq',
    baseUrl: 'https://api.groq.com/openai/v1',
    key: 'required',
    keyEnv: 'GROQ_API_KEY',
    keyUrl: 'https://console.groq.com/keys',
    defaultModel: 'llama-3.3-70b-versatile',
    notes: 'A key from console.groq.com.',
  },
  {
    id: 'deepseek',
    label: 'DeepSeek',
    baseUrl: 'https://api.deepseek.com/v1',
    key: 'required',
    keyEnv: 'DEEPSEEK_API_KEY',
    keyUrl: 'https://platform.deepseek.com/api_keys',
    defaultModel: 'deepseek-chat',
    notes: 'A key from platform.deepseek.com.',
  },
  {
    id: 'mistral',
    label: 'Mistral',
    baseUrl: 'https://api.mistral.ai/v1',
    key: 'required',
    keyEnv: 'MISTRAL_API_KEY',
    keyUrl: 'https://console.mistral.ai/api-keys',
    defaultModel: 'mistral-small-latest',
    notes: 'A key from console.mistral.ai.',
  },
  {
    id: 'gemini',
    label: 'Gemini (OpenAI-compatible)',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    key: 'required',
    keyEnv: 'GEMINI_API_KEY',
    keyUrl: 'https://aistudio.google.com/apikey',
    defaultModel: 'gemini-2.5-flash',
    notes: 'A key from aistudio.google.com.',
  },
  {
    id: 'custom',
    label: 'Custom OpenAI-compatible endpoint',
    baseUrl: '',
    key: 'optional',
    notes: 'Any server that speaks /v1/chat/completions: give its base URL (usually ending in /v1).',
  },
];

export function presetById(id: string): ProviderPreset | undefined {
  return PROVIDER_PRESETS.find((preset) => preset.id === id.trim().toLowerCase());
}

export const PROVIDER_IDS: readonly ProviderId[] = PROVIDER_PRESETS.map((preset) => preset.id);

export interface AzureTarget {
  /** The resource endpoint, e.g. `https://contoso.openai.azure.com`. */
  readonly endpoint: string;
  readonly deployment: string;
  readonly apiVersion?: string;
}

/** What a client needs to talk to one provider: the base URL, headers, query and key. */
export interface ProviderConnection {
  readonly provider: ProviderId;
  readonly baseURL: string;
  readonly apiKey?: string;
  /** Extra headers; `null` removes a header the SDK would send (Azure takes no Bearer token). */
  readonly headers: Readonly<Record<string, string | null>>;
  /** Added to every request URL (Azure's api-version). */
  readonly query: Readonly<Record<string, string>>;
  /** The model name to send; for Azure, the deployment. */
  readonly model?: string;
}

export interface ConnectionInput {
  /** Overrides the preset's base URL (required for custom). */
  readonly baseUrl?: string;
  readonly apiKey?: string;
  readonly model?: string;
  readonly azure?: Partial<AzureTarget>;
}

/** A connection's input is missing or wrong; the message says what to give. */
export class ProviderSetupError extends ConfigurationError {}

/**
 * Resolves a preset plus what the person gave into a connection. Throws ProviderSetupError
 * naming what is missing (a custom URL, Azure's endpoint or deployment, a required key).
 */
export function connectionFor(preset: ProviderPreset, input: ConnectionInput = {}): ProviderConnection {
  const apiKey = input.apiKey?.trim() || undefined;
  const model = input.model?.trim() || preset.defaultModel;
  if (preset.key === 'required' && apiKey === undefined) {
    throw new ProviderSetupError(`${preset.label} needs an API key${preset.keyUrl ? ` (get one at ${preset.keyUrl})` : ''}.`);
  }
  if (preset.id === 'azure') return azureConnection(input.azure ?? {}, apiKey, input.model);
  const baseURL = (input.baseUrl?.trim() || preset.baseUrl).replace(/\/+$/, '');
  if (!baseURL) throw new ProviderSetupError(`${preset.label} needs a base URL, e.g. http://127.0.0.1:8080/v1.`);
  checkHttpUrl(baseURL, 'base URL');
  return { provider: preset.id, baseURL, apiKey, headers: { ...preset.headers }, query: {}, model };
}

/**
 * Azure's classic data plane: `{endpoint}/openai/deployments/{deployment}/chat/completions
 * ?api-version=…`, the key in an `api-key` header instead of a Bearer token.
 */
function azureConnection(azure: Partial<AzureTarget>, apiKey: string | undefined, model: string | undefined): ProviderConnection {
  const endpoint = azure.endpoint?.trim().replace(/\/+$/, '').replace(/\/openai$/, '');
  const deployment = azure.deployment?.trim();
  if (!endpoint) throw new ProviderSetupError('Azure OpenAI needs your resource endpoint, e.g. https://contoso.openai.azure.com.');
  checkHttpUrl(endpoint, 'Azure endpoint');
  if (!deployment) throw new ProviderSetupError('Azure OpenAI needs a deployment name (Azure AI Foundry → Deployments).');
  if (!/^[\w.-]+$/.test(deployment)) throw new ProviderSetupError(`"${deployment}" is not a deployment name (letters, digits, - _ . only).`);
  const apiVersion = azure.apiVersion?.trim() || AZURE_DEFAULT_API_VERSION;
  return {
    provider: 'azure',
    baseURL: `${endpoint}/openai/deployments/${encodeURIComponent(deployment)}`,
    apiKey,
    headers: { 'api-key': apiKey ?? null, authorization: null },
    query: { 'api-version': apiVersion },
    // Azure routes by the deployment in the URL; the body's model is informational.
    model: model?.trim() || deployment,
  };
}

function checkHttpUrl(text: string, what: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProviderSetupError(`The ${what} "${text}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProviderSetupError(`The ${what} must start with http:// or https://, not ${url.protocol}`);
  }
}

/**
 * Which preset a base URL belongs to, for a person who set `baseUrl` by hand (their key is
 * then filed under that provider). Local servers are recognised by their default port.
 */
export function presetForBaseUrl(baseUrl: string | undefined): ProviderPreset {
  const fallback = presetById('custom')!;
  if (!baseUrl) return presetById('openai')!;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return fallback;
  }
  if (/\.openai\.azure\.com$/i.test(url.hostname) || /\/openai\/deployments\//.test(url.pathname)) return presetById('azure')!;
  for (const preset of PROVIDER_PRESETS) {
    if (!preset.baseUrl) continue;
    const known = new URL(preset.baseUrl);
    if (preset.localPort !== undefined) {
      if (isLoopbackHost(url.hostname) && Number(url.port) === preset.localPort) return preset;
    } else if (known.hostname === url.hostname.toLowerCase()) {
      return preset;
    }
  }
  return fallback;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
