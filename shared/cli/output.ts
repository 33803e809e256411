/** Where commands write: stdout for results, stderr for errors and hints. Swappable in one place. */
export const output = {
  out(text: string): void {
    process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  },
  err(text: string): void {
    if (text) process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  },
  json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  },
};
