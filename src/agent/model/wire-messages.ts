/**
 * Our messages as the chat-completions API takes them: natively, or for an endpoint without
 * tool calling, with the tools described in the system prompt and calls and results written as
 * text (the Hermes `<tool_call>` format most open models were trained on).
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatMessage, ToolSpec } from './model';

export function toWireMessages(
  messages: readonly ChatMessage[],
  toolsInPrompt: readonly ToolSpec[] | undefined,
): ChatCompletionMessageParam[] {
  if (!toolsInPrompt) return messages.map(toWireMessage);
  const names = new Map<string, string>();
  const wire: ChatCompletionMessageParam[] = [];
  let describedTools = false;
  for (const message of messages) {
    if (message.role === 'system' && !describedTools) {
      describedTools = true;
      wire.push({ role: 'system', content: `${message.content}\n\n${describeToolsInPrompt(toolsInPrompt)}` });
    } else if (message.role === 'assistant' && message.toolCalls?.length) {
      for (const call of message.toolCalls) names.set(call.id, call.name);
      // Calls the model wrote as text go back as it wrote them; native ones (written before the
      // endpoint needed tools in the prompt) in the Hermes format the prompt describes.
      const calls = message.toolCalls.map((c) => `<tool_call>\n${JSON.stringify({ name: c.name, arguments: safeJson(c.argumentsJson) })}\n</tool_call>`);
      wire.push({ role: 'assistant', content: message.callText ?? [message.content ?? '', ...calls].filter(Boolean).join('\n') });
    } else if (message.role === 'tool') {
      // Without tool calling, a `tool` role is refused too: the result comes back as the user's turn.
      const name = names.get(message.toolCallId) ?? 'the tool';
      wire.push({ role: 'user', content: `<tool_response name="${name}">\n${message.content}\n</tool_response>` });
    } else {
      wire.push(toWireMessage(message));
    }
  }
  if (!describedTools) wire.unshift({ role: 'system', content: describeToolsInPrompt(toolsInPrompt) });
  return wire;
}

/** The tool list for the system prompt, with one example call each. */
export function describeToolsInPrompt(tools: readonly ToolSpec[]): string {
  const lines = [
    'You can call these tools. To call one, reply with only this, nothing after it:',
    '<tool_call>',
    '{"name": "<tool name>", "arguments": {<arguments as JSON>}}',
    '</tool_call>',
    'The result comes back in <tool_response>. When you have what you need, answer normally without a tool call.',
    '',
  ];
  for (const tool of tools) {
    lines.push(`## ${tool.name}`, tool.description, `Arguments (JSON Schema): ${JSON.stringify(tool.parameters)}`);
    lines.push(`Example: <tool_call>{"name": "${tool.name}", "arguments": ${JSON.stringify(exampleArguments(tool.parameters))}}</tool_call>`, '');
  }
  return lines.join('\n').trim();
}

/** Required properties filled with a placeholder of their type. */
function exampleArguments(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown; enum?: unknown[]; default?: unknown }>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : Object.keys(properties).slice(0, 1);
  const example: Record<string, unknown> = {};
  for (const key of required) {
    const property = properties[key] ?? {};
    if (Array.isArray(property.enum) && property.enum.length > 0) example[key] = property.enum[0];
    else if (property.type === 'number' || property.type === 'integer') example[key] = 1;
    else if (property.type === 'boolean') example[key] = true;
    else if (property.type === 'array') example[key] = [];
    else example[key] = key === 'path' ? 'src/index.ts' : `<${key}>`;
  }
  return example;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      return {
        ...message.providerFields,
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                ...call.providerFields,
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.argumentsJson },
              })),
            }
          : {}),
      } as ChatCompletionMessageParam;
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    default:
      throw new Error(`unknown message role ${JSON.stringify(message satisfies never)}`);
  }
}
