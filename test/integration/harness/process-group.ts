/**
 * Every process the E2E harness starts (code-server and its children, the scripted model server,
 * Chromium) is started as the leader of its own process group and recorded here, so it can be
 * stopped by PID (the whole group: code-server's extension host, file watcher and language
 * servers are its children) when a test ends, and again, forcibly, when the run exits for any
 * reason. Nothing is ever stopped by name.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const liveGroups = new Set<number>();

export interface StartedGroup {
  readonly pid: number;
  readonly child: ChildProcess;
  /** SIGTERM to the group, wait up to `graceMs` until it is empty, then SIGKILL what is left. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `command` as the leader of a new process group. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions): StartedGroup {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return adoptGroup(child.pid, child);
}

/** Records a process group someone else started (Playwright's Chromium) so it is stopped with ours. */
export function adoptGroup(pid: number, child: ChildProcess): StartedGroup {
  liveGroups.add(pid);
  return { pid, child, stop: (graceMs = 5000) => stopGroup(pid, graceMs) };
}

export function isGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function stopGroup(pid: number, graceMs = 5000): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isGroupAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isGroupAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    while (isGroupAlive(pid) && Date.now() < deadline + 2000) await sleep(50);
  }
  liveGroups.delete(pid);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Groups still running: a test that ends with some is leaking processes. */
export function runningGroups(): number[] {
  return [...liveGroups].filter(isGroupAlive);
}

/** Last resort on exit (passes, fails, Ctrl-C): SIGKILL every group still recorded. */
export function killAllGroupsNow(): void {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  liveGroups.clear();
}

let exitHooksInstalled = false;
/** Makes sure the groups die with this process, however it ends. */
export function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAllGroupsNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllGroupsNow();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}
