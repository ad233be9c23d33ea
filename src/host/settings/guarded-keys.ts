// The settings a cloned repository must not be able to weaken (issue 19). A trusted workspace
// gets every setting VS Code lets it set, and trusting is one click everybody makes, so the
// rule lives here rather than in Restricted Mode: from the person's own (user, remote) settings
// any value counts; from a workspace or folder only a stricter one. Pure data, no `vscode`.

/** How a workspace or folder value of one key is judged against the person's own. */
export type GuardRule =
  /** A workspace may set false (ask more), never true (`autoApprove.*`). */
  | { readonly kind: 'only-false' }
  /** A workspace may set true (ask more), never false (`taintApproval`). */
  | { readonly kind: 'only-true' }
  /** A workspace may lower the number, never raise it. `zeroMeansNone`: 0 is "no limit", the loosest. */
  | { readonly kind: 'only-lower'; readonly min: number; readonly zeroMeansNone?: boolean }
  /** A workspace's entries are added to the person's (and to the built-ins, which live in code). */
  | { readonly kind: 'only-add' }
  /**
   * Only the person sets it; `package.json` gives these `"scope": "application"` so VS Code
   * agrees (it drops a workspace's value and marks it in that settings.json). Not "machine":
   * in a remote window (and in code-server) VS Code reads machine settings from the remote's
   * settings only, so the person's own user value would be lost.
   */
  | { readonly kind: 'user-only' }
  /** Where requests (and the person's code and questions) go: used only with consent (endpoint-consent.ts). */
  | { readonly kind: 'endpoint' };

/** Every guarded key under `glassbox.`, with its rule. Keys not listed take VS Code's merged value. */
export const GUARDED_KEYS: Readonly<Record<string, GuardRule>> = {
  'autoApprove.write': { kind: 'only-false' },
  'autoApprove.execute': { kind: 'only-false' },
  'autoApprove.network': { kind: 'only-false' },
  'autoApprove.remember': { kind: 'only-false' },
  taintApproval: { kind: 'only-true' },
  protectedPaths: { kind: 'only-add' },
  sensitivePaths: { kind: 'only-add' },
  // A repository must not allow commands for the person; it may deny more.
  'commands.allow': { kind: 'user-only' },
  'commands.deny': { kind: 'only-add' },
  maxCostUsd: { kind: 'only-lower', min: 0, zeroMeansNone: true },
  maxSteps: { kind: 'only-lower', min: 1 },
  runTimeoutMinutes: { kind: 'only-lower', min: 1 },
  toolTimeoutSeconds: { kind: 'only-lower', min: 1 },
  webTools: { kind: 'user-only' },
  webAllowHosts: { kind: 'user-only' },
  webSearchEndpoint: { kind: 'user-only' },
  'memory.embeddingsBaseUrl': { kind: 'user-only' },
  discoveryPorts: { kind: 'user-only' },
  'mcp.servers': { kind: 'user-only' },
  // Read from outside the workspace and sent to the model: a repository must not point it at ~/.ssh.
  'instructions.userFile': { kind: 'user-only' },
  provider: { kind: 'endpoint' },
  baseUrl: { kind: 'endpoint' },
  'azure.endpoint': { kind: 'endpoint' },
  'azure.deployment': { kind: 'endpoint' },
  'azure.apiVersion': { kind: 'endpoint' },
};

/** Keys whose value only the person's own settings give (`"scope": "application"` in package.json). */
export const USER_ONLY_KEYS: readonly string[] = Object.entries(GUARDED_KEYS)
  .filter(([, rule]) => rule.kind === 'user-only')
  .map(([key]) => key);

/** Keys that say where requests go. */
export const ENDPOINT_KEYS: readonly string[] = Object.entries(GUARDED_KEYS)
  .filter(([, rule]) => rule.kind === 'endpoint')
  .map(([key]) => key);
