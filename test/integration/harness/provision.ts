/**
 * Runs scripts/provision-e2e.mjs (Node 24, code-server, Chromium into .vscode-test/) in a child
 * process and returns its paths. Its progress goes straight to our stderr; a failure becomes an
 * error carrying the script's own "what failed / how to fix" text.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

export interface Provisioned {
  /** Node 24, which code-server requires. */
  readonly node: string;
  readonly codeServerEntry: string;
  readonly chromium: string;
  readonly playwrightCore: string;
  readonly cacheDir: string;
  /** How long provisioning took (≈0 when everything was cached). */
  readonly seconds: number;
}

export async function provision(): Promise<Provisioned> {
  const script = join(repoRoot, 'scripts/provision-e2e.mjs');
  const child = spawn(process.execPath, [script, '--json'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new Error(
      `Provisioning the real-VS-Code tests failed (exit ${code}).\n${stderr.trim()}\n` +
        'To skip these tests on a machine that cannot run them, set GLASSBOX_SKIP_E2E=1.',
    );
  }
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Provisioned;
  } catch {
    throw new Error(`scripts/provision-e2e.mjs printed no JSON paths; its output was:\n${stdout}`);
  }
}
