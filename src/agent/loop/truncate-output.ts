import { countTextTokens } from '../model/token-estimate';

export interface Truncated {
  readonly text: string;
  /** Characters cut from the middle; 0 when the text fit. */
  readonly cutChars: number;
}

/**
 * Fits a tool's output into `maxTokens`, keeping the head and the tail (where errors and
 * summaries usually are) and saying in the middle how much was cut and how to get it.
 */
export function truncateToTokens(text: string, maxTokens: number, howToSeeMore: string): Truncated {
  // Cheap exits first: a token is at least one character, and most outputs are small.
  if (text.length <= maxTokens) return { text, cutChars: 0 };
  const tokens = countTokensBounded(text);
  if (tokens <= maxTokens) return { text, cutChars: 0 };

  const charsPerToken = text.length / tokens;
  // Leave room for the marker itself.
  const keepChars = Math.max(0, Math.floor((maxTokens - 60) * charsPerToken));
  const headChars = Math.ceil(keepChars * 0.6);
  const tailChars = keepChars - headChars;
  const head = text.slice(0, headChars);
  const tail = tailChars > 0 ? text.slice(text.length - tailChars) : '';
  const cutChars = text.length - head.length - tail.length;
  const cutLines = countLines(text.slice(head.length, text.length - tail.length));
  const marker =
    `\n[… ${cutChars} characters (${cutLines} lines, about ${Math.round(cutChars / charsPerToken)} tokens) ` +
    `cut from the middle to fit the ${maxTokens}-token result budget. ${howToSeeMore}]\n`;
  return { text: head + marker + tail, cutChars };
}

/**
 * Exact count for ordinary outputs; for very large ones (megabytes of log) tokenizing all of it
 * would cost more than the step, so a sample's ratio is scaled up.
 */
function countTokensBounded(text: string): number {
  const SAMPLE = 200_000;
  if (text.length <= SAMPLE) return countTextTokens(text);
  const half = SAMPLE / 2;
  const sampleTokens = countTextTokens(text.slice(0, half)) + countTextTokens(text.slice(-half));
  return Math.ceil((sampleTokens / SAMPLE) * text.length);
}

function countLines(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
