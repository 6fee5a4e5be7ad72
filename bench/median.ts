/** The middle value (the upper of the two middle ones for an even count), for a benchmark's repeated rounds. */
export function median(values: readonly number[]): number {
  return medianBy(values, (value) => value);
}

/** The item whose `value` is the median of all items' (see {@link median}). */
export function medianBy<T>(items: readonly T[], value: (item: T) => number): T {
  if (items.length === 0) throw new Error('median of nothing');
  return [...items].sort((a, b) => value(a) - value(b))[Math.floor(items.length / 2)]!;
}
