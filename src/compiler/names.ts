/**
 * Segment's warehouse connector names tables and columns by the snake_case of event and
 * property names: "Order Completed" -> order_completed, "totalAmount" -> total_amount.
 */
export function segmentSlug(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** A short readable name for a CTE, from free text. */
export function cteName(prefix: string, text: string): string {
  const slug = segmentSlug(text).slice(0, 40);
  return slug ? `${prefix}_${slug}` : prefix;
}

export function indent(sql: string, spaces = 2): string {
  const pad = ' '.repeat(spaces);
  return sql.split('\n').map((line) => (line ? pad + line : line)).join('\n');
}
