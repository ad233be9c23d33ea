/**
 * Small-model mode: for models with small context windows (≤ 16k tokens) or by setting. Small
 * models follow a short prompt better than a long one, and every token of fixed prompt is one
 * less for the task. So: fewer tools offered at once (read tools first), each with a one-line
 * description and an example call, schemas without their per-field prose, and a short system
 * prompt. (Near-valid JSON arguments are repaired in every mode: repair-json.ts.)
 */
import type { ToolSpec } from '../model/model';
import type { AnyTool } from '../tool';
import { toolSpecOf } from './tool-specs';

/** At or below this context window, small-model mode switches itself on. */
export const SMALL_MODEL_CONTEXT_TOKENS = 16_384;

/** Tools offered in small-model mode, at most this many (read tools first). */
export const SMALL_MODEL_MAX_TOOLS = 6;

export type SmallModelSetting = 'auto' | 'on' | 'off';

export function isSmallModelMode(setting: SmallModelSetting | undefined, contextTokens: number): boolean {
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  return contextTokens <= SMALL_MODEL_CONTEXT_TOKENS;
}

/** One line and one example per tool we ship; other tools keep their first sentence. */
const CARDS: Readonly<Record<string, { readonly brief: string; readonly example: Record<string, unknown> }>> = {
  read_file: { brief: 'Read a text file (optionally a line range).', example: { path: 'src/index.ts' } },
  list_files: { brief: 'List files matching a glob.', example: { glob: 'src/**/*.ts' } },
  search_text: { brief: 'Search file contents for text; returns matching lines.', example: { pattern: 'TODO' } },
  get_problems: { brief: 'Errors and warnings the editor reports for a file.', example: { path: 'src/index.ts' } },
  edit_file: { brief: 'Replace exact text in a file (asks the user).', example: { path: 'a.ts', old_text: 'x = 1', new_text: 'x = 2' } },
  write_file: { brief: 'Create or overwrite a file (asks the user).', example: { path: 'notes.md', content: '# Notes' } },
  run_command: { brief: 'Run a shell command in the workspace (asks the user).', example: { command: 'npm test' } },
  calculate: { brief: 'Evaluate an arithmetic expression.', example: { expression: '2^10 * 3' } },
  get_current_time: { brief: 'The current date and time.', example: {} },
};

const ONLY_IF_ROOM = new Set(['calculate', 'get_current_time', 'research']);

/** The tools small-model mode offers: read tools first, then the rest, in their given order. */
export function smallModelTools(tools: readonly AnyTool[]): AnyTool[] {
  const offered = tools.filter((t) => t.offeredToSmallModels !== false);
  const reads = offered.filter((t) => t.risk === 'read');
  const others = offered.filter((t) => t.risk !== 'read');
  // The workspace tools matter most; arithmetic, the clock and research helpers (a small model
  // handing questions to more runs of itself) only if there is room.
  const rank = (t: AnyTool) => (t.name in CARDS ? Object.keys(CARDS).indexOf(t.name) : 100);
  const ordered = [...reads.sort((a, b) => rank(a) - rank(b)), ...others.sort((a, b) => rank(a) - rank(b))];
  const workspace = ordered.filter((t) => !ONLY_IF_ROOM.has(t.name));
  const extras = ordered.filter((t) => ONLY_IF_ROOM.has(t.name));
  return [...workspace, ...extras].slice(0, SMALL_MODEL_MAX_TOOLS);
}

/** A tool as small-model mode describes it: a brief line, one example, a bare schema. */
export function smallModelSpec(tool: AnyTool): ToolSpec {
  const full = toolSpecOf(tool);
  const card = CARDS[tool.name];
  const brief = card?.brief ?? firstSentence(tool.description);
  const example = card ? ` Example: ${JSON.stringify(card.example)}` : '';
  return { name: tool.name, description: `${brief}${example}`, parameters: bareSchema(full.parameters) };
}

function firstSentence(text: string): string {
  const match = /^[\s\S]*?[.!?](\s|$)/.exec(text);
  return (match ? match[0] : text).trim();
}

/** The schema without descriptions and defaults: types, enums and required fields stay. */
function bareSchema(schema: unknown): Record<string, unknown> {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === 'description' || key === 'default' || key === 'examples' || key === 'additionalProperties') continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, bareSchema(v)]));
    } else if (key === 'items' || key === 'anyOf' || key === 'oneOf') {
      out[key] = Array.isArray(value) ? value.map(bareSchema) : bareSchema(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}
