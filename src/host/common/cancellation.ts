import type * as vscode from 'vscode';

/**
 * The core speaks AbortSignal; VS Code hands out CancellationTokens (progress notifications,
 * providers). This bridges one to the other; call `dispose` when the work is done so the
 * token's listener does not outlive it.
 */
export function abortSignalFrom(token: vscode.CancellationToken): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

/** A promise that settles as soon as `signal` aborts, for racing against work that ignores it. */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
