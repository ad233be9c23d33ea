import * as vscode from 'vscode';
import type { KeyValueStore } from '../../agent/history/key-value-store';
import { Disposable } from '../common/disposable';
import type { EndpointConsentSource, Settings, WorkspaceEndpoint } from '../settings/settings';

/** workspaceState key: the endpoint identities this workspace may send requests to. */
const CONSENTS_KEY = 'glassbox.workspaceEndpointConsents';
export const ALLOW_WORKSPACE_ENDPOINT_COMMAND = 'glassbox.allowWorkspaceEndpoint';
export const REVOKE_WORKSPACE_ENDPOINT_COMMAND = 'glassbox.revokeWorkspaceEndpoint';
const USE_IT = 'Use This Endpoint';

/**
 * The person's answers about endpoints a workspace's settings name (issue 19). Kept in
 * workspaceState, which lives in VS Code's storage and not in the workspace, so a repository
 * can neither carry a "yes" along nor write one; and per workspace, so agreeing for one
 * repository says nothing about the next clone.
 */
export class EndpointConsents extends Disposable implements EndpointConsentSource {
  readonly #onDidChange = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.#onDidChange.event;

  constructor(private readonly state: KeyValueStore) {
    super();
  }

  has(id: string): boolean {
    return this.list().includes(id);
  }

  list(): readonly string[] {
    const stored = this.state.get<unknown>(CONSENTS_KEY);
    return Array.isArray(stored) ? stored.filter((item): item is string => typeof item === 'string') : [];
  }

  async grant(id: string): Promise<void> {
    if (this.has(id)) return;
    await this.state.update(CONSENTS_KEY, [...this.list(), id]);
    this.#onDidChange.fire();
  }

  async revoke(id: string): Promise<void> {
    await this.state.update(CONSENTS_KEY, this.list().filter((item) => item !== id));
    this.#onDidChange.fire();
  }
}

/**
 * Asks the person, in a modal, before a workspace's endpoint gets any request: once per
 * session and endpoint at the start of a run (a "no" keeps their own endpoint and the chat
 * says why), and again whenever they choose "Allow Workspace Endpoint".
 */
export class EndpointConsentPrompt {
  /** Endpoint identities asked about (and not agreed to) in this session. */
  readonly #asked = new Set<string>();

  constructor(
    private readonly settings: Pick<Settings, 'workspaceEndpoint'>,
    private readonly consents: EndpointConsents,
  ) {}

  /** Before a run: a workspace endpoint not yet agreed to, and not yet asked about, is asked about now. */
  async beforeRun(): Promise<void> {
    const pending = this.settings.workspaceEndpoint;
    if (!pending || pending.consented || this.#asked.has(pending.id)) return;
    await this.ask();
  }

  /** Shows the modal for the workspace's endpoint; true when the person agreed. */
  async ask(): Promise<boolean> {
    const pending = this.settings.workspaceEndpoint;
    if (!pending) {
      void vscode.window.showInformationMessage("Glassbox: this workspace's settings name no endpoint of their own.");
      return false;
    }
    if (pending.consented) return true;
    this.#asked.add(pending.id);
    const choice = await vscode.window.showWarningMessage(consentQuestion(pending), { modal: true, detail: consentDetail(pending) }, USE_IT);
    if (choice !== USE_IT) return false;
    await this.consents.grant(pending.id);
    return true;
  }

  /** "Revoke Workspace Endpoint": pick an endpoint this workspace was allowed, and take it back. */
  async revoke(): Promise<void> {
    const granted = this.consents.list();
    if (granted.length === 0) {
      void vscode.window.showInformationMessage('Glassbox: this workspace has not been allowed an endpoint of its own.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      granted.map((id) => ({ label: urlOfIdentity(id), description: providerOfIdentity(id), id })),
      { title: 'Glassbox: Revoke Workspace Endpoint', placeHolder: 'Stop sending requests to…' },
    );
    if (!picked) return;
    await this.consents.revoke(picked.id);
    this.#asked.delete(picked.id);
    void vscode.window.showInformationMessage(`Glassbox: this workspace's endpoint ${picked.label} is no longer used; your own endpoint is.`);
  }
}

/** The question names the endpoint and the workspace, and says what goes there. */
export function consentQuestion(pending: WorkspaceEndpoint): string {
  return `The workspace "${pending.workspace}" sends Glassbox's requests to ${pending.url}: its code and your questions go there.`;
}

function consentDetail(pending: WorkspaceEndpoint): string {
  return (
    `Its settings (.vscode/settings.json) name this endpoint; yours name ${pending.ownUrl}. Until you allow it, Glassbox uses yours. ` +
    `API keys you entered for other endpoints are never sent to it. "Glassbox: Revoke Workspace Endpoint" takes this back.`
  );
}

/** Why the chat uses the person's endpoint although the workspace names another. */
export function pendingEndpointNotice(pending: WorkspaceEndpoint): string {
  return (
    `This workspace's settings send Glassbox's requests to ${pending.url}. Glassbox uses your own endpoint (${pending.ownUrl}) ` +
    `until you allow that one ("Glassbox: Allow Workspace Endpoint").`
  );
}

/** Identities are "<provider> <url>" (endpointIdentity). */
function urlOfIdentity(id: string): string {
  return id.slice(id.indexOf(' ') + 1);
}

function providerOfIdentity(id: string): string {
  return id.slice(0, Math.max(0, id.indexOf(' ')));
}
