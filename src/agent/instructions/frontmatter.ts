/**
 * The `---` header of an instructions, agent or prompt file. These headers use a small part of
 * YAML: `key: value`, `key: "quoted"`, `key: [a, b]` and `key:` followed by `- item` lines; that
 * part is read here (no YAML dependency for four shapes). Anything else is reported as a problem
 * by line, and the body is kept whole whatever the header holds, so a bad header never loses the
 * instructions under it.
 */
export type FrontmatterValue = string | readonly string[];

export interface Frontmatter {
  readonly data: Readonly<Record<string, FrontmatterValue>>;
  /** The text after the header (all of it when there is none). */
  readonly body: string;
  /** Lines of the header that could not be read, e.g. `line 3: expected "key: value"`. */
  readonly problems: readonly string[];
}

export function parseFrontmatter(text: string): Frontmatter {
  const source = text.replace(/^\uFEFF/, '');
  const lines = source.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return { data: {}, body: source, problems: [] };
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (end < 0) return { data: {}, body: source, problems: ['the header opened with --- is never closed; it was read as text'] };
  const data: Record<string, FrontmatterValue> = {};
  const problems: string[] = [];
  let listKey: string | undefined;
  for (let i = 1; i < end; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const item = /^\s+-\s*(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && listKey !== undefined) {
      const previous = data[listKey];
      data[listKey] = [...(Array.isArray(previous) ? previous : []), unquote(item[1].trim())];
      continue;
    }
    const pair = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!pair) {
      problems.push(`line ${i + 1}: expected "key: value", found "${line.trim().slice(0, 60)}"`);
      listKey = undefined;
      continue;
    }
    const [, key, raw] = pair;
    const value = stripComment(raw).trim();
    if (value === '') {
      // `key:` then `- item` lines (or nothing: an empty list).
      data[key] = [];
      listKey = key;
      continue;
    }
    listKey = undefined;
    if (value.startsWith('[')) {
      if (!value.endsWith(']')) {
        problems.push(`line ${i + 1}: the list of "${key}" is not closed with ]`);
        continue;
      }
      data[key] = splitList(value.slice(1, -1));
      continue;
    }
    data[key] = unquote(value);
  }
  return { data, body: lines.slice(end + 1).join('\n'), problems };
}

/** A value as a list: `a, b` written as a string counts as two entries (Copilot's `applyTo`). */
export function listOf(value: FrontmatterValue | undefined): string[] {
  if (value === undefined) return [];
  return (typeof value === 'string' ? splitList(value) : [...value]).filter((entry) => entry !== '');
}

/** A value as one string; a list gives its first entry. */
export function stringOf(value: FrontmatterValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value[0];
}

function splitList(text: string): string[] {
  const entries: string[] = [];
  // Commas inside quotes or braces (`{a,b}` in a glob) do not split.
  let current = '';
  let quote: string | undefined;
  let braces = 0;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      current += char;
    } else if (char === '{') {
      braces++;
      current += char;
    } else if (char === '}') {
      braces = Math.max(0, braces - 1);
      current += char;
    } else if (char === ',' && braces === 0) {
      entries.push(unquote(current.trim()));
      current = '';
    } else current += char;
  }
  if (current.trim() !== '') entries.push(unquote(current.trim()));
  return entries.filter((entry) => entry !== '');
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) return value.slice(1, -1);
  return value;
}

/** ` # comment` after a value; a `#` inside quotes or without a space before it stays. */
function stripComment(value: string): string {
  let quote: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(value[i - 1]))) return value.slice(0, i);
  }
  return value;
}
