/** A plain JSON-style object (not null, not an array), as parsed bodies and tool results are checked. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
