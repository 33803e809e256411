import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { instanceShapeProblem } from "../../../infra/cloud-run-limits.js";
import { FUNCTION_SIZING } from "../../../infra/function-sizing.js";
import { FUNCTIONS, SECRET_ENV } from "../../../infra/gw3cx-stack.js";
import {
  assertPbxBudget,
  GOOGLE_LIMITS,
  PBX_XAPI_IN_FLIGHT_BUDGET,
  pbxRequestsInFlight,
} from "../../../infra/sizing-budgets.js";
import { synthesize as synthesizeSettings } from "../../../infra/synthesize.js";
import { CloudTasksBoundaryScheduler } from "../../../shared/adapters/cloud-tasks/cloud-tasks-boundary-scheduler.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { CALENDAR_CHANNEL_CALLS_PER_SECOND } from "../../../shared/usecases/presence/calendar-channels.js";
import { synthTestStack } from "../../support/synth-test-stack.js";

type Resource = Record<string, unknown>;
interface Synthesized {
  resource: Record<string, Record<string, Resource>>;
}
interface ServiceConfig {
  available_memory?: string;
  available_cpu?: string;
  timeout_seconds?: number;
  max_instance_request_concurrency?: number;
  max_instance_count?: number;
  min_instance_count?: number;
  secret_environment_variables: { key: string }[];
}
interface DeployedFunction {
  key: string;
  name: string;
  config: ServiceConfig;
}

/** Every feature on, so every function gw3cx can deploy is in the stack. */
function synthesizeEverything(): Synthesized {
  return synthTestStack<Synthesized>({
    settingsEnv: { GW3CX_3CX_URL: "https://pbx.example.com" },
    calendarPresence: true,
    digest: { time: "07:00:00" },
    remoteArchiving: true,
    recaptcha: { domains: ["www.example.com"] },
    transcription: { delegation: true },
    alertsEmail: "ops@example.com",
    statusPage: { admins: ["admin@example.com"], iap: false },
  });
}

const resources = (tf: Synthesized, type: string): [string, Resource][] =>
  Object.entries(tf.resource[type] ?? {});

function deployedFunctions(tf: Synthesized): DeployedFunction[] {
  return resources(tf, "google_cloudfunctions2_function").map(([key, r]) => ({
    key,
    name: String(r.name),
    config: r.service_config as ServiceConfig,
  }));
}

/** The function a "${google_cloudfunctions2_function.KEY....}" expression points at. */
function functionReferencedBy(functions: DeployedFunction[], expression: unknown): DeployedFunction {
  const key = /\$\{google_cloudfunctions2_function\.([^.}]+)\./.exec(String(expression))?.[1];
  const found = functions.find((f) => f.key === key);
  if (!found) throw new Error(`no function behind ${String(expression)}`);
  return found;
}

/** Requests one function may be serving at once, from the JSON. */
const capacity = (f: DeployedFunction) =>
  (f.config.max_instance_count ?? 0) * (f.config.max_instance_request_concurrency ?? 0);

let tf: Synthesized;
let functions: DeployedFunction[];
beforeAll(() => {
  tf = synthesizeEverything();
  functions = deployedFunctions(tf);
});

