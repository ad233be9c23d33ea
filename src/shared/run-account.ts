import type { AgentEvent, EventOf } from '../agent/events';

/**
 * "What really happened" under an answer: a one-line account built only from a run's events
 * (files changed, commands run, calls denied or failed), and the places where the answer's own
 * words disagree with them. A model may say "Deleted precious.txt as the notes asked" after the
 * delete was denied; the answer is the model's claim, the events are the record. Pure, so the
 * chat view and the CLI print the same line.
 */

/** A call that did not do what it asked for. */
export interface AccountProblem {
  readonly tool: string;
  /** The file, command or URL the call was about ('' when it named none). */
  readonly target: string;
  readonly outcome: 'denied' | 'failed';
  /** "by you", "by a setting", or the tool's first line of error. */
  readonly detail: string;
}

export interface RunAccount {
  /** Files a tool changed (written, edited, deleted), in the order first changed. */
  readonly changedFiles: readonly string[];
  /** Commands that ran (whatever their exit code). */
  readonly commands: readonly string[];
  readonly problems: readonly AccountProblem[];
  /** Where the answer names a file or action the events contradict, one sentence each. */
  readonly contradictions: readonly string[];
  /** Files a later restore put back (they no longer hold this run's changes). */
  readonly restoredFiles: readonly string[];
}

/** Denials no person gave: the CLI's --approve deny, no one to ask, a run stopped while it asked. */
const AUTOMATIC_DENIAL = /--approve|no one is available|stopped/i;
const FILE_TOOLS = new Set(['write_file', 'edit_file', 'delete_file']);
const COMMAND_TOOLS = new Set(['run_command']);

/** Folds a run's events (plan steps' and helpers' included) into its account. */
export function accountOf(events: readonly AgentEvent[], answer?: string): RunAccount {
  const calls = new Map<string, EventOf<'tool-call'>>();
  /** Denials a handler gave, by call: a person's ("by you") or the host's own (the CLI's --approve deny, a stop). */
  const denials = new Map<string, string>();
  const changed: string[] = [];
  const commands: string[] = [];
  const problems: AccountProblem[] = [];
  const restored: string[] = [];
  const visit = (event: AgentEvent): void => {
    switch (event.type) {
      case 'child-event':
      case 'plan-step-event':
        visit(event.event);
        return;
      case 'tool-call':
        calls.set(event.callId, event);
        return;
      case 'approval-decided':
        if (event.decision === 'deny') denials.set(event.callId, AUTOMATIC_DENIAL.test(event.reason) ? `(${event.reason.replace(/\.$/, '')})` : 'by you');
        return;
      case 'tool-result': {
        const call = calls.get(event.callId);
        const target = targetOf(event.tool, call?.args);
        if (event.ok) {
          if (FILE_TOOLS.has(event.tool) && target && !changed.includes(target)) changed.push(target);
          if (COMMAND_TOOLS.has(event.tool) && target) commands.push(target);
          return;
        }
        // A command that ran and exited non-zero still ran; only one that never started did not.
        if (event.failure === 'denied') {
          problems.push({ tool: event.tool, target, outcome: 'denied', detail: denials.get(event.callId) ?? 'by a setting' });
        } else {
          problems.push({ tool: event.tool, target, outcome: 'failed', detail: firstLine(event.output) });
        }
        return;
      }
      case 'checkpoint-restored':
        for (const path of event.paths ?? []) if (!restored.includes(path)) restored.push(path);
        return;
      default:
        return;
    }
  };
  for (const event of events) visit(event);
  const finalAnswer = answer ?? events.findLast((event) => event.type === 'run-end')?.answer ?? '';
  return {
    changedFiles: changed,
    commands,
    problems,
    restoredFiles: restored,
    contradictions: contradictionsOf(finalAnswer, changed, problems),
  };
}

