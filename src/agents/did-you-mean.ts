/** "did you mean" for a misspelt name: the closest candidate, when it is close enough to be a typo. */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate nearest to `word` (ignoring case), if at most a third of the word's letters (at
 * least one, at most three) differ: `dispalyName` finds `displayName`, `colour` finds nothing.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const allowed = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: { candidate: string; cost: number } | undefined;
  for (const candidate of candidates) {
    const cost = distance(word.toLowerCase(), candidate.toLowerCase());
    if (cost <= allowed && (best === undefined || cost < best.cost)) best = { candidate, cost };
  }
  return best?.candidate;
}
