import Table from "cli-table3";

/** A plain table: no colours, so output stays readable when piped or captured. */
export function renderTable(head: string[], rows: (string | number)[][]): string {
  const table = new Table({ head, style: { head: [], border: [] }, wordWrap: true });
  table.push(...rows);
  return table.toString();
}

/** A titled section: the title with its count, then the table or "none". */
export function renderSection(title: string, head: string[], rows: (string | number)[][]): string {
  if (rows.length === 0) return `${title}: none`;
  return `${title} (${rows.length}):\n${renderTable(head, rows)}`;
}
