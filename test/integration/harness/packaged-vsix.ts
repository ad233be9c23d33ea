/**
 * The VSIX the UI scenarios marked `installed` run against: built once per E2E run with
 * `npm run package` (the same command that makes the VSIX we ship), then installed into each
 * session's fresh extensions folder with code-server's `--install-extension`, so what ships is
 * what was tested. GLASSBOX_E2E_VSIX points at an already built VSIX instead.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

let built: Promise<string> | undefined;

/** The packaged VSIX, built on first use in this process. */
export function packagedVsix(): Promise<string> {
  built ??= buildVsix();
  return built;
}

async function buildVsix(): Promise<string> {
  const given = process.env.GLASSBOX_E2E_VSIX;
  if (given) {
    if (!existsSync(given)) throw new Error(`GLASSBOX_E2E_VSIX=${given} does not exist`);
    return given;
  }
  const output = await run('npm', ['run', 'package'], repoRoot);
  const vsix = join(repoRoot, 'glassbox.vsix');
  if (!existsSync(vsix)) throw new Error(`npm run package made no glassbox.vsix:\n${output}`);
  return vsix;
}

/** Runs a command, resolving with its output; rejects with the output when it exits non-zero. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`)),
    );
  });
}
