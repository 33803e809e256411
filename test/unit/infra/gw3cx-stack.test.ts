import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { Gw3cxStack } from "../../../infra/gw3cx-stack.js";

function synthesize(): {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  variable: Record<string, unknown>;
  provider: Record<string, unknown[]>;
} {
  const app = Testing.app();
  const stack = new Gw3cxStack(app, "gw3cx", { region: "europe-west1" });
  return JSON.parse(Testing.synth(stack));
}

describe("infra: Gw3cxStack", () => {
  it("configures the Google provider from the project variable and the region setting", () => {
    const tf = synthesize();
    expect(tf.variable.project_id).toMatchObject({ type: "string" });
    expect(tf.provider.google?.[0]).toMatchObject({ project: "${var.project_id}", region: "europe-west1" });
  });

  it("creates one private archive bucket: uniform access, public access prevented", () => {
    const buckets = Object.values(synthesize().resource.google_storage_bucket ?? {});
    expect(buckets).toHaveLength(1);
    expect(buckets[0]).toMatchObject({
      name: "${var.project_id}-gw3cx-archive",
      location: "EUROPE-WEST1",
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
    });
  });

  it("creates the directory-changes topic", () => {
    const topics = Object.values(synthesize().resource.google_pubsub_topic ?? {});
    expect(topics.map((t) => t.name)).toEqual(["gw3cx-directory-changes"]);
  });
});
