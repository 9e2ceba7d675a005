/**
 * The conjunction of MongoDB conditions: one flat object when no field repeats ({ orgPath, kind }),
 * so the database can serve the page and count it from an index prefix; $and only when fields
 * or operators clash. Empty conditions are dropped; none gives {} (everything).
 */
export function allOf(conditions: Record<string, unknown>[]): Record<string, unknown> {
  const parts = conditions.filter((c) => Object.keys(c).length);
  const keys = parts.flatMap((c) => Object.keys(c));
  if (new Set(keys).size === keys.length) return Object.assign({}, ...parts) as Record<string, unknown>;
  return { $and: parts };
}
