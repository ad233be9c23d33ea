import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { newChatId } from '../ids';
import { formatBytes } from '../format';
import type { AgentEvent } from '../events';
import { silentLogger, type Logger } from '../logger';
import type { ChatMessage } from '../model/model';
import type { KeyValueStore } from './key-value-store';
import { redactValue } from '../safety/redact-value';

export type { KeyValueStore } from './key-value-store';

/** What the chat list shows: kept in the index, so listing never touches the disk. */
export interface ChatSummary {
  readonly id: string;
  readonly title: string;
  /** Epoch milliseconds. */
  readonly created: number;
  readonly updated: number;
  readonly messageCount: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Size of the chat's transcript file. */
  readonly bytes: number;
}

/** One line of a chat's transcript file. */
export type ChatRecord =
  /** Every event of every run, appended as it happens (for the trace and chat views). */
  | { readonly kind: 'event'; readonly event: AgentEvent }
  /** A conversation message, appended as the run adds it (so a resumed chat continues). */
  | { readonly kind: 'message'; readonly message: ChatMessage }
  | { readonly kind: 'title'; readonly title: string }
  /**
   * The conversation was cut back to its first `messageCount` messages (a turn that did not
   * complete was rolled back). Messages are never rewritten in place, so this says so.
   */
  | { readonly kind: 'truncate'; readonly messageCount: number };

export interface LoadedChat {
  readonly summary: ChatSummary;
  readonly messages: ChatMessage[];
  readonly events: AgentEvent[];
  /** Damaged lines skipped, caps reached: things to tell the person, one sentence each. */
  readonly warnings: string[];
}

export interface ChatHistoryOptions {
  /** Folder of the transcript files (created when missing): the extension's storage folder. */
  readonly dir: string;
  /** Where the chat index lives (workspaceState in VS Code). Holds no transcript text. */
  readonly index: KeyValueStore;
  /** Past this, a chat's events are no longer saved (its messages still are). */
  readonly maxChatBytes: number;
  /** Past this, whole chats are deleted, oldest first. */
  readonly maxTotalBytes: number;
  readonly logger?: Logger;
  /** How long index changes wait to be written together (default 1 s). */
  readonly indexDelayMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** Written once when a chat reaches its size cap; reported by `load`. Not a ChatRecord. */
interface CapNotice {
  readonly kind: 'capped';
  readonly time: number;
  readonly maxBytes: number;
}

type StoredLine = ChatRecord | CapNotice;

interface IndexEntry {
  id: string;
  title: string;
  created: number;
  updated: number;
  messageCount: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  bytes: number;
  /** Set once the chat reached maxChatBytes and its events stopped being saved. */
  capped?: boolean;
}

interface StoredIndex {
  readonly version: 1;
  readonly chats: readonly IndexEntry[];
}

const INDEX_KEY = 'glassbox.history.index';
const CHAT_ID = /^[A-Za-z0-9_-]{1,100}$/;
const CHAT_FILE = /^(chat-[A-Za-z0-9_-]+)\.jsonl$/;

/**
 * Chats persisted as one append-only JSONL file each, plus a small index in a KeyValueStore.
 *
 * Why files: a Memento rewrites its whole store on every update, so transcripts kept there
 * make every write slower as history grows (and froze VS Code in other extensions). Here a
 * record costs one append of its own bytes; records of one tick are batched into a single
 * append, in order. A crash loses at most the line being written, and `load` skips a torn
 * line with a warning and keeps the rest.
 */
export class ChatHistory {
  readonly #options: ChatHistoryOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #entries = new Map<string, IndexEntry>();
  /** Serialised lines per chat, waiting for the next batch. */
  readonly #pending = new Map<string, string[]>();
  /** Chats whose file was checked for a torn last line since this process opened it. */
  readonly #tailChecked = new Set<string>();
  /** Every disk operation joins this chain, so appends, deletes and loads never interleave. */
  #diskWork: Promise<void> = Promise.resolve();
  #batchScheduled = false;
  #indexTimer: NodeJS.Timeout | undefined;
  #indexDirty = false;
  #dirReady: Promise<void> | undefined;

  constructor(options: ChatHistoryOptions) {
    if (!(options.maxChatBytes > 0) || !(options.maxTotalBytes > 0)) {
      throw new RangeError('ChatHistory: maxChatBytes and maxTotalBytes must be positive numbers.');
    }
    this.#options = options;
    this.#log = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
    for (const entry of readIndex(options.index.get<unknown>(INDEX_KEY))) this.#entries.set(entry.id, entry);
  }

