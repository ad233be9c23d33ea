/**
 * Ids Glassbox makes up for tool calls the endpoint sent without one (Gemini, old Ollama) or
 * that were written as text. Nine letters and digits: Mistral refuses any other shape
 * ("Tool call id has to be a string of length 9 consisting of a-z, A-Z, 0-9"), and every other
 * endpoint takes it.
 */
import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function newCallId(): string {
  let id = '';
  for (let i = 0; i < 9; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
