import { ToolError } from '../agent/errors';
import type { EditorLocation, EditorPort, EditorPosition } from '../agent/editor/editor-port';
import { createPathRules, type PathRuleSettings } from '../agent/safety/path-rules';
import type { ToolContext } from '../agent/tool';
import { plural } from '../agent/format';

// What the editor tools share: turning the model's "path + line + name" into a position (models
// rarely know columns), naming locations the way the rest of Glassbox does (workspace-relative,
// 1-based, external ones named and never read) and leaving sensitive files out.

/** How long a tool waits for the language servers in all, beyond the port's own bounds. */
export const EDITOR_TOOL_TIMEOUT_MS = 20_000;

/** The taint source of every editor tool's result: names and text from the workspace's code. */
export const LANGUAGE_SERVER_SOURCE = 'language server results';

/**
 * The position of `symbol` on `line` of `path`: its first whole-word occurrence there. When the
 * line does not hold it, the nearest line within 3 that does (models miscount by a line or
 * two), said in `note`; otherwise an error quoting the line, so the model can correct itself.
 */
export async function positionOf(
  editor: EditorPort,
  path: string,
  line: number,
  symbol: string,
  signal: AbortSignal,
): Promise<{ position: EditorPosition; note?: string }> {
  const lines = await editor.lines(path, signal);
  if (line > lines.length) throw new ToolError(`${path} has ${plural(lines.length, 'line')}; there is no line ${line}.`);
  const pattern = new RegExp(`(^|[^\\p{L}\\p{N}_$])(${escapeRegExp(symbol)})(?![\\p{L}\\p{N}_$])`, 'u');
  for (const distance of [0, 1, -1, 2, -2, 3, -3]) {
    const candidate = line + distance;
    if (candidate < 1 || candidate > lines.length) continue;
    const match = pattern.exec(lines[candidate - 1]);
    if (!match) continue;
    const column = match.index + match[1].length + 1;
    return {
      position: { path, line: candidate, column },
      ...(distance !== 0 ? { note: `"${symbol}" is not on line ${line}; used line ${candidate}, where it is.` } : {}),
    };
  }
  const text = lines[line - 1].trim();
  throw new ToolError(
    `"${symbol}" is not on line ${line} of ${path} (nor within 3 lines of it). Line ${line} reads: ${JSON.stringify(text.slice(0, 200))}. ` +
      'Give the line where the name appears (search_text or read_file show line numbers).',
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `src/a.ts:12`, or for a place outside the workspace `lib.es5.d.ts:1520 (external: outside the workspace, not read)`. */
export function formatLocation(location: EditorLocation): string {
  if (location.kind === 'external') return `${location.name}:${location.line} (external: outside the workspace, not read)`;
  return `${location.path}:${location.line}`;
}

/** Splits off the locations in sensitive files: those are counted, never shown. */
export function withoutSensitive<T extends { readonly location: EditorLocation }>(
  items: readonly T[],
  rules: PathRuleSettings,
): { kept: T[]; leftOut: number } {
  const isSensitive = createPathRules(rules).isSensitive;
  const kept = items.filter((item) => item.location.kind !== 'workspace' || !isSensitive(item.location.path));
  return { kept, leftOut: items.length - kept.length };
}

export function leftOutNote(count: number): string {
  return count > 0
    ? `\n[${plural(count, 'result')} in sensitive files (keys, .env and the like) ${count === 1 ? 'is' : 'are'} not shown; read_file can show one after the user allows it.]`
    : '';
}

/**
 * The workspace path a tool was asked about, refusing sensitive files: what a language server
 * says about them (hover text, outline names) can quote their secrets.
 */
export async function editorPath(path: string, ctx: ToolContext, rules: PathRuleSettings): Promise<string> {
  const normalized = await ctx.fs.normalize(path);
  if (createPathRules(rules).isSensitive(normalized)) {
    throw new ToolError(`"${normalized}" is a sensitive file (keys, .env and the like); read_file can show it after the user allows it.`);
  }
  return normalized;
}

/** Lines `from`–`to` (1-based, clamped) of a file, numbered like read_file's output. */
export function numberedLines(lines: readonly string[], from: number, to: number): string {
  const first = Math.max(1, from);
  const last = Math.min(lines.length, to);
  const width = String(last).length;
  const out: string[] = [];
  for (let line = first; line <= last; line++) out.push(`${String(line).padStart(width)}| ${lines[line - 1]}`);
  return out.join('\n');
}
