import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';

export const PROPOSED_SCHEME = 'glassbox-proposed';

/**
 * Read-only virtual documents holding a change the agent proposes, so the approval dialog can
 * open `vscode.diff` on it before anything touches the disk. A document lives only while its
 * dialog is open: `show` returns a handle whose dispose forgets the content.
 */
export class ProposedContentProvider extends Disposable implements vscode.TextDocumentContentProvider {
  readonly #contents = new Map<string, string>();
  readonly #onDidChange = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.#onDidChange.event;
  #counter = 0;

  /** @param scheme the URI scheme served (tests use their own, beside the extension's). */
  constructor(private readonly scheme: string = PROPOSED_SCHEME) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(scheme, this));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.#contents.get(uri.toString()) ?? '';
  }

  /**
   * A URI whose path ends with the file's own name, so the editor picks the right language
   * mode (and so the diff tab reads naturally); the counter keeps URIs of calls apart.
   */
  add(path: string, content: string, label: 'proposed' | 'current' | 'checkpoint'): { uri: vscode.Uri; dispose: () => void } {
    this.#counter += 1;
    const clean = path.replace(/^\/+/, '');
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${this.#counter}/${label}/${clean}` });
    const key = uri.toString();
    this.#contents.set(key, content);
    return { uri, dispose: () => this.#contents.delete(key) };
  }
}
