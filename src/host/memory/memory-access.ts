import { join } from 'node:path';
import * as vscode from 'vscode';
import { messageOf } from '../../agent/format';
import type { RecalledFact } from '../../agent/events';
import type { Logger } from '../../agent/logger';
import { FactStore } from '../../agent/memory/fact-store';
import { OpenAIEmbedder } from '../../agent/memory/openai-embedder';
import { FileVectorCache, InMemoryVectorCache, type VectorCache } from '../../agent/memory/vector-cache';
import type { ApiKeyStore } from '../providers/api-key';
import { Disposable, toDisposable } from '../common/disposable';
import type { Settings } from '../settings/settings';
import { OPENAI_BASE_URL, type GlassboxSettings } from '../settings/settings-values';
import { originOf } from '../providers/provider-connection';
import { effectiveProvider } from '../settings/settings-endpoint';

/**
 * Long-term memory, opened on first use (a run, the Memory view), never at activation: the
 * store builds its index from workspaceState and reads the vectors file. Reopened when the
 * memory settings change, after the old store has saved.
 */
export class MemoryAccess extends Disposable {
  #store: Promise<FactStore> | undefined;
  #signature: string | undefined;
  readonly #onDidReopen = this.register(new vscode.EventEmitter<void>());
  /** The memory settings changed and the store was reopened: holders of the old one must let go. */
  readonly onDidReopen = this.#onDidReopen.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly settings: Settings,
    private readonly apiKeys: ApiKeyStore,
    private readonly logger: Logger,
  ) {
    super();
    this.register(
      settings.onDidChange((current) => {
        if (this.#store && signatureOf(current) !== this.#signature) void this.#reopen();
      }),
    );
    this.register(toDisposable(() => void this.#store?.then((store) => store.flush()).catch(() => undefined)));
  }

  get(): Promise<FactStore> {
    if (!this.#store) {
      const current = this.settings.current;
      this.#signature = signatureOf(current);
      this.#store = this.#open(current);
      // A failed open is retried next time rather than remembered.
      this.#store.catch(() => (this.#store = undefined));
    }
    return this.#store;
  }

  /** RunOptions.recall for a run with these settings; undefined when recall is off. */
  recallFor(settings: GlassboxSettings): ((task: string, signal: AbortSignal) => Promise<readonly RecalledFact[]>) | undefined {
    if (settings.memory.recallCount === 0) return undefined;
    return async (task, signal) => (await this.get()).recallForTask(task, signal);
  }

  async #reopen(): Promise<void> {
    const old = this.#store;
    this.#store = undefined;
    await old?.then((store) => store.flush()).catch(() => undefined);
    this.#onDidReopen.fire();
  }

  async #open(settings: GlassboxSettings): Promise<FactStore> {
    const { memory } = settings;
    let embedder: OpenAIEmbedder | undefined;
    let vectors: VectorCache | undefined;
    if (memory.embeddingsModel) {
      // Only a key entered for the embeddings endpoint's own origin goes there (issue 19).
      const key = await this.apiKeys.get(effectiveProvider(settings), originOf(memory.embeddingsBaseUrl ?? OPENAI_BASE_URL));
      embedder = new OpenAIEmbedder({ baseURL: memory.embeddingsBaseUrl, apiKey: key ?? 'no-key-needed', model: memory.embeddingsModel });
      vectors = await this.#openVectors();
    }
    return new FactStore({
      workspace: this.context.workspaceState,
      global: this.context.globalState,
      maxFacts: memory.maxFacts,
      embedder,
      vectors,
      recallCount: memory.recallCount,
      recallThreshold: memory.recallThreshold,
      logger: this.logger,
    });
  }

  async #openVectors(): Promise<VectorCache> {
    const folder = (this.context.storageUri ?? this.context.globalStorageUri).fsPath;
    try {
      await vscode.workspace.fs.createDirectory(vscode.Uri.file(folder));
      return await FileVectorCache.open(join(folder, 'memory-vectors.jsonl'), this.logger);
    } catch (error) {
      this.logger.warn(`Memory vectors are kept in memory only: could not open the vectors file (${messageOf(error)}).`);
      return new InMemoryVectorCache();
    }
  }
}

function signatureOf(settings: GlassboxSettings): string {
  return JSON.stringify(settings.memory);
}
