import { join } from 'node:path';

/**
 * Where VS Code keeps its own ripgrep, under `vscode.env.appRoot`. Desktop builds unpack it
 * next to the asar archive; some builds (and code-server) keep it in node_modules; newer ones
 * ship a universal package with one binary per platform. Missing paths are fine: the search
 * falls back to the pure-Node searcher. Pure, so the list is unit-tested.
 */
export function ripgrepCandidates(appRoot: string, platform: string = process.platform, arch: string = process.arch): string[] {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  return [
    join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', exe),
    join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', exe),
    join(appRoot, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, exe),
    join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, exe),
  ];
}
