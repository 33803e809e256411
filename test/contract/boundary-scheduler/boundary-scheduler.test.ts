import { describe, expect, it } from "vitest";
import { CloudTasksBoundaryScheduler } from "../../../shared/adapters/cloud-tasks/cloud-tasks-boundary-scheduler.js";
import { createCloudTasksClient } from "../../../shared/adapters/cloud-tasks/cloud-tasks-client.js";
import { isGw3cxError } from "../../../shared/errors.js";
import {
  bearerClaims,
  createQueue,
  INVOKER,
  LOCATION,
  PROJECT,
  Receiver,
  standInClient,
} from "../../support/cloud-tasks-harness.js";
import { standInHost } from "../../support/stand-ins.js";
import { refusingPort } from "../../support/unreachable-ports.js";
import { type Delivery, describeBoundarySchedulerContract } from "./boundary-scheduler.contract.js";

const cloudTasks = standInHost("cloudTasksStandIn");
const host = cloudTasks.host;

/** A Cloud Tasks scheduler on a queue of its own, configured as deployed, delivering to a receiver. */
async function openCloudTasks(standInHost: string) {
  const receiver = await Receiver.start();
  const client = standInClient(standInHost);
  const queue = await createQueue(client);
  const scheduler = new CloudTasksBoundaryScheduler(client, {
    projectId: PROJECT,
    location: LOCATION,
    queue: queue.id,
    boundaryUrl: receiver.url(),
    invokerServiceAccountEmail: INVOKER,
  });
  const deliveries: Delivery[] = [];
  receiver.answer = (request) => {
    const { googleUserId, at } = JSON.parse(request.body) as Delivery;
    deliveries.push({ googleUserId, at, receivedAt: request.receivedAt });
    return 200;
  };
  return {
    scheduler,
    deliveries,
    receiver,
    client,
    queue,
    close: async () => {
      await client.close();
      await receiver.close();
    },
  };
}

if (host) {
  describeBoundarySchedulerContract({
    name: "Cloud Tasks (on the stand-in, queue as deployed)",
    open: () => openCloudTasks(host),
    latenessBudgetMs: 5_000,
  });

  describe("Cloud Tasks boundary scheduler: what the boundary function receives", () => {
    it("a JSON POST of {googleUserId, at} with an OIDC token of the invoker for the function's origin", async () => {
      const open = await openCloudTasks(host);
      try {
        const at = Date.now() + 300;
        await open.scheduler.schedule({ googleUserId: "1001", at });
        const until = Date.now() + 5_000;
        while (open.receiver.received.length === 0 && Date.now() < until)
          await new Promise((r) => setTimeout(r, 20));
        const [request] = open.receiver.received;
        expect(request).toMatchObject({ method: "POST", path: "/boundary" });
        expect(JSON.parse(request?.body ?? "")).toEqual({ googleUserId: "1001", at });
        expect(request?.headers["content-type"]).toBe("application/json");
        expect(request?.headers["x-cloudtasks-queuename"]).toBe(open.queue.id);
        // The task id carries the instant but not the user id (task names show in logs).
        expect(request?.headers["x-cloudtasks-taskname"]).toMatch(new RegExp(`^[0-9a-f]{32}-${at}$`));
        expect(bearerClaims(request?.headers ?? {})).toMatchObject({
          aud: new URL(open.receiver.url()).origin,
          email: INVOKER,
        });
      } finally {
        await open.close();
      }
    });
  });

  describe("Cloud Tasks boundary scheduler: failures are typed, with their cause", () => {
    it("a queue that does not exist: BOUNDARY_UNAVAILABLE naming the call, the gRPC error as cause", async () => {
      const client = standInClient(host);
      try {
        const scheduler = new CloudTasksBoundaryScheduler(client, {
          projectId: PROJECT,
          location: LOCATION,
          queue: "no-such-queue",
          boundaryUrl: "https://example.invalid/boundary",
          invokerServiceAccountEmail: INVOKER,
        });
        const error = await scheduler
          .schedule({ googleUserId: "1", at: Date.now() + 60_000 })
          .catch((e) => e);
        expect(isGw3cxError(error, "BOUNDARY_UNAVAILABLE")).toBe(true);
        expect(String(error.message)).toMatch(/CreateTask .*no-such-queue.* \(gRPC code 5\)/);
        expect((error.cause as { code?: number }).code).toBe(5);
      } finally {
        await client.close();
      }
    });

    it("Cloud Tasks unreachable: BOUNDARY_UNAVAILABLE after a few quick retries, not a hang", async () => {
      const client = standInClient(`127.0.0.1:${await refusingPort()}`);
      try {
        const scheduler = new CloudTasksBoundaryScheduler(client, {
          projectId: PROJECT,
          location: LOCATION,
          queue: "q",
          boundaryUrl: "https://example.invalid/boundary",
          invokerServiceAccountEmail: INVOKER,
        });
        const started = Date.now();
        const error = await scheduler
          .schedule({ googleUserId: "1", at: Date.now() + 60_000 })
          .catch((e) => e);
        expect(isGw3cxError(error, "BOUNDARY_UNAVAILABLE")).toBe(true);
        expect((error.cause as { code?: number }).code).toBe(14);
        expect(Date.now() - started).toBeLessThan(15_000);
      } finally {
        await client.close();
      }
    });

    it("an instant beyond Cloud Tasks' 30 days: BOUNDARY_INVALID_ARGUMENT before any call", async () => {
      const open = await openCloudTasks(host);
      try {
        const at = Date.now() + 31 * 24 * 3_600_000;
        const error = await open.scheduler.schedule({ googleUserId: "1", at }).catch((e) => e);
        expect(isGw3cxError(error, "BOUNDARY_INVALID_ARGUMENT")).toBe(true);
        expect(String(error.message)).toMatch(/30 days/);
      } finally {
        await open.close();
      }
    });

    it("createCloudTasksClient finds the stand-in through CLOUD_TASKS_EMULATOR_HOST alone", async () => {
      const client = createCloudTasksClient({ projectId: PROJECT }, { CLOUD_TASKS_EMULATOR_HOST: host });
      try {
        const queue = await createQueue(client);
        const [got] = await client.getQueue({ name: queue.name });
        expect(got.name).toBe(queue.name);
      } finally {
        await client.close();
      }
    });

    it("refuses bad settings naming them", () => {
      const client = standInClient(host);
      const base = {
        projectId: PROJECT,
        location: LOCATION,
        queue: "q",
        boundaryUrl: "https://fn.example/boundary",
        invokerServiceAccountEmail: INVOKER,
      };
      expect(() => new CloudTasksBoundaryScheduler(client, { ...base, boundaryUrl: "not a url" })).toThrow(
        /boundaryUrl/,
      );
      expect(
        () => new CloudTasksBoundaryScheduler(client, { ...base, invokerServiceAccountEmail: "" }),
      ).toThrow(/invokerServiceAccountEmail/);
      expect(() => new CloudTasksBoundaryScheduler(client, { ...base, dispatchDeadlineSeconds: 5 })).toThrow(
        /dispatchDeadlineSeconds/,
      );
      void client.close();
    });
  });
} else {
  describe("BoundaryScheduler contract: Cloud Tasks", () => {
    it.skip(`skipped: ${cloudTasks.skipReason}`, () => {});
  });
}
