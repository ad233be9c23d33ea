/**
 * Finds model servers running on this machine: probes the default ports of Ollama, LM Studio,
 * llama.cpp and vLLM on 127.0.0.1 — never any other address — with a short timeout, and keeps
 * the ones that answer an OpenAI-style `/v1/models` (or Ollama's `/api/tags`), with their models.
 */
import { getJson, parseModelList, type ModelInfo } from './model-catalog';
import { PROVIDER_PRESETS, presetById, type ProviderId } from './providers';

/** Ollama, LM Studio, llama.cpp server, vLLM. */
export const DEFAULT_LOCAL_PORTS: readonly number[] = PROVIDER_PRESETS.flatMap((preset) =>
  preset.localPort === undefined ? [] : [preset.localPort],
);

export interface LocalServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>/v1` */
  readonly baseURL: string;
  /** What answered: told by the server's own routes and `owned_by`, else by its port. */
  readonly provider: ProviderId;
  readonly models: readonly ModelInfo[];
}

export interface DiscoveryOptions {
  /** Ports to probe on 127.0.0.1 (tests inject free ports). */
  readonly ports?: readonly number[];
  /**
   * Per request (default 1.5 s). A closed port is refused at once, so this only bounds a port
   * that accepts and then stalls; generous because a busy machine answers loopback slowly.
   */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const LOOPBACK = '127.0.0.1';

/** Probes every port at once; resolves with the servers that answered, in port order. */
export async function discoverLocalServers(options: DiscoveryOptions = {}): Promise<LocalServer[]> {
  const ports = options.ports ?? DEFAULT_LOCAL_PORTS;
  const found = await Promise.all(ports.map((port) => probe(port, options)));
  return found.filter((server): server is LocalServer => server !== undefined);
}

async function probe(port: number, options: DiscoveryOptions): Promise<LocalServer | undefined> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  const origin = `http://${LOOPBACK}:${port}`;
  const listOptions = { signal: options.signal, timeoutMs: options.timeoutMs ?? 1500 };
  const [openaiList, ollamaTags] = await Promise.all([
    getJson(`${origin}/v1/models`, { accept: 'application/json' }, listOptions).catch(() => undefined),
    getJson(`${origin}/api/tags`, { accept: 'application/json' }, listOptions).catch(() => undefined),
  ]);
  const isOllama = Array.isArray((ollamaTags as { models?: unknown } | undefined)?.models);
  const speaksOpenAI = isModelList(openaiList);
  if (!speaksOpenAI && !isOllama) return undefined;
  // The /v1/models ids are the names chat completions accept (Ollama's tags are the same names).
  const models = parseModelList(speaksOpenAI ? openaiList : ollamaTags);
  const provider: ProviderId = isOllama ? 'ollama' : providerOf(openaiList, port);
  let described = models;
  if (provider === 'lmstudio') {
    // LM Studio's own REST API adds each model's maximum context length.
    const v0 = await getJson(`${origin}/api/v0/models`, { accept: 'application/json' }, listOptions).catch(() => undefined);
    const detailed = v0 === undefined ? [] : parseModelList(v0);
    described = models.map((model) => detailed.find((d) => d.id === model.id) ?? model);
  }
  return { port, baseURL: `${origin}/v1`, provider, models: described };
}

function isModelList(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Array.isArray((body as { data?: unknown }).data);
}

/** vLLM and llama.cpp name themselves in `owned_by`; otherwise the port says who usually lives there. */
function providerOf(list: unknown, port: number): ProviderId {
  const owners = ((list as { data?: { owned_by?: unknown }[] } | undefined)?.data ?? []).map((entry) => String(entry?.owned_by ?? '').toLowerCase());
  if (owners.includes('vllm')) return 'vllm';
  if (owners.some((owner) => owner.startsWith('llamacpp') || owner === 'llama.cpp')) return 'llamacpp';
  const byPort = PROVIDER_PRESETS.find((preset) => preset.localPort === port);
  return byPort?.id ?? 'custom';
}

/** "Ollama", "vLLM", "An OpenAI-compatible server" */
export function localServerKind(server: LocalServer): string {
  return server.provider === 'custom' ? 'An OpenAI-compatible server' : (presetById(server.provider)?.label ?? 'A server');
}

/** "3 models" */
export function modelCount(server: LocalServer): string {
  const count = server.models.length;
  return count === 0 ? 'no models' : count === 1 ? '1 model' : `${count} models`;
}

/** "Ollama on 127.0.0.1:11434 (3 models)" */
export function describeLocalServer(server: LocalServer): string {
  return `${localServerKind(server)} on ${LOOPBACK}:${server.port} (${modelCount(server)})`;
}
