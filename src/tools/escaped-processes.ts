import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Processes a command started that left its process group (`setsid`, a daemonising server), so
 * stopping the group does not reach them. Each command runs with a fresh marker in its
 * environment, which its children inherit; after the command, processes still carrying it are
 * found through /proc (Linux) and stopped. A process that clears its environment
 * (`env -i setsid …`) is not found; on other platforms none are.
 */
export const COMMAND_MARKER_VARIABLE = 'GLASSBOX_COMMAND_ID';

export interface EscapedProcess {
  readonly pid: number;
  readonly command: string;
}

export async function findEscapedProcesses(marker: string): Promise<EscapedProcess[]> {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`${COMMAND_MARKER_VARIABLE}=${marker}\0`);
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found: EscapedProcess[] = [];
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
      .map(async (name) => {
        try {
          const environ = await readFile(`/proc/${name}/environ`);
          if (environ.indexOf(needle) < 0) return;
          const cmdline = (await readFile(`/proc/${name}/cmdline`)).toString('utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
          found.push({ pid: Number(name), command: cmdline.slice(0, 120) });
        } catch {
          // Gone meanwhile, or another user's process: not ours.
        }
      }),
  );
  return found.sort((a, b) => a.pid - b.pid);
}

/** SIGTERM, then SIGKILL a second later for those still there. */
export async function stopProcesses(processes: readonly EscapedProcess[]): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals | 0) => {
    try {
      process.kill(pid, name);
      return true;
    } catch {
      return false;
    }
  };
  let alive = processes.filter(({ pid }) => signal(pid, 'SIGTERM'));
  const deadline = performance.now() + 1_000;
  while (alive.length > 0 && performance.now() < deadline) {
    await sleep(25);
    alive = alive.filter(({ pid }) => signal(pid, 0));
  }
  for (const { pid } of alive) signal(pid, 'SIGKILL');
}
