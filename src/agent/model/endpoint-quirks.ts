/**
 * What an endpoint has shown it cannot take, remembered for as long as the process lives (the
 * extension host, a CLI run), so the next request asks the way it works at once:
 * - llama.cpp before streamed tool calls: HTTP 500 "Cannot use tools with stream" → ask without
 *   streaming whenever tools are offered.
 * - Mistral: 422 for `stream_options` → leave it out (usage then comes, or is estimated).
 * - Servers without tool calling (Ollama models without a tools template, llama.cpp without
 *   `--jinja`, vLLM without `--enable-auto-tool-choice`): HTTP 400/500 about `tools` → describe
 *   the tools in the system prompt and read the calls back from the text.
 */
import type { ErrorBody } from './error-body';

export interface EndpointQuirks {
  noStreamingWithTools: boolean;
  noStreamOptions: boolean;
  toolsInPrompt: boolean;
}

const remembered = new Map<string, EndpointQuirks>();

/** The quirks known for an endpoint and model (the same server may host models with and without tools). */
export function quirksFor(endpoint: string, model: string): EndpointQuirks {
  const key = `${endpoint.replace(/\/+$/, '')}#${model}`;
  let quirks = remembered.get(key);
  if (!quirks) {
    quirks = { noStreamingWithTools: false, noStreamOptions: false, toolsInPrompt: false };
    remembered.set(key, quirks);
  }
  return quirks;
}

export type Adaptation =
  | { readonly quirk: 'noStreamingWithTools'; readonly notice: string }
  | { readonly quirk: 'noStreamOptions'; readonly notice: string }
  | { readonly quirk: 'toolsInPrompt'; readonly notice: string };

interface SentRequest {
  readonly streamed: boolean;
  readonly sentStreamOptions: boolean;
  readonly sentTools: boolean;
}

/**
 * The change of request an error asks for, or undefined when the error is not one of these.
 * Checked before retry rules, since llama.cpp answers some of these with a 500.
 */
export function adaptationFor(status: number, body: ErrorBody | undefined, sent: SentRequest): Adaptation | undefined {
  const message = body?.message ?? '';
  if (sent.sentTools && sent.streamed && /cannot use tools with stream/i.test(message)) {
    return {
      quirk: 'noStreamingWithTools',
      notice: `The endpoint cannot stream tool calls ("${message}"); asking without streaming from now on.`,
    };
  }
  const blamesStreamOptions = body?.param === 'stream_options' || /stream_options/i.test(message);
  if (sent.sentStreamOptions && (status === 400 || status === 422) && blamesStreamOptions) {
    return {
      quirk: 'noStreamOptions',
      notice: `The endpoint refused stream_options ("${message}"); asking without it from now on (token usage may be estimated).`,
    };
  }
  if (sent.sentTools && body?.code !== 'tool_use_failed' && refusesTools(status, body)) {
    return {
      quirk: 'toolsInPrompt',
      notice:
        `The endpoint takes no native tool calls ("${message}"). The tools are now described in the prompt and ` +
        `calls are read from the model's text.${toolFix(message)}`,
    };
  }
  return undefined;
}

function refusesTools(status: number, body: ErrorBody | undefined): boolean {
  const message = body?.message ?? '';
  // A server that names its own flag for tools refuses deterministically, whatever status it
  // picked (llama.cpp has answered 500, and proxies re-map it): retrying cannot help.
  if (/--jinja|enable-auto-tool-choice|tool-call-parser/i.test(message)) return true;
  if (status !== 400 && status !== 422 && status !== 500 && status !== 501) return false;
  if (body?.param === 'tools' || body?.param === 'tool_choice') return true;
  return /\btools?\b|tool_choice|function calling/i.test(message) && /not support|unsupported|not (enabled|available|allowed)|requires|unknown|unrecognized|extra (inputs|fields)/i.test(message);
}

/** The server-side fix, for servers whose flag we know. */
function toolFix(message: string): string {
  if (/--jinja/i.test(message)) return ' For native tool calls, start llama-server with --jinja.';
  if (/enable-auto-tool-choice|tool-call-parser/i.test(message)) {
    return ' For native tool calls, start vLLM with --enable-auto-tool-choice --tool-call-parser <parser for this model> (e.g. hermes).';
  }
  if (/does not support tools/i.test(message)) return ' For native tool calls, use a model whose Ollama template supports tools.';
  return '';
}
