import { describe, expect, it } from "vitest";
import type { Gw3cxStackProps } from "../../../infra/gw3cx-stack.js";
import { dailyTimeToCron } from "../../../infra/schedule.js";
import { deadLetterTopicOf, holdSubscriptionOf, TOPICS } from "../../../shared/messaging/topics.js";
import { synthTestStack } from "../../support/synth-test-stack.js";

type Resource = Record<string, unknown>;
type Synthesized = { resource: Record<string, Record<string, Resource>> };

function synthesize(props: Partial<Gw3cxStackProps> = {}): Synthesized {
  return synthTestStack<Synthesized>({ settingsEnv: { GW3CX_3CX_URL: "https://pbx.example.com" }, ...props });
}

const resourcesOf = (tf: Synthesized, type: string) => Object.entries(tf.resource[type] ?? {});
const digestJob = (tf: Synthesized) =>
  resourcesOf(tf, "google_cloud_scheduler_job").find(([, j]) => j.name === "gw3cx-daily-digest")?.[1] as
    | (Resource & { pubsub_target: { data: string; topic_name: string } })
    | undefined;

/** The subscriptions (by name) the daily-sync function's account may pull from. */
function pulledByDailySync(tf: Synthesized): string[] {
  const [key] =
    resourcesOf(tf, "google_service_account").find(([, a]) => a.account_id === "gw3cx-daily-sync") ?? [];
  const subscriptions = Object.fromEntries(resourcesOf(tf, "google_pubsub_subscription"));
  return resourcesOf(tf, "google_pubsub_subscription_iam_member")
    .map(([, grant]) => grant)
    .filter((g) => g.member === `serviceAccount:\${google_service_account.${key}.email}`)
    .map((g) => {
      expect(g.role).toBe("roles/pubsub.subscriber");
      const ref = /^\$\{google_pubsub_subscription\.([^.]+)\.name\}$/.exec(
        String(g.subscription),
      )?.[1] as string;
      return String(subscriptions[ref]?.name);
    })
    .sort();
}

describe("infra: the daily digest's schedule", () => {
  it("with the digest on: a job publishing {trigger: digest} to the sync-requests topic at mail.digestTime in the tenant's zone", () => {
    const tf = synthesize({ digest: { time: "07:15:30" } });
    const job = digestJob(tf);
    expect(job).toMatchObject({ schedule: "15 7 * * *", time_zone: "Europe/Berlin", region: "europe-west1" });
    const topics = Object.fromEntries(resourcesOf(tf, "google_pubsub_topic"));
    const topicKey = /^\$\{google_pubsub_topic\.([^.]+)\.id\}$/.exec(
      String(job?.pubsub_target.topic_name),
    )?.[1];
    expect(topics[topicKey as string]?.name).toBe(TOPICS.syncRequests);
    expect(JSON.parse(Buffer.from(String(job?.pubsub_target.data), "base64").toString("utf8"))).toEqual({
      trigger: "digest",
    });
  });

  it("lets the daily-sync function read every dead-letter hold subscription (the digest lists them), nothing more", () => {
    const holds = Object.values(TOPICS)
      .map((topic) => holdSubscriptionOf(topic))
      .sort();
    expect(holds).toContain(`${deadLetterTopicOf(TOPICS.directoryChanges)}-hold`);
    expect(pulledByDailySync(synthesize({ digest: { time: "07:00:00" } }))).toEqual(holds);
  });

  it("with the digest off: no job and no read access to the dead letters", () => {
    const tf = synthesize();
    expect(digestJob(tf)).toBeUndefined();
    expect(pulledByDailySync(tf)).toEqual([]);
  });

  it("refuses an invalid digest time at synth, naming the setting", () => {
    expect(() => synthesize({ digest: { time: "7:00" } })).toThrow(
      /mail\.digestTime "7:00" is not a 24-hour time/,
    );
    expect(dailyTimeToCron("23:59:59", "mail.digestTime")).toBe("59 23 * * *");
  });
});
