import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import type { RunController } from '../run/run-controller';

/**
 * Completes the "Get started with Glassbox" walkthrough's steps by doing them: each step names a
 * context key (package.json `completionEvents: onContext:…`) set here from the runs' own events —
 * a run started (a model is ready), a question answered, a restore recorded. VS Code keeps a
 * completed step completed; the keys only need to turn true once.
 */
export class WalkthroughProgress extends Disposable {
  readonly #done = new Set<string>();

  constructor(runs: RunController) {
    super();
    this.register(
      runs.onDidEvent(({ event }) => {
        if (event.type === 'run-start') this.#mark('glassbox.walkthrough.modelReady');
        if (event.type === 'run-end' && event.reason === 'answered') this.#mark('glassbox.walkthrough.answered');
        if (event.type === 'checkpoint-restored') this.#mark('glassbox.walkthrough.restored');
      }),
    );
  }

  #mark(key: string): void {
    if (this.#done.has(key)) return;
    this.#done.add(key);
    void vscode.commands.executeCommand('setContext', key, true);
  }
}
