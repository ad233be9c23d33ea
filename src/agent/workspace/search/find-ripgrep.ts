/**
 * Locates an `rg` executable: an explicit path first (a setting or CLI flag), then caller
 * candidates (the VS Code host passes the copy bundled with VS Code: src/host/workspace/ripgrep-path.ts
 * lists them under `vscode.env.appRoot`), then `rg` on PATH. Returns undefined when none is usable, so the
 * caller can fall back to NodeSearcher and say so.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import * as nodePath from 'node:path';

export interface FindRipgrepOptions {
  /** Used as given when set; a missing or non-executable file here is reported, not skipped. */
  readonly explicitPath?: string;
  /** Full paths of rg executables to try, in order. */
  readonly candidates?: readonly string[];
  /** Directories to search for `rg` (defaults to the PATH environment variable's). */
  readonly searchPath?: string;
  readonly platform?: NodeJS.Platform;
}

export type RipgrepLocation =
  | { readonly found: true; readonly path: string; readonly source: 'explicit' | 'candidate' | 'PATH' }
  | { readonly found: false; readonly reason: string };

export async function findRipgrep(options: FindRipgrepOptions = {}): Promise<RipgrepLocation> {
  const platform = options.platform ?? process.platform;
  if (options.explicitPath) {
    if (await isExecutableFile(options.explicitPath, platform)) return { found: true, path: options.explicitPath, source: 'explicit' };
    return { found: false, reason: `The configured ripgrep path "${options.explicitPath}" is not an executable file.` };
  }
  for (const candidate of options.candidates ?? []) {
    if (await isExecutableFile(candidate, platform)) return { found: true, path: candidate, source: 'candidate' };
  }
  const executable = platform === 'win32' ? 'rg.exe' : 'rg';
  const searchPath = options.searchPath ?? process.env.PATH ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  for (const folder of searchPath.split(delimiter).filter((entry) => entry !== '')) {
    const candidate = nodePath.join(folder, executable);
    if (await isExecutableFile(candidate, platform)) return { found: true, path: candidate, source: 'PATH' };
  }
  return { found: false, reason: 'ripgrep (rg) was not found on PATH or among the known locations.' };
}

async function isExecutableFile(path: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    // Windows has no execute bit; existence is the test there.
    if (platform !== 'win32') await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
