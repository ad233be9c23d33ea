import type { FinishReason } from '../events';

// All the loop knows about an LLM. Plain types, free of any vendor SDK: only
// openai-model.ts imports `openai`.

/** A tool call as the model asked for it: arguments are still raw JSON text. */
export interface ToolCallRequest {
  readonly id: string;
  readonly name: string;
  readonly argumentsJson: string;
  /**
   * Fields of the call the endpoint sent that we do not interpret but must send back with it
   * (Gemini 3's `extra_content` thought signature). Opaque: never shown, never edited.
   */
  readonly providerFields?: Readonly<Record<string, unknown>>;
}

export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string }
  | {
      readonly role: 'assistant';
      readonly content: string | null;
      readonly toolCalls?: readonly ToolCallRequest[];
      /** The model's reasoning for this turn (shown as "Thinking"; never part of the answer). */
      readonly reasoning?: string;
      /**
       * Message fields the endpoint needs back on the next request (DeepSeek's
       * `reasoning_content` on tool-call turns). Opaque, set by the Model that produced them.
       */
      readonly providerFields?: Readonly<Record<string, unknown>>;
      /**
       * The reply as the model wrote it, when its calls were read from the text: sent back as
       * it was (not rewritten as another format) when the tools are described in the prompt,
       * so the model's template sees the format it was trained on.
       */
      readonly callText?: string;
    }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly content: string };

/** What the model is told about one tool: a name, when to use it, a JSON Schema. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: Record<string, unknown>;
}

export interface ModelRequest {
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly ToolSpec[];
  readonly maxOutputTokens?: number;
  readonly temperature?: number;
}

export type ModelChunk =
  | { readonly type: 'text'; readonly text: string }
  /** The model's reasoning (`reasoning_content`, `reasoning`, a leading `<think>` block): never the answer. */
  | { readonly type: 'reasoning'; readonly text: string }
  /** One complete tool call; emitted once its streamed arguments are whole. */
  | {
      readonly type: 'tool-call';
      readonly callId: string;
      readonly name: string;
      readonly argsJson: string;
      readonly providerFields?: Readonly<Record<string, unknown>>;
    }
  /**
   * The endpoint needed a different way of asking (no streaming, no `stream_options`, tools in
   * the prompt) or a call was recovered from an error; the Model adapted and says so once.
   */
  | { readonly type: 'notice'; readonly code: ModelNoticeCode; readonly message: string }
  | {
      readonly type: 'usage';
      /** The whole prompt, cached part included. */
      readonly inputTokens: number;
      readonly outputTokens: number;
      /** Prompt tokens the endpoint's prompt cache served; undefined when it reports none. */
      readonly cachedInputTokens?: number;
    }
  /**
   * The attempt failed (HTTP 429/5xx, a cut stream) and will be tried again after `delayMs`.
   * Everything streamed since the request began must be discarded: a cut stream never
   * leaves half a message behind.
   */
  | { readonly type: 'retry'; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | {
      readonly type: 'finish';
      readonly reason: FinishReason;
      /** Store these on the assistant message: the endpoint needs them back (see ChatMessage). */
      readonly messageFields?: Readonly<Record<string, unknown>>;
    };

export type ModelNoticeCode = 'no-streaming' | 'no-stream-options' | 'tools-in-prompt' | 'tool-call-recovered';

export interface Model {
  /** The model's name as the endpoint knows it (used for pricing and the trace). */
  readonly name: string;
  /** One assistant turn, streamed. Stops promptly (well under a second) once `signal` aborts. */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelChunk>;
  /**
   * True when the endpoint takes no native tools, so they are described in the prompt and the
   * model writes its calls as text: the loop then reads calls from the reply.
   */
  readonly toolsInPrompt?: boolean;
}