/** "2 files changed (a.ts, b.ts) · 1 command run (npm test) · delete_file precious.txt — denied by you" */
export function accountLine(account: RunAccount): string {
  const parts: string[] = [];
  const files = account.changedFiles;
  parts.push(files.length === 0 ? 'No files changed' : `${count(files.length, 'file')} changed (${list(files)})`);
  if (account.commands.length > 0) parts.push(`${count(account.commands.length, 'command')} run (${list(account.commands)})`);
  for (const problem of account.problems) {
    const what = problem.target ? `${problem.tool} ${clip(problem.target, 60)}` : problem.tool;
    parts.push(problem.outcome === 'denied' ? `${what} — denied ${problem.detail}` : `${what} — failed: ${clip(problem.detail, 80)}`);
  }
  if (account.restoredFiles.length > 0) parts.push(`later restored: ${list(account.restoredFiles)}`);
  return parts.join(' · ');
}

/**
 * Sentences of the answer that claim a change the events do not show: a sentence with a
 * past-tense action verb that names a file no tool changed, or names the target of a call that
 * was denied or failed. Sentences that deny the action ("did not delete") are left alone.
 */
export function contradictionsOf(answer: string, changedFiles: readonly string[], problems: readonly AccountProblem[]): string[] {
  const found: string[] = [];
  const changedNames = new Set(changedFiles.flatMap((path) => [path, baseName(path)]));
  for (const sentence of sentencesOf(answer)) {
    if (!CLAIM.test(sentence) || NEGATION.test(sentence)) continue;
    for (const problem of problems) {
      if (!problem.target) continue;
      if (!mentions(sentence, problem.target) && !mentions(sentence, baseName(problem.target))) continue;
      if (changedNames.has(problem.target)) continue;
      const message = `The answer says "${clip(sentence, 100)}", but ${problem.tool} ${problem.target} was ${problem.outcome === 'denied' ? `denied ${problem.detail}` : 'a failure'}.`;
      if (!found.includes(message)) found.push(message);
    }
    if (!CHANGE_CLAIM.test(sentence)) continue;
    for (const file of sentence.match(FILE_NAME) ?? []) {
      if (changedNames.has(file) || changedNames.has(baseName(file))) continue;
      if (problems.some((problem) => problem.target === file || baseName(problem.target) === file)) continue;
      const message = `The answer says "${clip(sentence, 100)}", but no step changed ${file}.`;
      if (!found.includes(message)) found.push(message);
    }
  }
  return found;
}

/** Past-tense claims of having acted (changed a file, ran something, fetched something). */
const CLAIM = /\b(deleted|removed|wrote|written|created|added|edited|changed|modified|updated|replaced|renamed|fixed|appended|inserted|ran|executed|installed|fetched|downloaded|sent|done)\b/i;
/** The subset that claims a file changed. */
const CHANGE_CLAIM = /\b(deleted|removed|wrote|written|created|added|edited|changed|modified|updated|replaced|renamed|appended|inserted)\b/i;
const NEGATION = /\b(not|never|no|didn't|did not|couldn't|could not|cannot|can't|won't|wasn't|unable|refused|denied|declined|failed)\b/i;
/** A file name: a word with an extension of letters ("notes.md", "src/app.ts"), not a version or a URL's host. */
const FILE_NAME = /(?<![\w/.:-])(?:[\w-]+\/)*[\w-]+\.(?:[a-z][a-z0-9]{0,5})(?![\w/])/gi;

function sentencesOf(text: string): string[] {
  return text
    .replace(/```[\s\S]*?```/g, ' ')
    .split(/(?<=[.!?])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

function mentions(sentence: string, name: string): boolean {
  if (!name) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w/.-])${escaped}(?![\\w])`, 'i').test(sentence);
}

function targetOf(tool: string, args: unknown): string {
  if (typeof args !== 'object' || args === null) return '';
  const record = args as Record<string, unknown>;
  for (const key of ['path', 'command', 'url', 'query']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return tool === 'run_command' ? value.trim().split('\n')[0] : value.trim();
  }
  return '';
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, 3).map((item) => clip(item, 40));
  return items.length > 3 ? `${shown.join(', ')}, +${items.length - 3} more` : shown.join(', ');
}
