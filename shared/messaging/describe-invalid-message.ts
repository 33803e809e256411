import type { z } from "zod";

/** Describes why a message is unusable, naming the field and the value (or that it is not JSON). */
export function describeInvalidMessage(data: Buffer, schema: z.ZodType): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString("utf8"));
  } catch {
    return `message data is not JSON: ${JSON.stringify(data.toString("utf8").slice(0, 80))}`;
  }
  const result = schema.safeParse(parsed);
  if (result.success) return undefined;
  return result.error.issues
    .map((issue) => {
      const field = issue.path.join(".") || "(message)";
      const value = issue.path.reduce<unknown>(
        (node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key],
        parsed,
      );
      return `${field} = ${JSON.stringify(value) ?? "(missing)"}: ${issue.message}`;
    })
    .join("; ");
}
