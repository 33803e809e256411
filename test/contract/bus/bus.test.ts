import { PubSub } from "@google-cloud/pubsub";
import { describe, it } from "vitest";
import { InProcessBus } from "../../../shared/adapters/memory/in-process-bus.js";
import { PubSubBus } from "../../../shared/adapters/pubsub/pubsub-bus.js";
import { standInHost } from "../../support/stand-ins.js";
import { describeBusContract } from "./bus.contract.js";

describeBusContract({
  name: "in-process (embedded default)",
  open: async () => new InProcessBus({ redeliveryDelayMs: 20 }),
});

const pubsub = standInHost("pubsubStandIn");
if (pubsub.host) {
  const host = pubsub.host;
  describeBusContract({
    name: "Pub/Sub (on Google's pstest fake)",
    open: async () =>
      new PubSubBus(new PubSub({ projectId: "gw3cx-test", apiEndpoint: host, emulatorMode: true })),
    limitations: {
      deadLetter:
        "pstest stores dead-letter policies but never applies them; the policy is asserted on the synthesized Terraform instead",
    },
  });
} else {
  describe("Bus contract: Pub/Sub", () => {
    it.skip(`skipped: ${pubsub.skipReason}`, () => {});
  });
}
