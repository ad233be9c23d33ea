/**
 * A reply that holds what looks like a tool call Glassbox could not read is never the final
 * answer. The model gets one correction turn that names the format to use; if its next reply
 * is unreadable too, the run ends with an `unread-tool-call` error that says what happened and
 * what to change on the server, so the CLI exits non-zero instead of printing raw call tokens.
 */
import { AgentError } from '../errors';
import type { TextCallFormat } from '../events';
import { formatById } from '../model/text-calls/call-formats';
import type { UnreadTextCall } from '../model/text-tool-calls';
import type { ToolSpec } from '../model/model';

/** The run ends: the model wrote unreadable calls twice in a row. */
export class UnreadToolCallError extends AgentError {
  readonly recoverable = false;
  readonly code = 'unread-tool-call' as const;
  constructor(
    message: string,
    readonly format: TextCallFormat,
  ) {
    super(message);
  }
}

export class UnreadCallCorrection {
  /** A correction was sent and the model has not written a readable turn since. */
  #pending = false;

  /**
   * The message the model gets next, for an unread call. Throws UnreadToolCallError when the
   * model already had its correction and wrote an unreadable call again.
   */
  correct(unread: UnreadTextCall, tools: readonly ToolSpec[], toolsInPrompt: boolean): string {
    if (this.#pending) throw new UnreadToolCallError(failureMessage(unread, toolsInPrompt), unread.format);
    this.#pending = true;
    const tool = tools.find((t) => t.name === unread.tool) ?? tools[0];
    const example = tool ? exampleCall(unread.format, tool, toolsInPrompt) : undefined;
    return [
      `Your last reply looks like a tool call (${unread.format} format), but it could not be read: ${unread.reason}.`,
      toolsInPrompt
        ? 'To call a tool, reply with only this format (one <tool_call> block per call):'
        : `To call a tool, use the tool-calling API, or write the call exactly in this format:`,
      ...(example ? [example] : []),
      'If you meant to answer, answer in plain text without call syntax.',
    ].join('\n');
  }

  /** A readable turn came back: the next unread call gets its own correction. */
  readable(): void {
    this.#pending = false;
  }
}

/** What the warning says when the correction is sent. */
export function correctionNotice(unread: UnreadTextCall): string {
  return `The model wrote what looks like a tool call in the ${unread.format} format that could not be read (${unread.reason}); it was asked once to write it again.`;
}

function exampleCall(format: TextCallFormat, tool: ToolSpec, toolsInPrompt: boolean): string {
  const args = exampleArguments(tool.parameters);
  // Tools in the prompt: the prompt taught the Hermes format, so that is what to write.
  const write = (toolsInPrompt ? formatById('hermes') : formatById(format))?.example;
  return write ? write(tool.name, args) : JSON.stringify({ name: tool.name, arguments: args });
}

function exampleArguments(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown }>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : Object.keys(properties).slice(0, 1);
  const args: Record<string, unknown> = {};
  for (const key of required) {
    const type = properties[key]?.type;
    args[key] = type === 'integer' || type === 'number' ? 1 : type === 'boolean' ? true : type === 'array' ? [] : type === 'object' ? {} : `<${key}>`;
  }
  return args;
}

/** The run's error: what happened, and what to change so the server reads the calls itself. */
function failureMessage(unread: UnreadTextCall, toolsInPrompt: boolean): string {
  const format = formatById(unread.format);
  const parser = format?.vllmParser ? `vLLM: --enable-auto-tool-choice --tool-call-parser ${format.vllmParser}` : 'vLLM: --enable-auto-tool-choice with the tool-call parser for this model';
  return [
    `The model wrote a tool call in the ${unread.format} format that could not be read (${unread.reason}), twice in a row; ` +
      'the run stopped instead of passing the raw call off as the answer.',
    toolsInPrompt
      ? 'The endpoint takes no native tools, so the calls had to be read from the text.'
      : 'The endpoint accepted the tools but did not turn the model\'s call into tool_calls: its chat template does not match what the model writes.',
    `Fix on the server: llama.cpp: start llama-server with --jinja (and --chat-template-file with the model's own template if its GGUF lacks one); ${parser}; ` +
      'Ollama / LM Studio: use a model build whose template declares tools for this model.',
  ].join(' ');
}
