import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { endpointIdentity, endpointLabel } from './settings-endpoint';
import { GUARDED_KEYS } from './guarded-keys';
import { resolveScopedSettings, type IgnoredValue, type ScopedValues, type WorkspaceScopedValue } from './scoped-settings';
import { parseSettings, type GlassboxSettings, type SettingsProblem } from './settings-values';

export const SETTINGS_SECTION = 'glassbox';

/** An endpoint a workspace's settings name that differs from the person's own (issue 19). */
export interface WorkspaceEndpoint {
  /** What consent is remembered by (provider and URL: `endpointIdentity`). */
  readonly id: string;
  /** Where the workspace would send requests ("http://10.0.0.5:8000/v1"). */
  readonly url: string;
  /** The person's own endpoint, used until they agree. */
  readonly ownUrl: string;
  /** The workspace's name, for the question and the chat. */
  readonly workspace: string;
  readonly consented: boolean;
}

/** The person's remembered answers (endpoint-consent.ts); without one, no workspace endpoint is ever used. */
export interface EndpointConsentSource {
  has(id: string): boolean;
  readonly onDidChange: vscode.Event<void>;
}

/**
 * The current settings, re-read when any `glassbox.*` setting changes. Runs take a snapshot
 * when they start, so changing a setting mid-run affects the next run only. Problems (a bad
 * URL, a number out of range) are shown once per distinct message, naming the setting, with a
 * button that opens it.
 *
 * Values come through the scoped layer (scoped-settings.ts): a workspace or folder may tighten
 * a guardrail but not loosen it, and its endpoint is used only once the person agreed.
 */
export class Settings extends Disposable {
  #current!: GlassboxSettings;
  #own!: GlassboxSettings;
  #ignored: readonly IgnoredValue[] = [];
  #workspaceEndpoint: WorkspaceEndpoint | undefined;
  readonly #onDidChange = this.register(new vscode.EventEmitter<GlassboxSettings>());
  readonly onDidChange = this.#onDidChange.event;
  readonly #shownProblems = new Set<string>();

  constructor(
    private readonly onProblem: (problem: SettingsProblem) => void = showProblem,
    private readonly consents?: EndpointConsentSource,
  ) {
    super();
    this.#read();
    const reread = () => {
      this.#read();
      this.#onDidChange.fire(this.#current);
    };
    this.register(
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration(SETTINGS_SECTION)) reread();
      }),
    );
    if (consents) this.register(consents.onDidChange(reread));
    // Folders added or removed bring their own settings.
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(reread));
  }

  /** What runs use: guarded, with the workspace's endpoint only when the person agreed to it. */
  get current(): GlassboxSettings {
    return this.#current;
  }

  /** With the person's own endpoint, whatever the workspace says: stored keys belong to it. */
  get own(): GlassboxSettings {
    return this.#own;
  }

  /** Workspace and folder values that were not used, and why. */
  get ignored(): readonly IgnoredValue[] {
    return this.#ignored;
  }

  /** The endpoint the workspace names, when it differs from the person's own. */
  get workspaceEndpoint(): WorkspaceEndpoint | undefined {
    return this.#workspaceEndpoint;
  }

  #read(): void {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const workspaceName = vscode.workspace.name ?? 'this workspace';
    // In a single-folder window the folder's settings are the workspace's; a multi-root
    // workspace (a .code-workspace file) has both, and each folder may bring its own.
    const folders = vscode.workspace.workspaceFile
      ? (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ name: folder.name, config: vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri) }))
      : [];
    const scoped = (key: string): ScopedValues => {
      const inspected = config.inspect(key);
      const workspaceValues: WorkspaceScopedValue[] = [];
      if (inspected?.workspaceValue !== undefined) workspaceValues.push({ scope: 'workspace', where: workspaceName, value: inspected.workspaceValue });
      for (const folder of folders) {
        const value = folder.config.inspect(key)?.workspaceFolderValue;
        if (value !== undefined) workspaceValues.push({ scope: 'folder', where: folder.name, value });
      }
      // globalValue is the person's: user settings, merged with the remote's in a remote window.
      return { defaultValue: inspected?.defaultValue, userValue: inspected?.globalValue, workspaceValues };
    };
    const resolution = resolveScopedSettings(scoped);
    // Keys no guard covers keep VS Code's own merging.
    const rawOf = (guarded: (key: string) => unknown) => (key: string) => (key in GUARDED_KEYS ? guarded(key) : config.get(key));
    const own = parseSettings(rawOf(resolution.guarded));
    const theirs = parseSettings(rawOf(resolution.withWorkspaceEndpoint));
    this.#report([...own.problems, ...theirs.problems]);
    const ownId = endpointIdentity(own.settings);
    const theirId = endpointIdentity(theirs.settings);
    this.#workspaceEndpoint =
      theirId === ownId
        ? undefined
        : {
            id: theirId,
            url: endpointLabel(theirs.settings),
            ownUrl: endpointLabel(own.settings),
            workspace: workspaceName,
            consented: this.consents?.has(theirId) ?? false,
          };
    this.#own = own.settings;
    this.#current = this.#workspaceEndpoint?.consented ? theirs.settings : own.settings;
    this.#ignored = resolution.ignored;
  }

  #report(problems: readonly SettingsProblem[]): void {
    for (const problem of problems) {
      if (this.#shownProblems.has(problem.message)) continue;
      this.#shownProblems.add(problem.message);
      this.onProblem(problem);
    }
  }
}

function showProblem(problem: SettingsProblem): void {
  void vscode.window.showWarningMessage(`Glassbox: ${problem.message}`, 'Open Setting').then((choice) => {
    if (choice === 'Open Setting') void vscode.commands.executeCommand('workbench.action.openSettings', problem.setting);
  });
}
