// The rows of a raw `db.execute(sql...)`: postgres.js returns an array, PGlite returns { rows }.
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
