import { z } from "zod";

/** What gw3cx reads of a Cloud Storage notification's data (the object resource, JSON_API_V1). */
export const objectResourceSchema = z.looseObject({
  name: z.string().min(1, { error: "expected the object's name" }).max(1024),
  bucket: z.string().min(1, { error: "expected the bucket's name" }),
  generation: z.string().regex(/^[0-9]+$/, { error: "expected a generation number" }),
});

/** The attributes Cloud Storage sets on each notification. */
export const notificationAttributesSchema = z.looseObject({
  eventType: z.enum(["OBJECT_FINALIZE", "OBJECT_METADATA_UPDATE", "OBJECT_DELETE", "OBJECT_ARCHIVE"], {
    error: "expected a Cloud Storage event type",
  }),
  bucketId: z.string().min(1),
  objectId: z.string().min(1),
  payloadFormat: z.literal("JSON_API_V1", {
    error: "expected payloadFormat JSON_API_V1 (the object resource)",
  }),
});

/** Names each bad attribute and its value, as describeInvalidMessage does for the data. */
export function describeInvalidAttributes(attributes: Readonly<Record<string, string>>): string | undefined {
  const result = notificationAttributesSchema.safeParse(attributes);
  if (result.success) return undefined;
  return result.error.issues
    .map((issue) => {
      const field = `attributes.${issue.path.join(".")}`;
      const value = attributes[String(issue.path[0])];
      return `${field} = ${JSON.stringify(value) ?? "(missing)"}: ${issue.message}`;
    })
    .join("; ");
}
