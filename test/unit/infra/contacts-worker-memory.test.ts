import { describe, expect, it } from "vitest";
import { CONTACTS_WORKER_NODE_OPTIONS, FUNCTIONS } from "../../../infra/gw3cx-stack.js";
import { synthTestStack } from "../../support/synth-test-stack.js";

type Fn = { name: string; service_config: { environment_variables: Record<string, string> } };

describe("infra: the contacts worker's memory limits", () => {
  it("deploys the contacts worker, and only it, with the V8 limits the bench measured it under", () => {
    const tf = synthTestStack<{ resource: Record<string, Record<string, Fn>> }>({
      settingsEnv: { GW3CX_3CX_URL: "https://pbx.example.com" },
    });
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
