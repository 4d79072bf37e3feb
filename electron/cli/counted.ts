/** A count with its noun in the right number: "1 conversation", "2 conversations", "0 changes". */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
