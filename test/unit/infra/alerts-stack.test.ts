import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FUNCTIONS, type Gw3cxStackProps } from "../../../infra/gw3cx-stack.js";
import { STACK_NAME, synthesize } from "../../../infra/synthesize.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import type { userSyncLogEvents } from "../../../shared/logging/events/user-sync.js";
import { LOG_EVENTS, type LogEventName } from "../../../shared/logging/log-events.js";
import { createLogger } from "../../../shared/logging/logger.js";
import { holdSubscriptionOf, TOPICS } from "../../../shared/messaging/topics.js";
import { placeholderFunctionArtifacts } from "../../support/placeholder-function-artifacts.js";
import { synthTestStack } from "../../support/synth-test-stack.js";

type Resource = Record<string, unknown>;
interface Synthesized {
  resource: Record<string, Record<string, Resource>>;
}
interface Policy {
  display_name: string;
  notification_channels?: string[];
  documentation: { content: string };
  conditions: { condition_threshold: { filter: string; comparison: string; threshold_value: number } }[];
}

/** The events the alerts watch, checked against the catalog by the compiler (a rename breaks this file). */
const HELD = "userSyncHeld" satisfies keyof typeof userSyncLogEvents;
const FAILED = "userSyncFailed" satisfies keyof typeof userSyncLogEvents;

const synthesizeStack = (props: Partial<Gw3cxStackProps> = {}) => synthTestStack<Synthesized>(props);

const all = (tf: Synthesized, type: string) => Object.entries(tf.resource[type] ?? {});
const policiesOf = (tf: Synthesized) =>
  all(tf, "google_monitoring_alert_policy").map(([, p]) => p as unknown as Policy);
const thresholdFilter = (p: Policy) => p.conditions[0]?.condition_threshold.filter ?? "";

/** A log entry as Cloud Logging stores a JSON line a gen2 function (a Cloud Run service) wrote on stdout. */
function cloudLogEntry(service: string, event: LogEventName): Record<string, unknown> {
  const lines: string[] = [];
  const logger = createLogger(
    { component: service },
    { destination: { write: (l: string) => lines.push(l) } },
  );
  logger.event(event, { runId: "run-1" });
  return {
    resource: { type: "cloud_run_revision", labels: { service_name: service } },
    jsonPayload: JSON.parse(lines[0] ?? "{}"),
  };
}

/** Evaluates the `field="value" AND ...` logging filters the stack writes; anything else fails the test. */
function matches(filter: string, entry: Record<string, unknown>): boolean {
  return filter.split(" AND ").every((clause) => {
    const parts = /^([\w.]+)="([^"]*)"$/.exec(clause);
    if (!parts) throw new Error(`unsupported filter clause: ${clause}`);
    const [, path = "", value] = parts;
    const found = path
      .split(".")
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], entry);
    return found === value;
  });
}

