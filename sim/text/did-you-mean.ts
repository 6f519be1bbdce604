// "Did you mean …?" for every error message that names a near miss: an unknown scenario
// key, step, core, return code, platform override path or CLI command. One measure of
// closeness (edit distance between normalised spellings) serves both uses: the single
// closest word when it is close enough to be what the user meant (`didYouMean`), and the
// few closest words in order, for a list of suggestions (`closestWords`).

/** camelCase, snake_case and case differences do not count as differences. */
function normalise(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** Levenshtein distance: insertions, deletions and substitutions, one each. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The `count` candidates closest to `word`, closest first (ties keep the candidates' order). */
export function closestWords(word: string, candidates: readonly string[], count: number): string[] {
  const target = normalise(word);
  return candidates
    .map((candidate, order) => ({ candidate, order, distance: editDistance(target, normalise(candidate)) }))
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, count)
    .map((c) => c.candidate);
}

/**
 * The candidate `word` was most likely meant to be, or undefined when none is close: the
 * same words in another spelling, the one candidate that contains it (or that it contains:
 * "payload-size" for "buffer-payload-size"), or one within a small edit distance (1 for
 * words of up to 3 letters, 2 up to 8, 3 beyond).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const target = normalise(word);
  const containing = candidates.filter((c) => {
    const n = normalise(c);
    return (target.length >= 4 && n.includes(target)) || (n.length >= 4 && target.includes(n));
  });
  if (containing.length === 1) return containing[0];
  const [best] = closestWords(word, candidates, 1);
  if (best === undefined) return undefined;
  const allowed = target.length <= 3 ? 1 : target.length <= 8 ? 2 : 3;
  return editDistance(target, normalise(best)) <= allowed ? best : undefined;
}
