/** A row id written as text: a positive integer that fits MySQL's INT, or null when the text cannot be one. */
export function intId(text: string | undefined): number | null {
  if (text === undefined || !/^[0-9]{1,10}$/.test(text)) return null;
  const id = Number(text);
  return id >= 1 && id <= 2147483647 ? id : null;
}
