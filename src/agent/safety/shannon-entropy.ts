/** Shannon entropy in bits per character, over code points, as gitleaks computes it. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<number, number>();
  let total = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    counts.set(code, (counts.get(code) ?? 0) + 1);
    total++;
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / total;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
