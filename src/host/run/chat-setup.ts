import { localServerKind, modelCount, type LocalServer } from '../../agent/model/local-discovery';
import type { ModelInfo } from '../../agent/model/model-catalog';
import type { ChatSetup } from '../../shared/protocol';

/** One click in the chat's set-up: a server running here and the model to use on it. */
export interface LocalOffer {
  readonly id: string;
  /** "Use Ollama at 127.0.0.1:11434 — qwen2.5-coder:7b" */
  readonly label: string;
  readonly detail: string;
  readonly server: LocalServer;
  readonly model?: ModelInfo;
}

/** A probe older than this is repeated when the set-up is shown again ("running at that moment"). */
const FRESH_MS = 5_000;

/**
 * What the chat offers before any model is ready: the model servers answering on the loopback
 * ports right now, each with its first model, so a newcomer with Ollama running gets an answer
 * without typing a URL or seeing an OpenAI key prompt. The probe runs in the background (a
 * stalled port must not hold the chat's state back); `changed` is called when it is
 * done. Offers are looked up by id: the webview names one, never a URL.
 */
export class ChatSetupOffers {
  #offers: LocalOffer[] = [];
  #probedAt = -Infinity;
  #probing: Promise<void> | undefined;
  /** A question was asked before a model was ready (cleared once one is). */
  asked = false;

  constructor(
    private readonly discover: () => Promise<readonly LocalServer[]>,
    private readonly changed: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The set-up as the chat shows it; starts a probe when the last one is stale. */
  state(): ChatSetup {
    if (!this.#probing && this.now() - this.#probedAt > FRESH_MS) this.#probing = this.#probe();
    return { offers: this.#offers.map(({ id, label, detail }) => ({ id, label, detail })), probing: this.#probing !== undefined, asked: this.asked };
  }

  /** Waits for a probe in progress (tests, and an ask that wants the offers before answering). */
  async settled(): Promise<void> {
    await this.#probing;
  }

  find(id: string): LocalOffer | undefined {
    return this.#offers.find((offer) => offer.id === id);
  }

  async #probe(): Promise<void> {
    let servers: readonly LocalServer[] = [];
    try {
      servers = await this.discover();
    } catch {
      servers = [];
    }
    this.#offers = servers.map(offerFor);
    this.#probedAt = this.now();
    this.#probing = undefined;
    // The state sent next is fresh (no new probe), so this does not loop.
    this.changed();
  }
}

export function offerFor(server: LocalServer): LocalOffer {
  const model = server.models[0];
  const where = server.baseURL.replace(/^http:\/\//, '').replace(/\/v1$/, '');
  return {
    id: `${server.baseURL}#${model?.id ?? ''}`,
    label: `Use ${server.provider === 'custom' ? 'the OpenAI-compatible server' : localServerKind(server)} at ${where}${model ? ` — ${model.id}` : ''}`,
    detail: `${modelCount(server)} running on this machine; no key needed${server.models.length > 1 ? '. Select Provider lists the others' : ''}.`,
    server,
    model,
  };
}
