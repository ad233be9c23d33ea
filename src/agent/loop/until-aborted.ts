import { CancelledError } from '../errors';

/**
 * Settles with `work`, or rejects with CancelledError as soon as `signal` aborts, whichever
 * comes first: Stop must not wait for a dialog, a preview or a recall that ignores its signal.
 */
export async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    throw new CancelledError();
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // The loser of the race must not surface as an unhandled rejection.
    aborted.catch(() => undefined);
    work.catch(() => undefined);
  }
}
