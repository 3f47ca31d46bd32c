/** Counting words the same way in every message the user reads (UI, CLI, History): "1 face", "3 people". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