  /** Newest first, from the index alone. */
  list(): ChatSummary[] {
    return [...this.#entries.values()].sort((a, b) => b.updated - a.updated).map(toSummary);
  }

  get(chatId: string): ChatSummary | undefined {
    const entry = this.#entries.get(chatId);
    return entry && toSummary(entry);
  }

  async create(title: string): Promise<ChatSummary> {
    const now = this.#now();
    const id = newChatId(now);
    const entry: IndexEntry = {
      id,
      title: cleanTitle(title),
      created: now,
      updated: now,
      messageCount: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      bytes: 0,
    };
    this.#entries.set(id, entry);
    // The title goes in the file too, so a transcript still says what it was if the index is lost.
    this.append(id, { kind: 'title', title: entry.title });
    await this.flush();
    return toSummary(entry);
  }

  /**
   * Queues `record` for the chat's file; written with the rest of this tick's records, in
   * order. Secrets are redacted first. Records for a chat that no longer exists (deleted
   * while a run was still going) are dropped.
   */
  append(chatId: string, record: ChatRecord): void {
    assertChatId(chatId);
    const entry = this.#entries.get(chatId);
    if (!entry) {
      this.#log.debug(`history: dropped a ${record.kind} record for chat ${chatId}, which no longer exists`);
      return;
    }
    const { value: redacted, count } = redactValue(record);
    if (count > 0) this.#log.info(`history: redacted ${count} secret(s) from a ${record.kind} record`);
    const line = JSON.stringify(redacted);
    const lineBytes = Buffer.byteLength(line) + 1;

    if (redacted.kind === 'event' && entry.bytes + lineBytes > this.#options.maxChatBytes) {
      // Events are the bulk of a transcript and only feed the views; messages are what a
      // resumed chat needs, so they are kept past the cap.
      if (!entry.capped) {
        entry.capped = true;
        const notice: CapNotice = { kind: 'capped', time: this.#now(), maxBytes: this.#options.maxChatBytes };
        this.#enqueue(entry, JSON.stringify(notice));
        this.#log.warn(`history: chat "${entry.title}" reached ${formatBytes(this.#options.maxChatBytes)}; its later trace events are not saved`);
      }
      return;
    }

    switch (redacted.kind) {
      case 'message':
        entry.messageCount++;
        break;
      case 'truncate':
        entry.messageCount = Math.min(entry.messageCount, redacted.messageCount);
        break;
      case 'title':
        entry.title = cleanTitle(redacted.title);
        break;
      case 'event':
        {
          // A research helper's spend is the chat's too.
          const event = redacted.event.type === 'child-event' || redacted.event.type === 'plan-step-event' ? redacted.event.event : redacted.event;
          if (event.type === 'usage') {
            entry.inputTokens += event.inputTokens;
            entry.outputTokens += event.outputTokens;
            entry.costUsd += event.costUsd;
          }
        }
        break;
    }
    this.#enqueue(entry, line);
  }

  /** Resolves once every record appended so far is on disk and the index is written. */
  async flush(): Promise<void> {
    this.#writeBatch();
    await this.#diskWork;
    await this.#writeIndexNow();
  }

  /**
   * The chat's messages (so it can be resumed) and events (for the views), read line by
   * line so a large transcript is never parsed as one string.
   */
  async load(chatId: string): Promise<LoadedChat> {
    assertChatId(chatId);
    await this.flush();
    const entry = this.#entries.get(chatId);
    if (!entry) throw new Error(`No chat with id "${chatId}" in the history.`);
    const result = await this.#serially(() => readTranscript(this.#pathOf(chatId)));
    if (result.missing) {
      result.warnings.push('The transcript file of this chat is missing; only its summary is left.');
    }
    for (const warning of result.warnings) this.#log.warn(`history: chat ${chatId}: ${warning}`);

    // The index is written lazily, so after a crash it can lag the file: the file wins.
    if (!result.missing && (entry.messageCount !== result.messages.length || entry.bytes !== result.bytes)) {
      entry.messageCount = result.messages.length;
      entry.bytes = result.bytes;
      this.#markIndexDirty();
    }
    return { summary: toSummary(entry), messages: result.messages, events: result.events, warnings: result.warnings };
  }

  async rename(chatId: string, title: string): Promise<void> {
    assertChatId(chatId);
    if (!this.#entries.has(chatId)) throw new Error(`No chat with id "${chatId}" in the history.`);
    this.append(chatId, { kind: 'title', title });
    await this.flush();
  }

  async delete(chatId: string): Promise<void> {
    assertChatId(chatId);
    this.#forget(chatId);
    await this.flush();
  }

  /** Deletes every chat, and any transcript file left behind by a lost index. */
  async clear(): Promise<void> {
    for (const id of [...this.#entries.keys()]) this.#forget(id);
    await this.#serially(async () => {
      const names = await fs.readdir(this.#options.dir).catch(() => [] as string[]);
      for (const name of names) {
        if (CHAT_FILE.test(name)) await fs.rm(join(this.#options.dir, name), { force: true });
      }
    });
    await this.flush();
  }

  /** Total bytes of every transcript, as the index knows it. */
  totalBytes(): number {
    let total = 0;
    for (const entry of this.#entries.values()) total += entry.bytes;
    return total;
  }

  #pathOf(chatId: string): string {
    return join(this.#options.dir, `${chatId}.jsonl`);
  }

  #enqueue(entry: IndexEntry, line: string): void {
    const lines = this.#pending.get(entry.id);
    if (lines) lines.push(line);
    else this.#pending.set(entry.id, [line]);
    entry.bytes += Buffer.byteLength(line) + 1;
    entry.updated = Math.max(entry.updated, this.#now());
    this.#markIndexDirty();
    if (!this.#batchScheduled) {
      this.#batchScheduled = true;
      setImmediate(() => this.#writeBatch());
    }
  }

  /** Takes everything pending and appends it, one append per chat, after earlier disk work. */
  #writeBatch(): void {
    this.#batchScheduled = false;
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending];
    this.#pending.clear();
    void this.#serially(async () => {
      await this.#ensureDir();
      for (const [chatId, lines] of batch) {
        const path = this.#pathOf(chatId);
        try {
          const prefix = this.#tailChecked.has(chatId) ? '' : await newlineIfTorn(path);
          this.#tailChecked.add(chatId);
          // Private to the person: chats quote their files and commands.
          await fs.appendFile(path, `${prefix}${lines.join('\n')}\n`, { encoding: 'utf8', mode: 0o600 });
        } catch (error) {
          this.#log.error(`history: could not append to ${path}: ${String(error)}`);
        }
      }
    });
    this.#enforceTotalCap();
  }

  /** Deletes whole chats, least recently updated first, until the total fits (the newest always stays). */
  #enforceTotalCap(): void {
    let total = this.totalBytes();
    if (total <= this.#options.maxTotalBytes) return;
    const oldestFirst = [...this.#entries.values()].sort((a, b) => a.updated - b.updated);
    for (const entry of oldestFirst.slice(0, -1)) {
      if (total <= this.#options.maxTotalBytes) break;
      total -= entry.bytes;
      this.#log.info(`history: deleting chat "${entry.title}" (${formatBytes(entry.bytes)}): history is over ${formatBytes(this.#options.maxTotalBytes)}`);
      this.#forget(entry.id);
    }
  }

  /** Removes a chat from the index at once and its file after any write already queued. */
  #forget(chatId: string): void {
    this.#entries.delete(chatId);
    this.#pending.delete(chatId);
    this.#tailChecked.delete(chatId);
    this.#markIndexDirty();
    const path = this.#pathOf(chatId);
    void this.#serially(() => fs.rm(path, { force: true }));
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#diskWork.then(work);
    this.#diskWork = run.then(
      () => undefined,
      (error: unknown) => this.#log.error(`history: ${String(error)}`),
    );
    return run;
  }

  #ensureDir(): Promise<void> {
    this.#dirReady ??= fs.mkdir(this.#options.dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.#dirReady;
  }

  #markIndexDirty(): void {
    this.#indexDirty = true;
    if (this.#indexTimer) return;
    this.#indexTimer = setTimeout(() => void this.#writeIndexNow(), this.#options.indexDelayMs ?? 1000);
    // A pending index write must not keep a CLI process alive; `flush` writes it on the way out.
    this.#indexTimer.unref();
  }

  async #writeIndexNow(): Promise<void> {
    if (this.#indexTimer) clearTimeout(this.#indexTimer);
    this.#indexTimer = undefined;
    if (!this.#indexDirty) return;
    this.#indexDirty = false;
    const stored: StoredIndex = { version: 1, chats: [...this.#entries.values()] };
    try {
      await this.#options.index.update(INDEX_KEY, stored);
    } catch (error) {
      this.#indexDirty = true;
      this.#log.error(`history: could not write the chat index: ${String(error)}`);
    }
  }
}

interface TranscriptContents {
  messages: ChatMessage[];
  events: AgentEvent[];
  warnings: string[];
  bytes: number;
  missing: boolean;
}

async function readTranscript(path: string): Promise<TranscriptContents> {
  const contents: TranscriptContents = { messages: [], events: [], warnings: [], bytes: 0, missing: false };
  try {
    contents.bytes = (await fs.stat(path)).size;
  } catch {
    contents.missing = true;
    return contents;
  }
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  let damaged = 0;
  let capNoticed = false;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const record = parseLine(line);
    if (!record) {
      damaged++;
      if (damaged <= 3) contents.warnings.push(`Line ${lineNumber} of the transcript is damaged (cut off by a crash?) and was skipped.`);
      continue;
    }
    switch (record.kind) {
      case 'message':
        contents.messages.push(record.message);
        break;
      case 'event':
        contents.events.push(record.event);
        break;
      case 'truncate':
        contents.messages.length = Math.min(contents.messages.length, record.messageCount);
        break;
      case 'title':
        break;
      case 'capped':
        if (!capNoticed) {
          capNoticed = true;
          contents.warnings.push(`This chat reached its ${formatBytes(record.maxBytes)} size limit: trace events after that were not saved (messages were).`);
        }
        break;
    }
  }
  if (damaged > 3) contents.warnings.push(`${damaged} damaged lines were skipped in all.`);
  return contents;
}

/** A record, or undefined for a line that is not one (torn by a crash, edited by hand). */
function parseLine(line: string): StoredLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  switch (record.kind) {
    case 'event':
      return isObjectWith(record.event, 'type') ? (value as StoredLine) : undefined;
    case 'message':
      return isObjectWith(record.message, 'role') ? (value as StoredLine) : undefined;
    case 'title':
      return typeof record.title === 'string' ? (value as StoredLine) : undefined;
    case 'truncate':
      return typeof record.messageCount === 'number' ? (value as StoredLine) : undefined;
    case 'capped':
      return typeof record.maxBytes === 'number' ? (value as StoredLine) : undefined;
    default:
      return undefined;
  }
}

function isObjectWith(value: unknown, key: string): boolean {
  return value !== null && typeof value === 'object' && typeof (value as Record<string, unknown>)[key] === 'string';
}

/**
 * A newline when the file's last byte is not one: a crash cut its last line, and the next
 * record must start on a line of its own instead of being glued onto the torn one.
 */
async function newlineIfTorn(path: string): Promise<string> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return '';
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a ? '' : '\n';
  } finally {
    await handle.close();
  }
}

function readIndex(stored: unknown): IndexEntry[] {
  if (stored === null || typeof stored !== 'object') return [];
  const chats = (stored as { chats?: unknown }).chats;
  if (!Array.isArray(chats)) return [];
  return chats.filter((chat): chat is IndexEntry => {
    if (chat === null || typeof chat !== 'object') return false;
    const entry = chat as Record<string, unknown>;
    return (
      typeof entry.id === 'string' &&
      CHAT_ID.test(entry.id) &&
      typeof entry.title === 'string' &&
      ['created', 'updated', 'messageCount', 'inputTokens', 'outputTokens', 'costUsd', 'bytes'].every(
        (key) => typeof entry[key] === 'number',
      )
    );
  });
}

function toSummary(entry: IndexEntry): ChatSummary {
  const { id, title, created, updated, messageCount, inputTokens, outputTokens, costUsd, bytes } = entry;
  return { id, title, created, updated, messageCount, inputTokens, outputTokens, costUsd, bytes };
}

function assertChatId(chatId: string): void {
  // Ids become file names: anything else could name a file outside the history folder.
  if (!CHAT_ID.test(chatId)) throw new Error(`Invalid chat id "${chatId}".`);
}

/** One line, at most 200 characters: titles live in the index, which must stay small. */
function cleanTitle(title: string): string {
  const line = title.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line || 'Untitled chat';
}
