/**
 * Finds code-server's extension host among the processes of its process group (the server
 * forks it with `--type=extensionHost`), so a test can kill it as a crash would.
 */
import { readFileSync, readdirSync } from 'node:fs';

export interface GroupProcess {
  readonly pid: number;
  readonly commandLine: string;
}

/** Every live process in group `pgid`, with its command line (Linux /proc). */
export function processesInGroup(pgid: number): GroupProcess[] {
  const found: GroupProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name "(…)": state ppid pgrp …
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid || fields[0] === 'Z') continue;
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), commandLine });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** The extension host processes of the code-server whose group leader is `pgid`. */
export function extensionHostProcesses(pgid: number): GroupProcess[] {
  return processesInGroup(pgid).filter((process) => /--type=extensionHost\b|extensionHost/.test(process.commandLine));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
