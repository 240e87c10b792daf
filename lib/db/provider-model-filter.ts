/**
 * The optional provider and model filters that usage reports and re-pricing share, as a SQL
 * fragment (` AND provider = ? AND model = ?`, either part omitted) with its bound values.
 */
export function providerModelFilter(options: { provider?: string | null; model?: string | null }): {
  sql: string;
  values: string[];
} {
  const clauses: string[] = [];
  const values: string[] = [];
  if (options.provider) {
    clauses.push(" AND provider = ?");
    values.push(options.provider);
  }
  if (options.model) {
    clauses.push(" AND model = ?");
    values.push(options.model);
  }
  return { sql: clauses.join(""), values };
}
