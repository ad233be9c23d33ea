// The one set-up command (`npm run setup`): everything a fresh machine needs to build, test
// and run Glassbox, from the npm registry and Debian's packages only.
//   1. npm ci                      the locked dependencies
//   2. ripgrep (apt, when root)    fast search for the CLI and its tests (Node fallback otherwise)
//   3. npm run build               dist/ and dist-test/
//   4. provision-e2e               Node 24, code-server, Chromium for the real-VS-Code tests
//                                  (skipped with GLASSBOX_SKIP_E2E=1; npm test would provision it anyway)
// Safe to run again: each step notices what is already there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const say = (line) => process.stderr.write(`[setup] ${line}\n`);

function run(command, args, options = {}) {
  say(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    say(`failed: ${command} ${args.join(' ')} (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function onPath(executable) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, executable)));
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
run(npm, ['ci', '--no-audit', '--no-fund']);

if (onPath('rg')) {
  say('ripgrep: found on PATH');
} else if (process.platform === 'linux' && process.getuid?.() === 0 && onPath('apt-get')) {
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'ripgrep'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
} else {
  say('ripgrep (rg) is not installed: install it (e.g. `apt-get install ripgrep`, `brew install ripgrep`); ' +
    'search falls back to a slower Node implementation, and the ripgrep tests will fail until it is there.');
}

run(npm, ['run', 'build']);

if (process.env.GLASSBOX_SKIP_E2E === '1') {
  say('GLASSBOX_SKIP_E2E=1: not provisioning the real-VS-Code test environment');
} else {
  run(process.execPath, [join(root, 'scripts/provision-e2e.mjs')]);
}
say('done');
