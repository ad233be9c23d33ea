import { CancelledError } from '../errors';
import type { AgentEventBody, FinishReason, TextCallFormat } from '../events';
import { assertNever } from '../format';
import { newCallId } from '../model/call-id';
import type { ChatMessage, Model, ModelChunk, ToolCallRequest, ToolSpec } from '../model/model';
import { StreamRedactor } from '../safety/stream-redactor';
import type { UnreadTextCall } from '../model/text-tool-calls';
import { HeldText, type CallChecks, type TextCallMode, type TextCallReader } from './text-call-reader';

/** A reply's text beyond this is not read (about 50k tokens; no real answer is that long). */
export const MAX_REPLY_CHARS = 200_000;
/** Longer tool-call arguments are kept in history as a note (the call itself gets them whole). */
export const MAX_KEPT_ARGUMENT_CHARS = 32_000;

/** One model turn as it came back. */
export interface ModelTurn {
  readonly text: string;
  readonly reasoning: string;
  readonly messageFields: Readonly<Record<string, unknown>> | undefined;
  /** The calls were read from the text, in this format. */
  readonly fromText: TextCallFormat | undefined;
  /** The reply as written, when its calls were read from it. */
  readonly callText: string | undefined;
  /** The reply holds a call that could not be read: not an answer. */
  readonly unread: UnreadTextCall | undefined;
  readonly calls: readonly ToolCallRequest[];
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number; readonly cachedInputTokens?: number } | undefined;
  readonly finishReason: FinishReason;
  readonly durationMs: number;
}

/** What one turn needs from its run. */
export interface ModelTurnRequest {
  readonly model: Model;
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly ToolSpec[];
  /** What a call written as text is checked against: the offered tools (text-call-reader.ts). */
  readonly callChecks: CallChecks;
  readonly textCalls: TextCallReader;
  readonly signal: AbortSignal;
  readonly emit: (body: AgentEventBody) => void;
}

/**
 * Streams one model turn, showing its text and reasoning as they come; a retry starts the turn
 * afresh. Calls the model wrote as text are read here (text-call-reader.ts), their syntax held
 * back from the live view, so they go on exactly like native calls. Throws `CancelledError`
 * once `signal` has aborted.
 */
export async function takeModelTurn(request: ModelTurnRequest): Promise<ModelTurn> {
  const started = performance.now();
  const reading = new TurnReading(request);
  for await (const chunk of request.model.stream({ messages: request.messages, tools: request.tools }, request.signal)) {
    if (!reading.take(chunk)) break; // the reply was cut: leaving the stream aborts the model's request
  }
  if (request.signal.aborted) throw new CancelledError();
  return reading.finish(performance.now() - started);
}

/** The message history keeps of a turn: its calls' arguments at most MAX_KEPT_ARGUMENT_CHARS each. */
export function keptMessageOf(turn: ModelTurn): ChatMessage {
  // The calls run with their arguments; one huge (or rejected) argument is not resent with every later prompt.
  const kept = turn.calls.map((call) => (call.argumentsJson.length > MAX_KEPT_ARGUMENT_CHARS ? { ...call, argumentsJson: argumentsNote(call) } : call));
  return {
    role: 'assistant',
    content: turn.text.length > 0 ? turn.text : null,
    ...(kept.length > 0 ? { toolCalls: kept } : {}),
    ...(turn.reasoning ? { reasoning: turn.reasoning } : {}),
    ...(turn.messageFields ? { providerFields: turn.messageFields } : {}),
    // The model's own call text goes back with it, unless an argument was too long to keep.
    ...(turn.callText !== undefined && kept.every((call, i) => call === turn.calls[i]) ? { callText: turn.callText } : {}),
  };
}

function argumentsNote(call: ToolCallRequest): string {
  return JSON.stringify({
    note: `The ${call.argumentsJson.length}-character arguments of this ${call.name} call are not kept in the conversation; the call got them whole.`,
  });
}

/** One turn being read, chunk by chunk: what came so far and what the live view has been shown. */
class TurnReading {
  readonly #request: ModelTurnRequest;
  #text = '';
  #reasoning = '';
  // Shown as it streams, but never a secret: text (after the held-back call syntax) and reasoning
  // are each released once a line is complete or plainly holds none.
  readonly #streamed = new StreamRedactor();
  readonly #streamedReasoning = new StreamRedactor();
  #calls: ToolCallRequest[] = [];
  #usage: ModelTurn['usage'];
  #finishReason: FinishReason = 'stop';
  #messageFields: Readonly<Record<string, unknown>> | undefined;
  #mode: TextCallMode;
  #held: HeldText;

  constructor(request: ModelTurnRequest) {
    this.#request = request;
    this.#mode = this.#textCallMode();
    this.#held = new HeldText(this.#mode);
  }

