/** Text and attribute values for HTML: every value from the model goes through this. */
export function escapeHtml(text: unknown): string {
  return String(text ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/**
 * A table labelled by its section's heading, header cells scoped to their columns, and a wrapper
 * that scrolls sideways on a phone (focusable, so a keyboard can scroll it too).
 */
export function table(labelId: string, columns: readonly string[], rows: readonly string[][]): string {
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("");
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("");
  return `<div class="scroll" tabindex="0"><table aria-labelledby="${labelId}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A section of the page: a region named by its heading. */
export function section(id: string, title: string, content: string): string {
  return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(title)}</h2>${content}</section>`;
}
