import type { CloudTasksClient } from "@google-cloud/tasks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createQueue,
  INVOKER,
  LOCATION,
  PROJECT,
  Receiver,
  standInClient,
} from "../../support/cloud-tasks-harness.js";
import { eventually, standInHost } from "../../support/stand-ins.js";

/**
 * The Cloud Tasks stand-in behaves as Cloud Tasks documents it, driven by the real client: what
 * the boundary scheduler's contract relies on (names, reservation, dispatch timing, retries,
 * limits) is checked here, at the protocol, so a passing contract means something.
 */
const cloudTasks = standInHost("cloudTasksStandIn");

interface DispatchRecord {
  task: string;
  attempt: number;
  scheduledFor: number;
  dispatchedAt: number;
  latenessMs: number;
  outcome: number | string;
}

const grpcCode = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: { code?: number }) => e.code,
  );

describe.skipIf(!cloudTasks.host)(
  `Cloud Tasks stand-in${cloudTasks.host ? "" : ` (skipped: ${cloudTasks.skipReason})`}`,
  () => {
    let client: CloudTasksClient;
    let receiver: Receiver;
    beforeAll(async () => {
      client = standInClient(cloudTasks.host as string);
      receiver = await Receiver.start();
    });
    afterAll(async () => {
      await client?.close();
      await receiver?.close();
    });

    const dispatchesOf = async (queueId: string): Promise<DispatchRecord[]> => {
      const response = await fetch(`http://${cloudTasks.admin}/dispatches`);
      const { dispatches } = (await response.json()) as { dispatches: DispatchRecord[] };
      return dispatches.filter((d) => d.task.includes(`/queues/${queueId}/tasks/`));
    };
    const httpTask = (name: string | undefined, at: number, body = "{}") => ({
      ...(name ? { name } : {}),
      scheduleTime: { seconds: Math.floor(at / 1000), nanos: (at % 1000) * 1e6 },
      httpRequest: {
        url: receiver.url(`/t`),
        httpMethod: "POST" as const,
        headers: { "Content-Type": "application/json" },
        body: Buffer.from(body),
        oidcToken: { serviceAccountEmail: INVOKER },
      },
    });

    it("refuses a task for a queue that does not exist, and a second queue of the same name", async () => {
      const parent = `projects/${PROJECT}/locations/${LOCATION}/queues/never-created`;
      expect(await grpcCode(client.createTask({ parent, task: httpTask(undefined, Date.now()) }))).toBe(5);
      const queue = await createQueue(client);
      expect(
        await grpcCode(
          client.createQueue({
            parent: `projects/${PROJECT}/locations/${LOCATION}`,
            queue: { name: queue.name },
          }),
        ),
      ).toBe(6);
    });

    it("reports a queue's settings, with Cloud Tasks' defaults for what was not given", async () => {
      const queue = await createQueue(client, { rateLimits: { maxConcurrentDispatches: 3 } });
      const [got] = await client.getQueue({ name: queue.name });
      expect(got.rateLimits).toMatchObject({ maxConcurrentDispatches: 3, maxDispatchesPerSecond: 500 });
      expect(got.retryConfig).toMatchObject({ maxAttempts: 100, maxDoublings: 16 });
      expect(got.state).toBe("RUNNING");
    });

    it("names are unique while a task lives and stay reserved after it is deleted or has run", async () => {
      const queue = await createQueue(client);
      const later = `${queue.name}/tasks/later`;
      const now = `${queue.name}/tasks/now`;
      await client.createTask({ parent: queue.name, task: httpTask(later, Date.now() + 60_000) });
      expect(
        await grpcCode(client.createTask({ parent: queue.name, task: httpTask(later, Date.now()) })),
      ).toBe(6);
      await client.deleteTask({ name: later });
      expect(await grpcCode(client.getTask({ name: later }))).toBe(5);
      expect(await grpcCode(client.deleteTask({ name: later }))).toBe(5);
      expect(
        await grpcCode(client.createTask({ parent: queue.name, task: httpTask(later, Date.now()) })),
      ).toBe(6);

      await client.createTask({ parent: queue.name, task: httpTask(now, Date.now()) });
      await eventually(
        () => grpcCode(client.getTask({ name: now })),
        (code) => code === 5,
      );
      expect(await grpcCode(client.createTask({ parent: queue.name, task: httpTask(now, Date.now()) }))).toBe(
        6,
      );
    });

    it("lists tasks in pages and keeps the body out of the basic view", async () => {
      const queue = await createQueue(client);
      for (const n of [1, 2, 3])
        await client.createTask({
          parent: queue.name,
          task: httpTask(`${queue.name}/tasks/t${n}`, Date.now() + 60_000, `{"n":${n}}`),
        });
      const [first, , page] = await client.listTasks(
        { parent: queue.name, pageSize: 2 },
        { autoPaginate: false },
      );
      expect(first.map((t) => t.name)).toEqual([`${queue.name}/tasks/t1`, `${queue.name}/tasks/t2`]);
      const [rest] = await client.listTasks(
        { parent: queue.name, pageSize: 2, pageToken: page?.nextPageToken ?? "" },
        { autoPaginate: false },
      );
      expect(rest.map((t) => t.name)).toEqual([`${queue.name}/tasks/t3`]);
      const [basic] = await client.getTask({ name: `${queue.name}/tasks/t1` });
      const [full] = await client.getTask({ name: `${queue.name}/tasks/t1`, responseView: "FULL" });
      expect(basic.httpRequest?.body?.length ?? 0).toBe(0);
      expect(Buffer.from(full.httpRequest?.body ?? "").toString()).toBe('{"n":1}');
      expect(full.httpRequest?.oidcToken?.serviceAccountEmail).toBe(INVOKER);
    });

    it("refuses what Cloud Tasks refuses: bad task ids, more than 30 days ahead, deadlines out of range", async () => {
      const queue = await createQueue(client);
      const code = (task: object) => grpcCode(client.createTask({ parent: queue.name, task }));
      expect(await code(httpTask(`${queue.name}/tasks/has.dot`, Date.now()))).toBe(3);
      expect(await code(httpTask(`${queue.name}/tasks/${"x".repeat(501)}`, Date.now()))).toBe(3);
      expect(await code(httpTask("projects/other/locations/x/queues/y/tasks/z", Date.now()))).toBe(3);
      expect(await code(httpTask(undefined, Date.now() + 31 * 24 * 3_600_000))).toBe(3);
      expect(await code({ ...httpTask(undefined, Date.now()), dispatchDeadline: { seconds: 5 } })).toBe(3);
      expect(await code({ appEngineHttpRequest: { relativeUri: "/x" } })).toBe(12);
    });

    it("dispatches at the schedule time, never before, and records each attempt's lateness", async () => {
      const queue = await createQueue(client);
      const at = Date.now() + 800;
      await client.createTask({ parent: queue.name, task: httpTask(`${queue.name}/tasks/on-time`, at) });
      // A record is listed from the moment its attempt starts, its outcome "network" until answered.
      const [record] = await eventually(
        () => dispatchesOf(queue.id),
        (d) => d.length >= 1 && d[0]?.outcome !== "network",
      );
      expect(record).toMatchObject({ attempt: 1, scheduledFor: at, outcome: 200 });
      expect(record?.dispatchedAt).toBeGreaterThanOrEqual(at);
      expect(record?.latenessMs).toBe((record?.dispatchedAt ?? 0) - at);
      expect(record?.latenessMs).toBeLessThan(500);
    });

    it("retries a failed attempt with the queue's backoff, then gives up after max attempts", async () => {
      const queue = await createQueue(client, {
        retryConfig: {
          maxAttempts: 3,
          minBackoff: { seconds: 1 },
          maxBackoff: { seconds: 10 },
          maxDoublings: 4,
        },
      });
      const name = `${queue.name}/tasks/failing`;
      const retryCounts: string[] = [];
      receiver.answer = (request) => {
        if (request.path !== "/t") return 200;
        retryCounts.push(String(request.headers["x-cloudtasks-taskretrycount"]));
        return 503;
      };
      try {
        await client.createTask({ parent: queue.name, task: httpTask(name, Date.now()) });
        const attempts = await eventually(
          () => dispatchesOf(queue.id),
          (d) => d.length >= 3 && d.every((a) => a.outcome !== "network"),
          8_000,
        );
        expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
          [1, 503],
          [2, 503],
          [3, 503],
        ]);
        const gaps = attempts
          .slice(1)
          .map((a, i) => a.dispatchedAt - (attempts[i] as DispatchRecord).dispatchedAt);
        // 1 s, then doubled to 2 s (plus the time to answer).
        expect(gaps[0]).toBeGreaterThanOrEqual(1_000);
        expect(gaps[1]).toBeGreaterThanOrEqual(2_000);
        expect(retryCounts).toEqual(["0", "1", "2"]);
        // Out of attempts: the task is gone, and its name reserved.
        expect(await grpcCode(client.getTask({ name }))).toBe(5);
        expect(
          await grpcCode(client.createTask({ parent: queue.name, task: httpTask(name, Date.now()) })),
        ).toBe(6);
        await new Promise((r) => setTimeout(r, 1_200));
        expect(await dispatchesOf(queue.id)).toHaveLength(3);
      } finally {
        receiver.answer = () => 200;
      }
    });

    it("holds to the queue's rate and concurrency limits", async () => {
      const queue = await createQueue(client, {
        rateLimits: { maxDispatchesPerSecond: 5, maxConcurrentDispatches: 2 },
      });
      let inFlight = 0;
      let peak = 0;
      receiver.answer = async (request) => {
        if (request.path !== "/slow") return 200;
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 50));
        inFlight--;
        return 200;
      };
      try {
        const at = Date.now() + 300;
        for (let n = 0; n < 10; n++)
          await client.createTask({
            parent: queue.name,
            task: {
              ...httpTask(undefined, at),
              httpRequest: { ...httpTask(undefined, at).httpRequest, url: receiver.url("/slow") },
            },
          });
        const records = await eventually(
          () => dispatchesOf(queue.id),
          (d) => d.filter((r) => r.outcome === 200).length >= 10,
          8_000,
        );
        const times = records.map((r) => r.dispatchedAt).sort((a, b) => a - b);
        // A burst of 5, then 5 a second: the tenth goes out about a second after the first.
        expect((times[9] as number) - (times[0] as number)).toBeGreaterThanOrEqual(900);
        expect(peak).toBeLessThanOrEqual(2);
        for (const r of records) expect(r.dispatchedAt).toBeGreaterThanOrEqual(at);
      } finally {
        receiver.answer = () => 200;
      }
    });
  },
);
