import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { CONTACTS_WORKER_NODE_OPTIONS, FUNCTIONS, Gw3cxStack } from "../../../infra/gw3cx-stack.js";

type Fn = { name: string; service_config: { environment_variables: Record<string, string> } };

describe("infra: the contacts worker's memory limits", () => {
  it("deploys the contacts worker, and only it, with the V8 limits the bench measured it under", () => {
    const stack = new Gw3cxStack(Testing.app(), "gw3cx", {
      region: "europe-west1",
      syncTime: "02:30:00",
      timeZone: "Europe/Berlin",
      functionSourceDir: join(tmpdir(), "gw3cx-no-such-build", "functions"),
      settingsEnv: { GW3CX_3CX_URL: "https://pbx.example.com" },
    });
    const tf = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Fn>> };
    const functions = Object.values(tf.resource.google_cloudfunctions2_function ?? {});
    const withOptions = functions.filter(
      (f) => f.service_config.environment_variables.NODE_OPTIONS !== undefined,
    );
    expect(withOptions.map((f) => f.name)).toEqual([FUNCTIONS.contactsWorker.name]);
    expect(withOptions[0]?.service_config.environment_variables.NODE_OPTIONS).toBe(
      CONTACTS_WORKER_NODE_OPTIONS,
    );
    expect(CONTACTS_WORKER_NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
  });
});
