import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Parser as ParserType } from '@vscode/tree-sitter-wasm';

// tree-sitter-bash through web-tree-sitter, as VS Code's own terminal tool reads command lines:
// the prebuilt wasm files of @vscode/tree-sitter-wasm (what VS Code ships). Loaded on the
// first command a run wants to approve, never at activation: the grammar is 1.4 MB of wasm.
//
// Where the wasm files are: the bundles (dist/extension.js, dist/cli.js) have them copied
// beside them by scripts/build.mjs; the test build (dist-test/, file by file) finds them in
// node_modules.

const WASM_FILES = ['tree-sitter.wasm', 'tree-sitter-bash.wasm'] as const;

let loading: Promise<ParserType> | undefined;

/** A parser for bash, made once per process. */
export function bashParser(): Promise<ParserType> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined; // a later call may try again (a file restored, a transient read error)
    throw error;
  });
  return loading;
}

async function load(): Promise<ParserType> {
  const folder = wasmFolder();
  // Required here, not imported at the top: the module is only evaluated when a command is parsed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Parser, Language } = require('@vscode/tree-sitter-wasm') as typeof import('@vscode/tree-sitter-wasm');
  await Parser.init({ locateFile: () => join(folder, 'tree-sitter.wasm') });
  const bash = await Language.load(join(folder, 'tree-sitter-bash.wasm'));
  const parser = new Parser();
  parser.setLanguage(bash);
  return parser;
}

function wasmFolder(): string {
  // Beside the bundle, else in the nearest node_modules above this file (the test build).
  for (let folder = __dirname; ; folder = dirname(folder)) {
    for (const candidate of [folder, join(folder, 'node_modules/@vscode/tree-sitter-wasm/wasm')]) {
      if (WASM_FILES.every((file) => existsSync(join(candidate, file)))) return candidate;
    }
    if (dirname(folder) === folder) throw new Error(`The shell parser's wasm files (${WASM_FILES.join(', ')}) are missing beside ${__dirname}.`);
  }
}
