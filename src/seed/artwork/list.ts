/** Indexes wrap around, so motifs can cycle through short colour lists by position. */
export function at<T>(items: readonly T[], index: number): T {
  const item = items[((index % items.length) + items.length) % items.length];
  if (item === undefined) throw new Error('Cannot pick from an empty list');
  return item;
}
