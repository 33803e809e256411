import { tmpdir } from "node:os";
import { join } from "node:path";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic/index.js";
import { StorageBucketObject } from "@cdktf/provider-google/lib/storage-bucket-object/index.js";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { instanceShapeProblem, memoryMiB } from "../../../infra/cloud-run-limits.js";
import { CloudFunction } from "../../../infra/constructs/cloud-function.js";
import { PushDelivery } from "../../../infra/constructs/push-delivery.js";
import type { FunctionSizing } from "../../../infra/function-sizing.js";

describe("infra: Cloud Run's memory, CPU and concurrency rules", () => {
  it("reads sizes in the units the Cloud Functions API takes", () => {
    expect(memoryMiB("512Mi")).toBe(512);
    expect(memoryMiB("1Gi")).toBe(1024);
    expect(memoryMiB("1G")).toBeCloseTo(953.67, 2);
    expect(memoryMiB("256M")).toBeCloseTo(244.14, 2);
    expect(memoryMiB("256 MB")).toBeUndefined();
    expect(memoryMiB("lots")).toBeUndefined();
  });

  it.each([
    ["128M", "0.083"],
    ["256M", "0.167"],
    ["512M", "0.333"],
    ["1G", "0.583"],
    ["2G", "1"],
    ["4G", "2"],
    ["8G", "2"],
    ["16G", "4"],
    ["32G", "8"],
  ])("accepts Google's default pair %s / %s vCPU", (memory, cpu) => {
    expect(instanceShapeProblem({ memory, cpu, concurrency: 1 })).toBeUndefined();
  });

  it.each([
    [{ memory: "256M", cpu: "0.167", concurrency: 2 }, /concurrency 2 needs at least 1 vCPU/],
    [{ memory: "1Gi", cpu: "0.333", concurrency: 1 }, /memory 1Gi needs at least 0.5 vCPU/],
    [{ memory: "2G", cpu: "0.583", concurrency: 1 }, /memory 2G needs at least 1 vCPU/],
    [{ memory: "8Gi", cpu: "1", concurrency: 1 }, /memory 8Gi needs at least 2 vCPU/],
    [{ memory: "1Gi", cpu: "4", concurrency: 8 }, /cpu 4 needs at least 2048 MiB/],
    [{ memory: "4Gi", cpu: "3", concurrency: 8 }, /only 1, 2, 4, 6 or 8/],
    [{ memory: "256M", cpu: "0.05", concurrency: 1 }, /from 0.08 to 8/],
    [{ memory: "256M", cpu: "0.1675", concurrency: 1 }, /steps of 0.001/],
    [{ memory: "64Mi", cpu: "0.083", concurrency: 1 }, /outside 128M to 32 GiB/],
    [{ memory: "512M", cpu: "1", concurrency: 1001 }, /concurrency 1001/],
  ])("refuses %o, saying why", (shape, why) => {
    expect(instanceShapeProblem(shape)).toMatch(why);
  });
});

describe("infra: constructs refuse a size the platform would refuse", () => {
  const sized = (over: Partial<FunctionSizing>): FunctionSizing => ({
    memory: "256M",
    cpu: "0.167",
    timeoutSeconds: 60,
    concurrency: 1,
    maxInstances: 1,
    callsPbx: false,
    googleApis: [],
    reason: "test",
    ...over,
  });
  const build = (sizing: FunctionSizing, ackDeadlineSeconds?: number) => {
    const stack = new TerraformStack(Testing.app(), "t");
    const source = new StorageBucketObject(stack, "src", {
      bucket: "b",
      name: "f.zip",
      source: join(tmpdir(), "gw3cx-no-such-build", "f.zip"),
    });
    const target = new CloudFunction(stack, "fn", {
      projectId: "p",
      region: "europe-west1",
      name: "gw3cx-test",
      description: "test",
      entryPoint: "test",
      source,
      serviceAccountEmail: "sa@p.iam.gserviceaccount.com",
      environment: {},
      secrets: [],
      sizing,
      ingress: "ALLOW_INTERNAL_ONLY",
    });
    new PushDelivery(stack, "push", {
      projectId: "p",
      topic: new PubsubTopic(stack, "topic", { name: "t" }),
      deadLetterTopic: new PubsubTopic(stack, "dead", { name: "t-dead-letter" }),
      target,
      name: "t-test",
      invokerAccountId: "gw3cx-test-invoker",
      pubsubServiceAgent: "serviceAccount:agent@example.com",
      ...(ackDeadlineSeconds === undefined ? {} : { ackDeadlineSeconds }),
    });
    return JSON.parse(Testing.synth(stack)) as {
      resource: { google_pubsub_subscription: Record<string, { ack_deadline_seconds: number }> };
    };
  };

  it("a function whose concurrency needs more vCPU than it has", () => {
    expect(() => build(sized({ concurrency: 8 }))).toThrow(
      /gw3cx-test: Cloud Run would refuse this size: concurrency 8 needs at least 1 vCPU/,
    );
  });

  it("a push subscription that would give up on the worker before its timeout, or past Pub/Sub's 600 s", () => {
    const subscription = (tf: ReturnType<typeof build>) =>
      Object.values(tf.resource.google_pubsub_subscription)[0];
    expect(subscription(build(sized({ timeoutSeconds: 300 })))?.ack_deadline_seconds).toBe(300);
    expect(() => build(sized({ timeoutSeconds: 300 }), 120)).toThrow(
      /ack deadline 120 s must be from the function's timeout \(300 s\) to 600 s/,
    );
    expect(() => build(sized({ timeoutSeconds: 900 }))).toThrow(/ack deadline 900 s/);
  });
});
