/**
 * Words as the memory ranks and deduplicates them: lower case, split on anything that is
 * not a letter or digit (camelCase and snake_case split too, so `useState` matches "state"),
 * common English words dropped, and a light plural/verb stem so "tests" matches "test".
 */

// Words too common to say what a fact is about. Kept short on purpose: a word like "use" or
// "not" can matter in a fact ("use pnpm, not npm") and stays.
const STOPWORDS = new Set(
  ('a an and are as at be been but by can could do does did for from had has have he her his how i if in into is it its '
    + 'me my of on or our she so than that the their them then there these they this those to us was we were what when '
    + 'where which while who why will with would you your please should just also about').split(' '),
);

const WORD = /[\p{L}\p{N}]+/gu;

export function termsOf(text: string): string[] {
  const terms: string[] = [];
  // Split camelCase before lower-casing: "parseToolCall" → "parse Tool Call".
  const spaced = text.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2');
  for (const match of spaced.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (word.length < 2 && !/\d/.test(word)) continue;
    if (STOPWORDS.has(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}

/** Drops the commonest English endings; deliberately crude, so it never merges unrelated words. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 5) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 6) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** Case, spacing and trailing punctuation do not make a fact different. */
export function normalizeFactText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim().replace(/[.!;,\s]+$/u, '');
}
