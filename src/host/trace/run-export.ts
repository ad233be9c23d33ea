import type { AgentEvent } from '../../agent/events';
import { redactValue } from '../../agent/safety/redact-value';

/**
 * A run as JSON Lines: one event per line, in stream order, every string passed through the
 * secret redaction (string by string, so the JSON stays valid). Pure, unit-tested.
 */
export function runAsJsonl(events: readonly AgentEvent[]): string {
  return events.map((event) => JSON.stringify(redactValue(event).value)).join('\n') + (events.length > 0 ? '\n' : '');
}
