/**
 * Where the CLI keeps its own state: a private folder under the user's state directory
 * ($GLASSBOX_STATE_DIR, else $XDG_STATE_HOME/glassbox, else ~/.local/state/glassbox; on Windows
 * %LOCALAPPDATA%\glassbox), never inside the workspace and never in its `.git`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GLASSBOX_STATE_DIR) return env.GLASSBOX_STATE_DIR;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'glassbox');
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'glassbox');
}

/** This workspace folder's checkpoint store: one folder per workspace path, readable name first. */
export function checkpointStoreDir(workspace: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(workspace).digest('hex').slice(0, 16);
  const dir = join(stateDir(env), 'checkpoints', `${basename(workspace).replace(/[^\w.-]/g, '_')}-${id}`);
  // Private: checkpoints hold copies of the workspace's files.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
