import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

/**
 * BPE token counting (cl100k_base). Bundled on its own (dist/tokenizer.js) and loaded on the
 * first estimate, because its rank table is over a megabyte and activation must stay light.
 */
const encoder = new Tiktoken(cl100k);

export function countTokens(text: string): number {
  // Special-token text in files must count as plain text, not throw.
  return encoder.encode(text, [], []).length;
}
