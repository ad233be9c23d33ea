/**
 * A small extension for the extension-host tests that offers one chat model through VS Code's
 * finalized `vscode.lm.registerLanguageModelChatProvider`, so Glassbox's Language Model API
 * provider is tested against the real API (the same path Copilot's models take). The model is
 * scripted: asked anything, it first calls `read_file` on README.md; given that tool's result,
 * it answers with the README's title as the result said it. A question containing "slowly"
 * streams words until cancelled. Every request is recorded for the tests (the `exports`).
 *
 * Self-contained (only `vscode`): the harness copies the transpiled file into the extensions
 * folder with a manifest (see harness/lm-provider-extension.ts).
 */
import * as vscode from 'vscode';

export const VENDOR = 'glassbox-test';
export const MODEL_ID = 'glassbox-test-lm';

export interface RecordedLmRequest {
  readonly messages: { role: string; parts: { kind: string; text?: string; callId?: string; name?: string; input?: unknown }[] }[];
  readonly tools: string[];
  readonly toolMode: number;
  cancelled: boolean;
}

const requests: RecordedLmRequest[] = [];

function textOf(content: readonly unknown[]): string {
  return content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

function record(messages: readonly vscode.LanguageModelChatRequestMessage[], options: vscode.ProvideLanguageModelChatResponseOptions): RecordedLmRequest {
  const entry: RecordedLmRequest = {
    messages: messages.map((message) => ({
      role: message.role === vscode.LanguageModelChatMessageRole.User ? 'user' : 'assistant',
      parts: message.content.map((part) => {
        if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', text: part.value };
        if (part instanceof vscode.LanguageModelToolCallPart) return { kind: 'tool-call', callId: part.callId, name: part.name, input: part.input };
        if (part instanceof vscode.LanguageModelToolResultPart) return { kind: 'tool-result', callId: part.callId, text: textOf(part.content) };
        return { kind: 'other' };
      }),
    })),
    tools: (options.tools ?? []).map((tool) => tool.name),
    toolMode: options.toolMode,
    cancelled: false,
  };
  requests.push(entry);
  return entry;
}

const provider: vscode.LanguageModelChatProvider = {
  provideLanguageModelChatInformation: () => [
    {
      id: MODEL_ID,
      name: 'Glassbox Test LM',
      family: 'glassbox-test',
      version: '1.0.0',
      maxInputTokens: 32_000,
      maxOutputTokens: 4_000,
      capabilities: { toolCalling: true },
    },
  ],

  async provideLanguageModelChatResponse(_model, messages, options, progress, token) {
    const entry = record(messages, options);
    token.onCancellationRequested(() => (entry.cancelled = true));
    const firstUser = messages.find((m) => m.role === vscode.LanguageModelChatMessageRole.User && /Question|\?/.test(textOf(m.content)));
    if (messages.some((m) => /slowly/.test(textOf(m.content)))) {
      for (let i = 0; i < 600 && !token.isCancellationRequested; i++) {
        progress.report(new vscode.LanguageModelTextPart(`word${i} `));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return;
    }
    const result = messages
      .flatMap((m) => m.content)
      .find((part): part is vscode.LanguageModelToolResultPart => part instanceof vscode.LanguageModelToolResultPart && part.callId === 'call-readme-1');
    if (!result) {
      if (!(options.tools ?? []).some((tool) => tool.name === 'read_file')) {
        progress.report(new vscode.LanguageModelTextPart('I was offered no read_file tool.'));
        return;
      }
      progress.report(new vscode.LanguageModelTextPart('Let me read the README.'));
      progress.report(new vscode.LanguageModelToolCallPart('call-readme-1', 'read_file', { path: 'README.md' }));
      return;
    }
    const title = /#\s*([^\n]+)/.exec(textOf(result.content))?.[1]?.trim();
    progress.report(new vscode.LanguageModelTextPart(title ? `The README's title is "${title}".` : `The tool result had no title${firstUser ? '' : ' (and no question)'}.`));
  },

  async provideTokenCount(_model, text) {
    const value = typeof text === 'string' ? text : text.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part))).join('');
    return Math.ceil(value.length / 4);
  },
};

export function activate(context: vscode.ExtensionContext) {
  context.subscriptions.push(vscode.lm.registerLanguageModelChatProvider(VENDOR, provider));
  return { requests };
}
