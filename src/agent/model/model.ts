// All the loop knows about an LLM. Plain types, free of any vendor SDK: only
// openai-model.ts imports `openai`.

/** A tool call as the model asked for it: arguments are still raw JSON text. */
export interface ToolCallRequest {
  readonly id: string;
  readonly name: string;
  readonly argumentsJson: string;
}

export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string }
  | {
      readonly role: 'assistant';
      readonly content: string | null;
      readonly toolCalls?: readonly ToolCallRequest[];
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

export type FinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter';

export type ModelChunk =
  | { readonly type: 'text'; readonly text: string }
  /** One complete tool call; emitted once its streamed arguments are whole. */
  | { readonly type: 'tool-call'; readonly callId: string; readonly name: string; readonly argsJson: string }
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
  | { readonly type: 'finish'; readonly reason: FinishReason };

export interface Model {
  /** The model's name as the endpoint knows it (used for pricing and the trace). */
  readonly name: string;
  /** One assistant turn, streamed. Stops promptly (well under a second) once `signal` aborts. */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelChunk>;
}
