/**
 * What the extension host wrote to its console: code-server keeps it in the session's log
 * folder (`<user-data>/logs/<time>/exthost*` and the remote agent's logs). A scenario asserts
 * that none of those lines is an error coming from Glassbox.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ConsoleLine {
  readonly file: string;
  readonly line: string;
}

/** Every line of every extension-host log file under `userData/logs`. */
export function extensionHostLogLines(userData: string): ConsoleLine[] {
  const logs = join(userData, 'logs');
  if (!existsSync(logs)) return [];
  return filesUnder(logs)
    .filter((file) => /exthost|remoteagent|extension/i.test(file))
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').map((line) => ({ file: file.slice(logs.length + 1), line })));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