  /** Takes one chunk; false once the reply was cut and the rest is not to be read. */
  take(chunk: ModelChunk): boolean {
    const emit = this.#request.emit;
    switch (chunk.type) {
      case 'text':
        return this.#takeText(chunk.text);
      case 'reasoning':
        return this.#takeReasoning(chunk.text);
      case 'tool-call':
        this.#calls.push({
          id: chunk.callId,
          name: chunk.name,
          argumentsJson: chunk.argsJson,
          ...(chunk.providerFields ? { providerFields: chunk.providerFields } : {}),
        });
        return true;
      case 'usage':
        this.#usage = { inputTokens: chunk.inputTokens, outputTokens: chunk.outputTokens, cachedInputTokens: chunk.cachedInputTokens };
        return true;
      case 'notice':
        emit({ type: 'warning', code: 'endpoint', message: chunk.message });
        // The endpoint may just have switched to tools in the prompt: read this reply that way.
        this.#mode = this.#textCallMode();
        this.#held = new HeldText(this.#mode);
        return true;
      case 'retry':
        // Whatever this attempt streamed is void: the retry starts the message afresh.
        if (this.#text.length > 0 || this.#reasoning.length > 0) emit({ type: 'text-reset', reason: chunk.reason });
        this.#streamed.reset();
        this.#streamedReasoning.reset();
        this.#text = '';
        this.#reasoning = '';
        this.#calls = [];
        this.#usage = undefined;
        this.#held = new HeldText(this.#mode);
        emit({
          type: 'warning',
          code: 'retry',
          message: `Model call failed (${chunk.reason}); retrying in ${Math.round(chunk.delayMs)} ms (attempt ${chunk.attempt}).`,
        });
        return true;
      case 'finish':
        this.#finishReason = chunk.reason;
        this.#messageFields = chunk.messageFields;
        return true;
      default:
        return assertNever(chunk);
    }
  }

  /** The turn once the stream has ended, its calls read from the text when it had none of its own. */
  finish(durationMs: number): ModelTurn {
    let text = this.#text;
    let calls = this.#calls;
    let finishReason = this.#finishReason;
    let fromText: TextCallFormat | undefined;
    let callText: string | undefined;
    let unread: UnreadTextCall | undefined;
    if (calls.length === 0) {
      const reading = this.#request.textCalls.read(text, this.#request.callChecks, this.#mode);
      if (reading?.kind === 'calls') {
        fromText = reading.format;
        callText = text;
        calls = reading.calls.map((call) => ({ id: newCallId(), name: call.name, argumentsJson: call.argumentsJson }));
        text = [reading.prose, reading.after].filter(Boolean).join('\n\n');
        finishReason = 'tool-calls';
      } else if (reading?.kind === 'unread') {
        unread = reading;
      }
    }
    // Text held back as a possible call is shown only when it was not one; what the redactor
    // still holds (the last, unfinished line) goes out in any case.
    const rest = (fromText || unread ? '' : this.#streamed.push(this.#held.release())) + this.#streamed.flush();
    if (rest.length > 0) this.#request.emit({ type: 'text-delta', text: rest });
    const restReasoning = this.#streamedReasoning.flush();
    if (restReasoning.length > 0) this.#request.emit({ type: 'reasoning-delta', text: restReasoning });
    return {
      text,
      reasoning: this.#reasoning,
      calls,
      usage: this.#usage,
      finishReason,
      messageFields: this.#messageFields,
      fromText,
      callText,
      unread,
      durationMs,
    };
  }

  // A reply longer than MAX_REPLY_CHARS is garbage or an attack: the rest is not read.
  #takeText(chunk: string): boolean {
    const piece = chunk.slice(0, MAX_REPLY_CHARS - this.#text.length);
    this.#text += piece;
    const shown = this.#streamed.push(this.#held.push(piece));
    if (shown.length > 0) this.#request.emit({ type: 'text-delta', text: shown });
    if (piece.length === chunk.length) return true;
    this.#request.emit({ type: 'warning', code: 'length', message: `The reply was cut at ${MAX_REPLY_CHARS} characters; the rest was not read.` });
    this.#finishReason = 'length';
    return false;
  }

  #takeReasoning(chunk: string): boolean {
    const piece = chunk.slice(0, Math.max(0, MAX_REPLY_CHARS - this.#reasoning.length));
    this.#reasoning += piece;
    const shown = this.#streamedReasoning.push(piece);
    if (shown.length > 0) this.#request.emit({ type: 'reasoning-delta', text: shown });
    if (piece.length === chunk.length) return true;
    this.#request.emit({ type: 'warning', code: 'length', message: `The reasoning was cut at ${MAX_REPLY_CHARS} characters; the rest was not read.` });
    return false;
  }

  #textCallMode(): TextCallMode {
    const { model, tools, textCalls } = this.#request;
    return textCalls.modeFor(model.toolsInPrompt === true && tools.length > 0);
  }
}
