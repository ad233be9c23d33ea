import type { PromptFile } from './agent-files';

/**
 * `/name rest` as the prompt file's body with `rest` as its input: put where the body says
 * `${input}` (or `${input:label}`), else after it. Undefined when the text is no `/name` of a
 * prompt file.
 */
export function expandPromptCommand(text: string, prompts: readonly PromptFile[]): { readonly task: string; readonly prompt: PromptFile } | undefined {
  const match = /^\/([\w.-]+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  const prompt = prompts.find((p) => p.name === match[1]);
  if (!prompt) return undefined;
  const input = (match[2] ?? '').trim();
  const placeholder = /\$\{input(?::[^}]*)?\}/g;
  const task = placeholder.test(prompt.body)
    ? prompt.body.replace(placeholder, input)
    : input === ''
      ? prompt.body
      : `${prompt.body}\n\nInput: ${input}`;
  return { task, prompt };
}
