import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { parseSettings, type GlassboxSettings, type SettingsProblem } from './settings-values';

export const SETTINGS_SECTION = 'glassbox';

/**
 * The current settings, re-read when any `glassbox.*` setting changes. Runs take a snapshot
 * when they start, so changing a setting mid-run affects the next run only. Problems (a bad
 * URL, a number out of range) are shown once per distinct message, naming the setting, with a
 * button that opens it.
 */
export class Settings extends Disposable {
  #current: GlassboxSettings;
  readonly #onDidChange = this.register(new vscode.EventEmitter<GlassboxSettings>());
  readonly onDidChange = this.#onDidChange.event;
  readonly #shownProblems = new Set<string>();

  constructor(private readonly onProblem: (problem: SettingsProblem) => void = showProblem) {
    super();
    this.#current = this.#read();
    this.register(
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (!change.affectsConfiguration(SETTINGS_SECTION)) return;
        this.#current = this.#read();
        this.#onDidChange.fire(this.#current);
      }),
    );
  }

  get current(): GlassboxSettings {
    return this.#current;
  }

  #read(): GlassboxSettings {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const { settings, problems } = parseSettings((key) => config.get(key));
    for (const problem of problems) {
      if (this.#shownProblems.has(problem.message)) continue;
      this.#shownProblems.add(problem.message);
      this.onProblem(problem);
    }
    return settings;
  }
}

function showProblem(problem: SettingsProblem): void {
  void vscode.window.showWarningMessage(`Glassbox: ${problem.message}`, 'Open Setting').then((choice) => {
    if (choice === 'Open Setting') void vscode.commands.executeCommand('workbench.action.openSettings', problem.setting);
  });
}
