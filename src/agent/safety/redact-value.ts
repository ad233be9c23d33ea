import { redactSecrets } from './redact';

/**
 * A copy of `value` with every string in it passed through `redactSecrets`, and how many
 * secrets were replaced. Strings are redacted one by one rather than the JSON text as a
 * whole so a replacement can never break the JSON around it.
 */
export function redactValue<T>(value: T): { value: T; count: number } {
  let count = 0;
  const visit = (item: unknown): unknown => {
    if (typeof item === 'string') {
      const redacted = redactSecrets(item);
      count += redacted.count;
      return redacted.text;
    }
    if (Array.isArray(item)) return item.map(visit);
    if (item !== null && typeof item === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(item)) copy[key] = visit(child);
      return copy;
    }
    return item;
  };
  const redacted = visit(value) as T;
  return { value: redacted, count };
}
