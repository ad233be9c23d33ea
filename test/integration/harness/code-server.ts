/**
 * Starts code-server (the real VS Code workbench, served over HTTP) on a free loopback port,
 * with per-run HOME, TMPDIR, user-data and extensions folders and a settings.json written
 * before start. Its output goes to a log file that is kept when a test fails.
 */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freeLoopbackPort } from './free-port';
import { run } from './packaged-vsix';
import { spawnGroup, type StartedGroup } from './process-group';
import type { Provisioned } from './provision';
import type { RunDirs } from './workspace';

/** Settings that keep the workbench quiet, offline and screenshot-friendly. */
const quietWorkbench: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
};

export interface CodeServerOptions {
  readonly provisioned: Provisioned;
  readonly dirs: RunDirs;
  /** User settings on top of the quiet defaults (glassbox.baseUrl, …). */
  readonly settings: Record<string, unknown>;
  /** Accept the smoke-test payload (extensionDevelopmentPath / extensionTestsPath in the URL). */
  readonly smokeTestDriver: boolean;
  /** Server output goes here. */
  readonly logPath: string;
  /** Extra environment for the server and so for the extension host. */
  readonly env?: Record<string, string>;
  /** A VSIX installed into the session's empty extensions folder before the server starts. */
  readonly installVsix?: string;
}

export interface CodeServer {
  readonly port: number;
  readonly origin: string;
  readonly pid: number;
  readonly logPath: string;
  /** The workbench URL for a folder, with an optional smoke-test payload. */
  urlFor(folder: string, payload?: readonly (readonly [string, string])[]): string;
  /** A `vscode-remote://` URI for a path on the server (what the payload wants). */
  remoteUri(path: string): string;
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { provisioned, dirs } = options;
  const port = await freeLoopbackPort();
  const settingsPath = join(dirs.userData, 'User/settings.json');
  mkdirSync(dirname(settingsPath), { recursive: true });
  writeFileSync(settingsPath, JSON.stringify({ ...quietWorkbench, ...options.settings }, null, 2));
  // Without a config of its own, code-server writes ~/.config/code-server/config.yaml.
  const configPath = join(dirs.root, 'code-server.yaml');
  writeFileSync(configPath, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const args = [
    provisioned.codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--config', configPath,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
  // Without this flag the built workbench silently ignores the payload (no extension, no tests).
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');

  mkdirSync(dirname(options.logPath), { recursive: true });
  const serverEnv = { ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp, ...options.env };
  if (options.installVsix) {
    // As a person installs it: code-server's own CLI unpacks the VSIX into the extensions folder.
    const install = [
      provisioned.codeServerEntry,
      '--config', configPath,
      '--user-data-dir', dirs.userData,
      '--extensions-dir', dirs.extensions,
      '--install-extension', options.installVsix,
    ];
    const output = await run(provisioned.node, install, dirs.workspace, serverEnv);
    if (!/successfully installed/i.test(output)) throw new Error(`--install-extension ${options.installVsix} did not report success:\n${output}`);
  }
  const log = createWriteStream(options.logPath);
  const group: StartedGroup = spawnGroup(provisioned.node, args, {
    cwd: dirs.workspace,
    env: serverEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  group.child.stdout?.pipe(log, { end: false });
  group.child.stderr?.pipe(log, { end: false });

  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error('code-server did not report "HTTP server listening" within 30 s')), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`${error.message}\n--- ${options.logPath} ---\n${safeRead(options.logPath)}`));
    };
    group.child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    group.child.once('exit', (code, signal) => fail(new Error(`code-server exited early (${signal ?? code})`)));
  }).catch(async (error: unknown) => {
    await group.stop();
    throw error;
  });

  const origin = `http://127.0.0.1:${port}`;
  const remoteUri = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  return {
    port,
    origin,
    pid: group.pid,
    logPath: options.logPath,
    remoteUri,
    urlFor(folder, payload) {
      let url = `${origin}/?folder=${encodeURIComponent(folder)}`;
      if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    async stop() {
      await group.stop(8000);
      log.end();
    },
  };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-4000);
  } catch {
    return '(no log)';
  }
}
