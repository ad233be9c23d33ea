/**
 * `glassbox changes`: the files the last run (or `--run ID`) changed, from the checkpoints the
 * run took, compared with the workspace now; `--diff` adds a unified diff per text file.
 * The list goes to stdout (it is the answer); what is missing goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { baselineOf, changesSince, lastRunId, type ChangedFile } from '../agent/changes/changed-files';
import { MAX_EDIT_LINES } from '../agent/changes/hunks';
import type { CheckpointStore } from '../agent/checkpoints/checkpoint-store';
import { plural } from '../agent/format';
import type { ChangesCommand } from './args';
import { openCheckpointStore, type Terminal } from './checkpoint-commands';

/** Diffs of files larger than this are not printed (the list still names them). */
const MAX_DIFF_BYTES = 1024 * 1024;

export function listChanges(command: ChangesCommand, terminal: Terminal): number {
  const store = openCheckpointStore(command.workspace, terminal.stderr);
  const checkpoints = store.list();
  const runId = command.runId ?? lastRunId(checkpoints);
  const baseline = runId ? baselineOf(checkpoints, new Set([runId])) : undefined;
  if (!runId || !baseline) {
    terminal.stderr.write(
      command.runId
        ? `glassbox: no checkpoint of run ${command.runId} in ${store.workspace}: it changed nothing, or its checkpoints were dropped.\n`
        : `No run has changed ${store.workspace} yet (no checkpoints).\n`,
    );
    return command.runId ? 1 : 0;
  }
  const set = changesSince(store, baseline);
  if (command.jsonl) {
    for (const file of set.files) terminal.stdout.write(`${JSON.stringify({ runId, ...file })}\n`);
  } else {
    terminal.stdout.write(`Run ${runId}: ${plural(set.files.length, 'file')} changed since checkpoint ${baseline.id} (${baseline.label})\n`);
    for (const file of set.files) terminal.stdout.write(`  ${formatFile(file)}\n`);
    if (set.omitted > 0) terminal.stdout.write(`  … and ${plural(set.omitted, 'more file')}\n`);
    if (command.diff) for (const file of set.files) terminal.stdout.write(diffOf(store, file));
    if (set.files.length > 0) terminal.stderr.write(`Undo all of it with: glassbox restore ${baseline.id}\n`);
  }
  return 0;
}

/** "modified  src/a.ts  +2 −1"; binary files without counts. */
export function formatFile(file: ChangedFile): string {
  const counts = file.binary ? 'binary' : [file.added > 0 ? `+${file.added}` : '', file.removed > 0 ? `−${file.removed}` : ''].filter(Boolean).join(' ');
  return `${file.kind.padEnd(9)} ${file.path}${counts ? `  ${counts}` : ''}`;
}

function diffOf(store: CheckpointStore, file: ChangedFile): string {
  if (file.binary) return `Binary file ${file.path} differs\n`;
  const before = file.beforeHash ? store.content(file.beforeHash) : Buffer.alloc(0);
  let now = Buffer.alloc(0);
  if (file.kind !== 'deleted') {
    try {
      now = readFileSync(join(store.workspace, ...file.path.split('/')));
    } catch {
      // Gone since the list was made: diffed as deleted.
    }
  }
  if (before.length > MAX_DIFF_BYTES || now.length > MAX_DIFF_BYTES) return `${file.path}: too large to diff here (over 1 MB)\n`;
  const patch = createTwoFilesPatch(
    file.kind === 'created' ? '/dev/null' : `a/${file.path}`,
    file.kind === 'deleted' ? '/dev/null' : `b/${file.path}`,
    before.toString('utf8'),
    now.toString('utf8'),
    undefined,
    undefined,
    { maxEditLength: MAX_EDIT_LINES },
  );
  return patch ?? `${file.path}: too many changes to diff line by line\n`;
}