describe("infra: alerts without alerts.email", () => {
  const tf = synthesizeStack();
  const metrics = all(tf, "google_logging_metric").map(([key, m]) => ({
    ...(m as { name: string; filter: string }),
    key,
  }));
  const policies = policiesOf(tf);
  const metricFor = (event: LogEventName) => {
    const found = metrics.filter((m) => matches(m.filter, cloudLogEntry(FUNCTIONS.dailySync.name, event)));
    expect(found).toHaveLength(1);
    return found[0] as { filter: string };
  };

  it("makes no notification channel and attaches none", () => {
    expect(all(tf, "google_monitoring_notification_channel")).toHaveLength(0);
    for (const policy of policies) expect(policy.notification_channels ?? []).toEqual([]);
  });

  it("counts the held-run lines the logger writes, from any function", () => {
    const held = metricFor(HELD);
    expect(matches(held.filter, cloudLogEntry(FUNCTIONS.statusPage.name, HELD))).toBe(true);
  });

  it("counts a failed run of the nightly function only", () => {
    const failed = metricFor(FAILED);
    expect(matches(failed.filter, cloudLogEntry(FUNCTIONS.statusPage.name, FAILED))).toBe(false);
    expect(matches(failed.filter, cloudLogEntry(FUNCTIONS.dailySync.name, "userSyncApplied"))).toBe(false);
  });

  it("counts nothing else the catalog defines", () => {
    const others = (Object.keys(LOG_EVENTS) as LogEventName[]).filter((e) => e !== HELD && e !== FAILED);
    for (const event of others)
      for (const metric of metrics)
        expect(matches(metric.filter, cloudLogEntry(FUNCTIONS.dailySync.name, event))).toBe(false);
  });

  it("has one single-condition policy per log metric, firing on any count, saying what to run", () => {
    for (const metric of metrics) {
      const own = policies.filter((p) =>
        thresholdFilter(p).includes(
          `logging.googleapis.com/user/\${google_logging_metric.${metric.key}.name}"`,
        ),
      );
      expect(own).toHaveLength(1);
      expect(own[0]?.conditions).toHaveLength(1);
      expect(own[0]?.conditions[0]?.condition_threshold).toMatchObject({
        comparison: "COMPARISON_GT",
        threshold_value: 0,
      });
      expect(own[0]?.documentation.content).toMatch(/gw3cx (doctor|status|sync --approve)/);
    }
  });

  it("has one policy per dead-letter hold subscription, open while it keeps a message", () => {
    const subscriptions = all(tf, "google_pubsub_subscription").map(([, s]) => s.name);
    for (const topic of Object.values(TOPICS)) {
      const hold = holdSubscriptionOf(topic);
      expect(subscriptions).toContain(hold);
      const own = policies.filter((p) =>
        matches(thresholdFilter(p), {
          metric: { type: "pubsub.googleapis.com/subscription/num_undelivered_messages" },
          resource: { type: "pubsub_subscription", labels: { subscription_id: hold } },
        }),
      );
      expect(own).toHaveLength(1);
      expect(own[0]?.conditions[0]?.condition_threshold).toMatchObject({
        comparison: "COMPARISON_GT",
        threshold_value: 0,
      });
      expect(own[0]?.documentation.content).toContain("gw3cx status");
    }
    expect(policies).toHaveLength(metrics.length + Object.values(TOPICS).length);
  });

  it("enables the Monitoring API", () => {
    const services = all(tf, "google_project_service").map(([, s]) => s.service);
    expect(services).toContain("monitoring.googleapis.com");
  });
});

describe("infra: alerts with alerts.email", () => {
  const tf = synthesizeStack({ alertsEmail: "ops@example.com" });

  it("mails every policy through one email channel", () => {
    const channels = all(tf, "google_monitoring_notification_channel");
    expect(channels).toHaveLength(1);
    const [key, channel] = channels[0] ?? [];
    expect(channel).toMatchObject({ type: "email", labels: { email_address: "ops@example.com" } });
    const policies = policiesOf(tf);
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies)
      expect(policy.notification_channels).toEqual([
        `\${google_monitoring_notification_channel.${key}.name}`,
      ]);
  });
});

describe("infra: alerts.email from the settings to the synthesized stack", () => {
  const root = mkdtempSync(join(tmpdir(), "gw3cx-alerts-synth-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const sources = placeholderFunctionArtifacts(root);
  const synthAt = (outdir: string, env: Record<string, string>) => {
    synthesize(loadSettings({ env }), { outdir, functionSourceDir: sources });
    return JSON.parse(readFileSync(join(outdir, "stacks", STACK_NAME, "cdk.tf.json"), "utf8")) as Synthesized;
  };

  it("GW3CX_ALERTS_EMAIL becomes the channel; unset, there is none", () => {
    const withEmail = synthAt(join(root, "with"), { GW3CX_ALERTS_EMAIL: "oncall@example.com" });
    expect(all(withEmail, "google_monitoring_notification_channel").map(([, c]) => c.labels)).toEqual([
      { email_address: "oncall@example.com" },
    ]);
    const without = synthAt(join(root, "without"), {});
    expect(all(without, "google_monitoring_notification_channel")).toHaveLength(0);
  }, 120_000);

  it("refuses a malformed address, naming the setting and the value", () => {
    expect(() => loadSettings({ env: { GW3CX_ALERTS_EMAIL: "not-an-address" } })).toThrow(
      /alerts\.email[\s\S]*not-an-address/,
    );
  });
});
