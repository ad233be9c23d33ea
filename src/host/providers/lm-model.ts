/**
 * VS Code's Language Model API as a Model: the chat models VS Code already offers (Copilot, or
 * any extension's `registerLanguageModelChatProvider`), with no API key of ours. VS Code asks
 * the person for consent the first time Glassbox sends a request to another extension's model.
 */
import * as vscode from 'vscode';
import { CancelledError, ConfigurationError, ModelRequestError } from '../../agent/errors';
import { messageOf } from '../../agent/format';
import type { ChatMessage, Model, ModelChunk, ModelRequest } from '../../agent/model/model';

/** Said in VS Code's consent dialog. */
const JUSTIFICATION = 'Glassbox runs its agent on this model: it reads your workspace (and, with your approval, changes it) to answer your question.';

/** The models VS Code offers now (an empty list when none: no Copilot, no provider extension). */
export async function availableLmModels(): Promise<vscode.LanguageModelChat[]> {
  return [...(await vscode.lm.selectChatModels())];
}

/**
 * The model with this id (or, failing that, family or name). Throws ConfigurationError naming
 * what VS Code does offer.
 */
export async function findLmModel(wanted: string): Promise<vscode.LanguageModelChat> {
  const byId = await vscode.lm.selectChatModels({ id: wanted });
  if (byId[0]) return byId[0];
  const all = await availableLmModels();
  const match = all.find((model) => model.family === wanted || model.name === wanted);
  if (match) return match;
  const offered = all.map((model) => `${model.id} (${model.vendor})`).join(', ');
  throw new ConfigurationError(
    offered
      ? `VS Code offers no language model "${wanted}". It offers: ${offered}. Run "Glassbox: Select Model".`
      : `VS Code offers no language models here: install or sign in to a model provider (such as GitHub Copilot), or Select Provider for another endpoint.`,
  );
}

export class LmModel implements Model {
  readonly name: string;

  constructor(private readonly chat: vscode.LanguageModelChat) {
    this.name = chat.id;
  }

  /** The window VS Code reports for this model. */
  get maxInputTokens(): number {
    return this.chat.maxInputTokens;
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelChunk> {
    if (signal.aborted) throw new CancelledError();
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    const messages = toLmMessages(request.messages);
    let output = '';
    let calls = 0;
    try {
      let response: vscode.LanguageModelChatResponse;
      try {
        response = await this.chat.sendRequest(
          messages,
          {
            justification: JUSTIFICATION,
            tools: request.tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.parameters })),
            toolMode: vscode.LanguageModelChatToolMode.Auto,
          },
          cancel.token,
        );
      } catch (error) {
        throw this.#failure(error, signal);
      }
      try {
        for await (const part of response.stream) {
          if (signal.aborted) break;
          if (part instanceof vscode.LanguageModelTextPart) {
            output += part.value;
            yield { type: 'text', text: part.value };
          } else if (part instanceof vscode.LanguageModelToolCallPart) {
            calls++;
            yield { type: 'tool-call', callId: part.callId, name: part.name, argsJson: JSON.stringify(part.input ?? {}) };
          }
        }
      } catch (error) {
        throw this.#failure(error, signal);
      }
      if (signal.aborted) throw new CancelledError();
      const usage = await this.#usage(messages, output, cancel.token);
      if (usage) yield usage;
      yield { type: 'finish', reason: calls > 0 ? 'tool-calls' : 'stop' };
    } finally {
      signal.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  /** Token counts by the model's own tokenizer; none (the loop estimates) when it cannot count. */
  async #usage(messages: vscode.LanguageModelChatMessage[], output: string, token: vscode.CancellationToken): Promise<ModelChunk | undefined> {
    try {
      const [inputs, outputTokens] = await Promise.all([
        Promise.all(messages.map((message) => this.chat.countTokens(message, token))),
        output ? this.chat.countTokens(output, token) : Promise.resolve(0),
      ]);
      return { type: 'usage', inputTokens: inputs.reduce((sum, n) => sum + n, 0), outputTokens };
    } catch {
      return undefined;
    }
  }

  #failure(error: unknown, signal: AbortSignal): Error {
    if (signal.aborted || error instanceof vscode.CancellationError) return new CancelledError();
    const model = `${this.chat.name} (${this.chat.vendor})`;
    if (error instanceof vscode.LanguageModelError) {
      if (error.code === vscode.LanguageModelError.NoPermissions.name) {
        return new ModelRequestError(`VS Code did not give Glassbox access to ${model}: ${error.message}`, undefined, 'auth');
      }
      if (error.code === vscode.LanguageModelError.NotFound.name) {
        return new ModelRequestError(`VS Code no longer offers ${model}: ${error.message}`, undefined, 'not-found');
      }
      if (error.code === vscode.LanguageModelError.Blocked.name) {
        return new ModelRequestError(`${model} is blocked for now (quota or rate limit): ${error.message}`, undefined, 'rate-limited');
      }
    }
    return new ModelRequestError(`${model} failed: ${messageOf(error)}`, undefined, 'endpoint');
  }
}

/**
 * The core's messages in the LM API's shape. It has only user and assistant roles, so the
 * system prompt goes first as a user message; tool results are user messages of result parts,
 * consecutive ones joined, each paired with its call by id.
 */
export function toLmMessages(messages: readonly ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'user':
        out.push(vscode.LanguageModelChatMessage.User(message.content));
        break;
      case 'assistant': {
        const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = [];
        if (message.content) parts.push(new vscode.LanguageModelTextPart(message.content));
        for (const call of message.toolCalls ?? []) parts.push(new vscode.LanguageModelToolCallPart(call.id, call.name, parseInput(call.argumentsJson)));
        out.push(vscode.LanguageModelChatMessage.Assistant(parts));
        break;
      }
      case 'tool': {
        const part = new vscode.LanguageModelToolResultPart(message.toolCallId, [new vscode.LanguageModelTextPart(message.content)]);
        const last = out.at(-1);
        if (last && last.role === vscode.LanguageModelChatMessageRole.User && last.content.every((p) => p instanceof vscode.LanguageModelToolResultPart)) {
          last.content = [...last.content, part];
        } else {
          out.push(vscode.LanguageModelChatMessage.User([part]));
        }
        break;
      }
    }
  }
  return out;
}

/** A call's arguments as the object the API wants; text that is not a JSON object is passed as `{ input }`. */
function parseInput(json: string): object {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { input: value };
  } catch {
    return { input: json };
  }
}
