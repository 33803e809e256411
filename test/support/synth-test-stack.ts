import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { Gw3cxStack, type Gw3cxStackProps } from "../../infra/gw3cx-stack.js";

/** No build output here: the function sources are referenced by path, never required to exist. */
export const MISSING_SOURCES = join(tmpdir(), "gw3cx-no-such-build", "functions");

/**
 * The stack's Terraform JSON for a unit test: a Berlin tenant in europe-west1 syncing at 02:30,
 * without built artifacts; `props` override or add (features, settingsEnv), `extend` adds
 * constructs before the synth.
 */
export function synthTestStack<T>(
  props: Partial<Gw3cxStackProps> = {},
  extend?: (stack: Gw3cxStack) => void,
): T {
  const stack = new Gw3cxStack(Testing.app(), "gw3cx", {
    region: "europe-west1",
    syncTime: "02:30:00",
    timeZone: "Europe/Berlin",
    functionSourceDir: MISSING_SOURCES,
    ...props,
  });
  extend?.(stack);
  return JSON.parse(Testing.synth(stack)) as T;
}
