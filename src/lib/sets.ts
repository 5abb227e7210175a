/** Whether two lists hold the same members, whatever their order or repetitions. */
export function sameMembers<T>(a: readonly T[], b: readonly T[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((member) => right.has(member));
}
