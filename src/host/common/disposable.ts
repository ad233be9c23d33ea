import type * as vscode from 'vscode';

/**
 * Owns listeners and resources for as long as its owner lives: `register()` ties an item to
 * this object's lifetime, and disposing this object disposes them in reverse order of setup.
 * Registering on an owner that is already gone disposes the item at once, so a late callback
 * (a view resolved after deactivate) cannot leak.
 */
export abstract class Disposable implements vscode.Disposable {
  #owned: vscode.Disposable[] = [];
  #disposed = false;

  protected get isDisposed(): boolean {
    return this.#disposed;
  }

  protected register<T extends vscode.Disposable>(item: T): T {
    if (this.#disposed) safeDispose(item);
    else this.#owned.push(item);
    return item;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    disposeAll(this.#owned);
  }
}

/**
 * Empties `items` and disposes them in reverse order of setup, each safely: for owners that
 * keep a second, shorter-lived set (a view's listeners, dropped when the view goes).
 */
export function disposeAll(items: vscode.Disposable[]): void {
  for (const item of items.splice(0).reverse()) safeDispose(item);
}

/** Disposing must never stop the rest of a teardown: one failing item is skipped. */
export function safeDispose(item: vscode.Disposable): void {
  try {
    item.dispose();
  } catch {
    // Nothing useful to do here: the item is being thrown away, and the others must still go.
  }
}

/** A plain disposable from a function, for cleanups that are not objects. */
export function toDisposable(dispose: () => void): vscode.Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      dispose();
    },
  };
}