describe("infra: every function's size, with every feature on", () => {
  it("deploys every function gw3cx has", () => {
    expect(functions.map((f) => f.name).sort()).toEqual(
      Object.values(FUNCTIONS)
        .map((f) => f.name)
        .sort(),
    );
  });

  it("sets memory, CPU, timeout, concurrency and max instances explicitly, and min instances 0 (no idle cost)", () => {
    for (const { name, config } of functions) {
      expect(config.available_memory, name).toMatch(/^\d+(M|G|Mi|Gi)$/);
      expect(config.available_cpu, name).toMatch(/^\d+(\.\d+)?$/);
      expect(config.timeout_seconds, name).toBeGreaterThan(0);
      expect(config.max_instance_request_concurrency, name).toBeGreaterThanOrEqual(1);
      expect(config.max_instance_count, name).toBeGreaterThanOrEqual(1);
      expect(config.min_instance_count, name).toBe(0);
    }
  });

  it("serves more than one request per instance only with at least 1 vCPU", () => {
    for (const { name, config } of functions)
      if ((config.max_instance_request_concurrency ?? 1) > 1)
        expect(Number(config.available_cpu), name).toBeGreaterThanOrEqual(1);
  });

  it("asks for a memory, CPU and concurrency combination Cloud Run accepts", () => {
    for (const { name, config } of functions) {
      const shape = {
        memory: String(config.available_memory),
        cpu: String(config.available_cpu),
        concurrency: Number(config.max_instance_request_concurrency),
      };
      expect(instanceShapeProblem(shape), name).toBeUndefined();
    }
  });

  it("gives each push subscription an ack deadline from its function's timeout to Pub/Sub's 600 s", () => {
    const pushed = resources(tf, "google_pubsub_subscription").filter(
      ([, s]) => (s.push_config as { push_endpoint?: string } | undefined)?.push_endpoint,
    );
    // Every Pub/Sub-fed worker: user sync, daily, presence, contacts, transcription.
    expect(pushed).toHaveLength(5);
    for (const [, subscription] of pushed) {
      const target = functionReferencedBy(
        functions,
        (subscription.push_config as { push_endpoint: string }).push_endpoint,
      );
      const ack = Number(subscription.ack_deadline_seconds);
      expect(ack, `${String(subscription.name)} -> ${target.name}`).toBeGreaterThanOrEqual(
        Number(target.config.timeout_seconds),
      );
      expect(ack, String(subscription.name)).toBeLessThanOrEqual(GOOGLE_LIMITS.pubsubMaxAckDeadlineSeconds);
    }
  });

  it("lets the boundary function take every dispatch the queue makes at once, each within the task's deadline", async () => {
    const [[, queue] = []] = resources(tf, "google_cloud_tasks_queue");
    const limits = (queue?.rate_limits ?? {}) as Record<string, number>;
    // The function the queue's invoker may call is the one the tasks reach.
    const invokerKey = resources(tf, "google_service_account").find(
      ([, sa]) => sa.account_id === "gw3cx-boundary-invoker",
    )?.[0];
    const grant = resources(tf, "google_cloud_run_v2_service_iam_member").find(
      ([, r]) => r.member === `serviceAccount:\${google_service_account.${invokerKey}.email}`,
    )?.[1];
    const boundary = functionReferencedBy(functions, grant?.name);
    expect(capacity(boundary)).toBeGreaterThanOrEqual(Number(limits.max_concurrent_dispatches));
    expect(Number(limits.max_dispatches_per_second)).toBeLessThanOrEqual(
      GOOGLE_LIMITS.cloudTasksMaxDispatchesPerSecond,
    );

    // The dispatch deadline is per task: read it from a task as the deployed scheduler creates it.
    const created: { task?: { dispatchDeadline?: { seconds?: number } } }[] = [];
    const scheduler = new CloudTasksBoundaryScheduler(
      {
        createTask: async (request: (typeof created)[number]) => {
          created.push(request);
          return [{}];
        },
        deleteTask: async () => [{}],
        getTask: async () => [{}],
      } as unknown as ConstructorParameters<typeof CloudTasksBoundaryScheduler>[0],
      {
        projectId: "p",
        location: "europe-west1",
        queue: "gw3cx-presence-boundaries",
        boundaryUrl: "https://gw3cx-presence-boundary-1.europe-west1.run.app",
        invokerServiceAccountEmail: "gw3cx-boundary-invoker@p.iam.gserviceaccount.com",
      },
    );
    await scheduler.schedule({ googleUserId: "u1", at: Date.now() + 60_000 });
    const deadline = Number(created[0]?.task?.dispatchDeadline?.seconds);
    expect(deadline).toBeGreaterThanOrEqual(Number(boundary.config.timeout_seconds));
  });

  it("keeps the PBX's worst case (every 3CX caller's instances, each with a full XAPI pool) within the budget", () => {
    // 3CX callers are the functions given the XAPI client secret.
    const pbxCallers = functions.filter((f) =>
      f.config.secret_environment_variables.some((s) => s.key === SECRET_ENV.threecxClientSecret),
    );
    expect(pbxCallers.map((f) => f.name).sort()).toEqual(
      Object.entries(FUNCTION_SIZING)
        .filter(([, row]) => row.callsPbx)
        .map(([key]) => FUNCTIONS[key as keyof typeof FUNCTIONS].name)
        .sort(),
    );
    const { maxInFlight } = loadSettings({ env: {} }).threecx;
    const worst = pbxRequestsInFlight(
      pbxCallers.map((f) => ({
        maxInstances: Number(f.config.max_instance_count),
        concurrency: Number(f.config.max_instance_request_concurrency),
      })),
      maxInFlight,
    );
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(PBX_XAPI_IN_FLIGHT_BUDGET);
  });

  it("lets the presence worker keep up with the first decisions the calendar channel set-up queues", () => {
    // One decision a second per user the set-up reaches (about a second each: a token, the
    // calendar, the PBX): the worker must serve that many at once, or the queue turns into 429s.
    const worker = functions.find((f) => f.name === FUNCTIONS.presenceWorker.name);
    expect(worker && capacity(worker)).toBeGreaterThanOrEqual(CALENDAR_CHANNEL_CALLS_PER_SECOND);
    // The set-up's own pace leaves most of Calendar's per-project quota to the reads.
    expect(CALENDAR_CHANNEL_CALLS_PER_SECOND * 60).toBeLessThanOrEqual(
      GOOGLE_LIMITS.calendarRequestsPerMinutePerProject / 2,
    );
  });
});

describe("infra: threecx.maxInFlight against the PBX budget", () => {
  it("accepts the default and refuses more than the cloud deployment may multiply, naming the setting and value", () => {
    const { maxInFlight } = loadSettings({ env: {} }).threecx;
    expect(() => assertPbxBudget(FUNCTION_SIZING, maxInFlight)).not.toThrow();
    expect(() => assertPbxBudget(FUNCTION_SIZING, maxInFlight + 1)).toThrow(
      new RegExp(`threecx\\.maxInFlight[\\s\\S]*= ${maxInFlight + 1}:[\\s\\S]*at most ${maxInFlight}`),
    );
  });

  it("refuses it when synthesizing from the settings, before anything is built", () => {
    const settings = loadSettings({ env: { GW3CX_3CX_MAX_IN_FLIGHT: "32" } });
    expect(() =>
      synthesizeSettings(settings, {
        outdir: join(tmpdir(), "gw3cx-never-written"),
        functionSourceDir: "/nowhere",
      }),
    ).toThrow(/threecx\.maxInFlight \(settings\) = 32: at most \d+ for a cloud deployment/);
  });
});
