import type { ToolFailure } from '../events';
import type { ToolCallRequest } from '../model/model';
import type { AnyTool } from '../tool';
import { editDistance } from '../edit-distance';
import { repairJson } from './repair-json';

/** A call the loop can run, or the reason it cannot (which the model is told). */
export type ParsedToolCall =
  | {
      readonly kind: 'valid';
      readonly call: ToolCallRequest;
      readonly tool: AnyTool;
      readonly args: unknown;
      /** The arguments were near-valid JSON and were repaired: tell the model what (see repair-json.ts). */
      readonly repairNote?: string;
    }
  | {
      readonly kind: 'invalid';
      readonly call: ToolCallRequest;
      readonly tool?: AnyTool;
      /** Parsed JSON when it parsed, else the raw text. */
      readonly args: unknown;
      readonly failure: Extract<ToolFailure, 'unknown-tool' | 'bad-json' | 'bad-arguments'>;
      readonly message: string;
    };

export function parseToolCall(call: ToolCallRequest, tools: ReadonlyMap<string, AnyTool>): ParsedToolCall {
  const tool = tools.get(call.name);
  const raw = call.argumentsJson.trim() === '' ? '{}' : call.argumentsJson;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    if (!tool) return unknownTool(call, call.argumentsJson, tools);
    const repaired = repairJson(raw);
    if (repaired) {
      const result = parseToolCall({ ...call, argumentsJson: repaired.json }, tools);
      if (result.kind !== 'valid') return result;
      return {
        ...result,
        call,
        repairNote:
          `Note: your arguments for ${call.name} were not valid JSON (${repaired.repairs.join(', ')}); ` +
          `they were read as ${repaired.json}. Send strict JSON next time.`,
      };
    }
    return {
      kind: 'invalid',
      call,
      tool,
      args: call.argumentsJson,
      failure: 'bad-json',
      message:
        `The arguments for ${call.name} are not valid JSON (${describeJsonError(raw, error)}). ` +
        'Send them again as one JSON object matching the tool\'s schema.',
    };
  }
  if (!tool) return unknownTool(call, json, tools);
  const parsed = tool.input.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue: { path: PropertyKey[]; message: string }) => `- ${issue.path.length > 0 ? issue.path.map(String).join('.') : '(the arguments)'}: ${issue.message}`)
      .join('\n');
    return {
      kind: 'invalid',
      call,
      tool,
      args: json,
      failure: 'bad-arguments',
      message: `The arguments for ${call.name} do not match its schema:\n${issues}\nFix them and call it again.`,
    };
  }
  return { kind: 'valid', call, tool, args: parsed.data };
}

function unknownTool(call: ToolCallRequest, args: unknown, tools: ReadonlyMap<string, AnyTool>): ParsedToolCall {
  const known = [...tools.keys()];
  const suggestion = closestName(call.name, known);
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  return {
    kind: 'invalid',
    call,
    args,
    failure: 'unknown-tool',
    message: `There is no tool named "${call.name}".${hint} Available tools: ${known.join(', ') || '(none)'}.`,
  };
}

/** Where JSON.parse broke, with the text around it, so the model can see its mistake. */
function describeJsonError(raw: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /position (\d+)/.exec(message);
  if (!match) return message;
  const at = Number(match[1]);
  const around = raw.slice(Math.max(0, at - 20), at + 20).replace(/\n/g, '\\n');
  return `${message}; near: …${around}…`;
}

/** The known name nearest to `name` by edit distance, if it is near enough to be a typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const distance = c.includes(lower) || lower.includes(c) ? 1 : editDistance(lower, c);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
