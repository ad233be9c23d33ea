/**
 * Joins streamed tool-call fragments into whole calls, the way real servers send them, not
 * only the way OpenAI does:
 * - OpenAI: id, type and name on the first fragment of an index, then argument pieces.
 * - Ollama: each call whole in one fragment; older versions omit `index`; two parallel calls
 *   may both come at `index: 0` with different ids (they are two calls, not one).
 * - llama.cpp: some builds repeat the whole name on every fragment and put the id in
 *   `function.id`; some send `arguments` as a JSON object instead of a string.
 * - LM Studio: `name: ""` and `type` repeated on each fragment. vLLM: the first fragment has no
 *   `arguments` key. LiteLLM: id and type on every fragment, indexes starting at 1.
 * - Gemini: neither id nor index; Gemini 3 adds an opaque `extra_content` (its thought
 *   signature) that must go back with the call.
 */
import { newCallId } from './call-id';

export interface AccumulatedCall {
  readonly id: string;
  readonly name: string;
  readonly args: string;
  /** Fields of the call we do not understand but must send back (Gemini's `extra_content`). */
  readonly providerFields?: Readonly<Record<string, unknown>>;
}

interface Slot {
  id: string;
  name: string;
  args: string;
  /** Arguments came as an object: they are whole, later fragments replace them. */
  argsWhole: boolean;
  providerFields?: Record<string, unknown>;
}

/** Keys of a wire tool call that are ours to read; anything else is kept and sent back. */
const KNOWN_CALL_KEYS = new Set(['index', 'id', 'type', 'function']);

export class ToolCallAccumulator {
  readonly #slots: Slot[] = [];
  /** The slot a wire index currently points at (a fresh id at the same index opens a new one). */
  readonly #byIndex = new Map<number, Slot>();

  add(fragment: unknown): void {
    if (!fragment || typeof fragment !== 'object') return;
    const wire = fragment as Record<string, unknown>;
    const fn = (wire.function && typeof wire.function === 'object' ? wire.function : {}) as Record<string, unknown>;
    const id = nonEmpty(wire.id) ?? nonEmpty(fn.id);
    const name = nonEmpty(fn.name);
    const slot = this.#slotFor(typeof wire.index === 'number' ? wire.index : undefined, id, name);
    if (id && !slot.id) slot.id = id;
    // A name repeated whole on every fragment is the same name, not a longer one.
    if (name && slot.name !== name) slot.name = slot.name === '' ? name : slot.name + name;
    const args = fn.arguments;
    if (typeof args === 'string') {
      if (slot.argsWhole) slot.args = args;
      else slot.args += args;
    } else if (args && typeof args === 'object') {
      slot.args = JSON.stringify(args);
      slot.argsWhole = true;
    }
    for (const [key, value] of Object.entries(wire)) {
      if (!KNOWN_CALL_KEYS.has(key) && value !== null && value !== undefined) {
        slot.providerFields = { ...slot.providerFields, [key]: value };
      }
    }
  }

  #slotFor(index: number | undefined, id: string | undefined, name: string | undefined): Slot {
    const open = (): Slot => {
      const slot: Slot = { id: '', name: '', args: '', argsWhole: false };
      this.#slots.push(slot);
      if (index !== undefined) this.#byIndex.set(index, slot);
      return slot;
    };
    const current = index !== undefined ? this.#byIndex.get(index) : this.#slots.at(-1);
    if (!current) return open();
    // A different id where a call already stands is another call (Ollama's parallel calls at 0).
    if (id && current.id && id !== current.id) return open();
    // Without index or id (Gemini, old Ollama), a fragment naming a tool after a call that is
    // already whole starts the next call.
    if (index === undefined && !id && name && current.name && (current.argsWhole || isWholeJson(current.args))) return open();
    return current;
  }

  get size(): number {
    return this.#slots.length;
  }

  complete(): AccumulatedCall[] {
    return this.#slots
      .filter((slot) => slot.name !== '' || slot.args !== '')
      .map((slot) => ({
        // Some servers send no id; the loop still needs one to pair the result with.
        id: slot.id || newCallId(),
        name: slot.name,
        args: slot.args.trim() === '' ? '{}' : slot.args,
        ...(slot.providerFields ? { providerFields: slot.providerFields } : {}),
      }));
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isWholeJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
