import type { Node } from '@vscode/tree-sitter-wasm';
import type { CommandLineAnalysis, CommandPart } from '../command-analysis';
import { bashParser } from './bash-parser';

export type { CommandLineAnalysis, CommandPart } from '../command-analysis';

/** Nested `sh -c '…'` / `eval` texts parsed again, at most this deep. */
const MAX_DEPTH = 4;
/** Files a redirection may write without it counting as a write. */
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);
/** Shells whose `-c TEXT` is another command line, and which run stdin as code without one. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'fish', 'ash', 'busybox']);
/** Words that run the rest of the line as the command (after their own options). */
const PREFIX_WRAPPERS = new Set(['command', 'builtin', 'exec', 'nohup', 'time', 'nice', 'env', 'stdbuf', 'timeout', 'sudo', 'doas']);
/** Options of the wrappers that take a value (`nice -n 5`, `env -u NAME`, `timeout -s KILL`). */
const WRAPPER_OPTIONS_WITH_VALUE: Readonly<Record<string, ReadonlySet<string>>> = {
  nice: new Set(['-n']),
  env: new Set(['-u', '-C', '-S']),
  timeout: new Set(['-s', '-k']),
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-U']),
  doas: new Set(['-u', '-C']),
  stdbuf: new Set(['-i', '-o', '-e']),
};
const XARGS_OPTIONS_WITH_VALUE = new Set(['-I', '-i', '-n', '-P', '-L', '-l', '-s', '-d', '-E', '-e', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file']);

/**
 * Every command `line` would run, from bash's own grammar: pipelines, `&&`, `||`, `;`, newlines,
 * subshells and groups, `$(…)` and backticks, process substitution, commands behind
 * `VAR=x`, `command`/`builtin`/`env`/`\cmd`, `xargs cmd`, `find … -exec cmd`, the texts of
 * `sh -c` / `bash -c` / `eval` (parsed again), and the files its redirections write. A line the
 * parser cannot read whole is not readable: no rule may then answer for it.
 */
export async function analyzeCommandLine(line: string): Promise<CommandLineAnalysis> {
  const parser = await bashParser();
  const found: { parts: CommandPart[]; writes: string[] } = { parts: [], writes: [] };
  const problem = analyzeText(parser, line, 0, found);
  if (problem !== undefined) return { readable: false, problem };
  return { readable: true, parts: found.parts, writes: [...new Set(found.writes)] };
}

type Parser = Awaited<ReturnType<typeof bashParser>>;

function analyzeText(parser: Parser, text: string, depth: number, found: { parts: CommandPart[]; writes: string[] }): string | undefined {
  if (depth > MAX_DEPTH) return 'shell commands nested too deeply to read';
  const tree = parser.parse(text);
  if (!tree) return 'the shell parser could not read it';
  try {
    if (tree.rootNode.hasError) return 'it is not a complete, valid shell command line';
    return walk(tree.rootNode, parser, depth, found);
  } finally {
    tree.delete();
  }
}

function walk(node: Node, parser: Parser, depth: number, found: { parts: CommandPart[]; writes: string[] }): string | undefined {
  switch (node.type) {
    case 'comment':
      return undefined;
    // A heredoc's text is data fed to a command (a shell reading it is judged at the shell), but
    // the substitutions in an unquoted one run: they are its named children, walked below.
    case 'command':
      return command(node, parser, depth, found);
    case 'file_redirect':
      redirect(node, found);
      break;
    case 'declaration_command':
    case 'unset_command':
    case 'test_command': {
      // `export X=…`, `[[ … ]]`: builtins of their own grammar; named by their first word.
      const first = node.child(0)?.text ?? node.type;
      found.parts.push({ text: node.text, words: [first] });
      break;
    }
    case 'function_definition':
      // The body runs only when the name is called, and a call is a part of its own (asked about).
      break;
  }
  for (const child of node.namedChildren) {
    if (!child) continue;
    const problem = walk(child, parser, depth, found);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function command(node: Node, parser: Parser, depth: number, found: { parts: CommandPart[]; writes: string[] }): string | undefined {
  // Substitutions and redirections inside the command (in its name, arguments or assignments) run too.
  for (const child of node.namedChildren) {
    if (!child || child.type === 'command_name' || child.type === 'word' || child.type === 'raw_string') continue;
    const problem = walk(child, parser, depth, found);
    if (problem !== undefined) return problem;
  }
  const nameNode = node.childForFieldName('name');
  if (!nameNode) return undefined; // only assignments: `FOO=bar` runs nothing
  const nested = nameNode.namedChildren.filter((child): child is Node => child !== null);
  for (const child of nested) {
    const problem = walk(child, parser, depth, found);
    if (problem !== undefined) return problem;
  }
  const words: (string | undefined)[] = [literal(nameNode)];
  for (const argument of node.childrenForFieldName('argument')) {
    if (argument) words.push(literal(argument));
  }
  return commandWords(node.text, words, parser, depth, found);
}

/** Judges one command's words: unwraps wrappers and re-parses shell texts. */
function commandWords(
  text: string,
  words: readonly (string | undefined)[],
  parser: Parser,
  depth: number,
  found: { parts: CommandPart[]; writes: string[] },
): string | undefined {
  const name = words[0];
  if (name === undefined) {
    found.parts.push({ text, unknown: 'its command name comes from an expansion, known only when it runs' });
    return undefined;
  }
  const base = name.split('/').pop() ?? name;
  if (PREFIX_WRAPPERS.has(base)) {
    const rest = afterOptions(words.slice(1), base);
    if (rest.length === 0) {
      found.parts.push({ text, words: known(words) });
      return undefined;
    }
    return commandWords(text, rest, parser, depth, found);
  }
  if (base === 'xargs') {
    let i = 1;
    while (i < words.length && words[i]?.startsWith('-')) i += XARGS_OPTIONS_WITH_VALUE.has(words[i]!) ? 2 : 1;
    // xargs without a command runs echo.
    return i < words.length ? commandWords(text, words.slice(i), parser, depth, found) : void found.parts.push({ text, words: ['echo'] });
  }
  if (base === 'find') {
    const own: (string | undefined)[] = [];
    for (let i = 0; i < words.length; i++) {
      const word = words[i];
      if (word === '-exec' || word === '-execdir' || word === '-ok' || word === '-okdir') {
        let end = i + 1;
        while (end < words.length && words[end] !== ';' && words[end] !== '+') end++;
        const inner = words.slice(i + 1, end);
        if (inner.length === 0) continue;
        const problem = commandWords(text, inner, parser, depth, found);
        if (problem !== undefined) return problem;
        i = end;
      } else {
        own.push(word);
      }
    }
    found.parts.push(partOf(text, own));
    return undefined;
  }
  if (base === 'eval') {
    const args = words.slice(1);
    if (args.some((word) => word === undefined)) {
      found.parts.push({ text, unknown: 'eval runs text known only when it runs' });
      return undefined;
    }
    return analyzeText(parser, args.join(' '), depth + 1, found);
  }
  if (SHELLS.has(base)) {
    const c = words.findIndex((word, i) => i > 0 && word !== undefined && /^-[a-z]*c[a-z]*$/i.test(word));
    if (c > 0) {
      const script = words[c + 1];
      if (script === undefined) {
        found.parts.push({ text, unknown: `${base} -c runs text known only when it runs` });
        return undefined;
      }
      return analyzeText(parser, script, depth + 1, found);
    }
    if (words.slice(1).every((word) => word?.startsWith('-'))) {
      found.parts.push({ text, unknown: `${base} runs whatever it reads from its input` });
      return undefined;
    }
  }
  found.parts.push(partOf(text, words));
  return undefined;
}

function partOf(text: string, words: readonly (string | undefined)[]): CommandPart {
  const dynamic = words.flatMap((word, i) => (word === undefined ? [i] : []));
  return dynamic.length === 0 ? { text, words: words as string[] } : { text, words: known(words), dynamic };
}

function known(words: readonly (string | undefined)[]): string[] {
  return words.map((word) => word ?? '…');
}

/** The words after a wrapper's own options and `NAME=value` assignments (env's). */
function afterOptions(words: readonly (string | undefined)[], wrapper: string): (string | undefined)[] {
  const withValue = WRAPPER_OPTIONS_WITH_VALUE[wrapper] ?? new Set<string>();
  let i = 0;
  while (i < words.length) {
    const word = words[i];
    if (word === undefined) break;
    if (word === '--') {
      i++;
      break;
    }
    if (word.startsWith('-')) i += withValue.has(word) ? 2 : 1;
    else if (wrapper === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) i++;
    else if (wrapper === 'timeout' && /^\d/.test(word)) i++; // its duration
    else break;
  }
  return words.slice(i);
}

function redirect(node: Node, found: { writes: string[] }): void {
  const operator = node.children.find((child) => child !== null && !child.isNamed)?.text ?? '';
  if (!operator.includes('>')) return; // `<` reads
  const destination = node.childForFieldName('destination');
  if (!destination) return;
  if (destination.type === 'number' && (operator === '>&' || operator === '<&')) return; // `2>&1`
  const target = literal(destination);
  if (target === undefined) {
    // A write to a file named by an expansion: asked about as a write to an unknown file.
    found.writes.push(destination.text);
    return;
  }
  if (target === '-' && operator.endsWith('&')) return; // `>&-` closes
  if (!HARMLESS_TARGETS.has(target)) found.writes.push(target);
}

/** The word as the shell passes it, or undefined when it holds an expansion. */
function literal(node: Node): string | undefined {
  switch (node.type) {
    case 'command_name': {
      const inner = node.namedChild(0);
      return inner ? literal(inner) : undefined;
    }
    case 'word':
    case 'number':
      // Unquoted: a backslash keeps the next character (`\rm` is `rm`); a glob stays as written.
      return node.text.replace(/\\(.)/gs, '$1');
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'ansi_c_string':
      return undefined;
    case 'string':
      if (node.namedChildren.some((child) => child !== null && child.type !== 'string_content')) return undefined;
      // Between the quotes, a backslash escapes only $ ` " \ and newline.
      return node.text.slice(1, -1).replace(/\\([$`"\\\n])/g, '$1');
    case 'concatenation': {
      let value = '';
      for (const child of node.namedChildren) {
        if (!child) continue;
        const part = literal(child);
        if (part === undefined) return undefined;
        value += part;
      }
      // Unnamed pieces (a bare `=` or `/`) are kept by taking the text span when all parts are literal.
      return node.namedChildren.length === node.children.length ? value : concatenationText(node);
    }
    default:
      return undefined;
  }
}

function concatenationText(node: Node): string | undefined {
  let value = '';
  for (const child of node.children) {
    if (!child) continue;
    if (!child.isNamed) {
      value += child.text;
      continue;
    }
    const part = literal(child);
    if (part === undefined) return undefined;
    value += part;
  }
  return value;
}
