/**
 * Near-valid JSON arguments, as small models write them, made valid: trailing commas, single
 * quotes, unquoted keys, Python's True/False/None, a missing closing brace. Returns the repaired
 * text and what was repaired (the model is told, so it can do better next time), or undefined
 * when the text is not near enough to JSON to guess safely.
 */

export interface JsonRepair {
  readonly json: string;
  readonly repairs: readonly string[];
}

export function repairJson(raw: string): JsonRepair | undefined {
  const repairs: string[] = [];
  let text = raw.trim();
  if (!text.startsWith('{')) return undefined;
  // Walk the text once, outside strings only, rewriting what JSON forbids.
  let out = '';
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') {
        out += ch + (text[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === quote) {
        out += '"';
        quote = undefined;
        continue;
      }
      out += quote === "'" && ch === '"' ? '\\"' : ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      if (ch === "'") note(repairs, 'single quotes');
      quote = ch;
      out += '"';
      continue;
    }
    const word = /^(True|False|None)\b/.exec(text.slice(i));
    if (word && !/[\w$]/.test(text[i - 1] ?? '')) {
      note(repairs, 'Python True/False/None');
      out += word[1] === 'True' ? 'true' : word[1] === 'False' ? 'false' : 'null';
      i += word[1].length - 1;
      continue;
    }
    const key = /^([A-Za-z_$][\w$-]*)(\s*):/.exec(text.slice(i));
    if (key && /[{,]\s*$/.test(out)) {
      note(repairs, 'unquoted keys');
      out += `"${key[1]}"${key[2]}:`;
      i += key[0].length - 1;
      continue;
    }
    if (ch === ',' && /^\s*[}\]]/.test(text.slice(i + 1))) {
      note(repairs, 'trailing commas');
      continue;
    }
    out += ch;
  }
  if (quote) return undefined;
  text = out;
  const missing = countUnclosed(text);
  if (missing > 0 && missing <= 2) {
    note(repairs, 'missing closing brace');
    text += '}'.repeat(missing);
  }
  if (repairs.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return { json: JSON.stringify(value), repairs };
  } catch {
    return undefined;
  }
}

function note(repairs: string[], what: string): void {
  if (!repairs.includes(what)) repairs.push(what);
}

/** Unclosed `{` outside strings (the text has only double-quoted strings by now). */
function countUnclosed(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}') depth--;
  }
  return depth;
}
