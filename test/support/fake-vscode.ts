/**
 * A small stand-in for the `vscode` module, for unit tests of host code whose logic does not
 * need a real editor (run bookkeeping, context keys). Importing this file first makes
 * `require('vscode')` return `fakeVscode`; it records what the code asked VS Code to do
 * (`setContext` calls, messages shown) so tests can assert on it. Only what those tests reach
 * is here: anything else is undefined and fails loudly when used.
 */
import Module from 'node:module';
import { join } from 'node:path';

type Listener<T> = (value: T) => unknown;

class EventEmitter<T> {
  #listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>) => {
    this.#listeners.push(listener);
    return { dispose: () => (this.#listeners = this.#listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    for (const listener of [...this.#listeners]) listener(value);
  }
  dispose(): void {
    this.#listeners = [];
  }
}

const noEvent = () => ({ dispose: () => undefined });

export const recorded = {
  /** Every `setContext` call, in order: [key, value]. */
  contexts: [] as [string, unknown][],
  messages: [] as string[],
  /** Every error message shown, with its buttons. */
  errors: [] as { message: string; items: string[] }[],
  /** Every command executed other than `setContext`: [id, args]. */
  commands: [] as [string, unknown[]][],
  /** Commands registered and not yet disposed, by id. */
  registeredCommands: new Map<string, (...args: unknown[]) => unknown>(),
  /** The button the person clicks on the next error message (undefined: they close it). */
  nextErrorChoice: undefined as string | undefined,
  /** Every warning shown (modal or not), with its detail and buttons. */
  warnings: [] as { message: string; modal: boolean; detail?: string; items: string[] }[],
  /** The button the person clicks on the next warning (undefined: they close it). */
  nextWarningChoice: undefined as string | undefined,
};

/** The last value set for a context key, or undefined when never set. */
export function lastContext(key: string): unknown {
  return recorded.contexts.findLast(([name]) => name === key)?.[1];
}

export const fakeVscode = {
  EventEmitter,
  Uri: { joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: join(base.fsPath, ...parts) }) },
  workspace: {
    isTrusted: true,
    workspaceFolders: [],
    onDidGrantWorkspaceTrust: noEvent,
  },
  commands: {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      recorded.registeredCommands.set(id, handler);
      return { dispose: () => recorded.registeredCommands.delete(id) };
    },
    executeCommand: async (command: string, ...args: unknown[]) => {
      if (command === 'setContext') recorded.contexts.push([args[0] as string, args[1]]);
      else recorded.commands.push([command, args]);
      return undefined;
    },
  },
  window: {
    showInformationMessage: async (message: string) => {
      recorded.messages.push(message);
      return undefined;
    },
    showWarningMessage: async (message: string, ...rest: unknown[]) => {
      recorded.messages.push(message);
      const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest.shift() as { modal?: boolean; detail?: string }) : {};
      const items = rest.filter((item): item is string => typeof item === 'string');
      recorded.warnings.push({ message, modal: options.modal === true, detail: options.detail, items });
      const choice = recorded.nextWarningChoice;
      recorded.nextWarningChoice = undefined;
      return choice !== undefined && items.includes(choice) ? choice : undefined;
    },
    showErrorMessage: async (message: string, ...items: string[]) => {
      recorded.errors.push({ message, items });
      const choice = recorded.nextErrorChoice;
      recorded.nextErrorChoice = undefined;
      return choice !== undefined && items.includes(choice) ? choice : undefined;
    },
  },
};

// Resolve the bare name `vscode` to a cached module holding the fake.
const FAKE_ID = '\0glassbox-fake-vscode';
interface ModuleInternals {
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
  _cache: Record<string, unknown>;
}
const internals = Module as unknown as ModuleInternals;
const resolve = internals._resolveFilename;
internals._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? FAKE_ID : resolve.call(this, request, ...rest);
};
const fake = new Module(FAKE_ID);
fake.filename = FAKE_ID;
fake.loaded = true;
fake.exports = fakeVscode;
internals._cache[FAKE_ID] = fake;
