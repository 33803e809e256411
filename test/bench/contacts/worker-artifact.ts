/**
 * The deployable gw3cx-contacts-worker, measured as Cloud Run runs it: the artifact `npm run build`
 * makes, installed from its own lockfile (`npm ci --omit=dev`), started by the Functions Framework
 * CLI in a process of its own, on Firestore (the emulator stand-in) and the simulators; one Pub/Sub
 * push message for one user. The figures are that process's: its VmHWM (peak RSS) once it serves,
 * before the message, and after it, and the message's wall time (the push request to its answer).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Firestore } from "@google-cloud/firestore";
import { FUNCTIONS } from "../../../infra/gw3cx-stack.js";
import { buildFunctions } from "../../../scripts/build-functions.js";
import { FirestoreStateStore } from "../../../shared/adapters/firestore/firestore-state-store.js";
import { InProcessBus } from "../../../shared/adapters/memory/in-process-bus.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { createLogger } from "../../../shared/logging/logger.js";
import { TOPICS } from "../../../shared/messaging/topics.js";
import { createEmbeddedRuntime } from "../../../shared/runtime/embedded-runtime.js";
import type { DemoSimulators } from "../../../shared/simulators/demo/start-demo-simulators.js";
import { ContactRunStore } from "../../../shared/usecases/contacts/contact-run-store.js";
import { startContactRun } from "../../../shared/usecases/contacts/start-contact-run.js";
import { syncAllUsers } from "../../../shared/usecases/user-sync/sync-all-users.js";
import { startFirestoreStandIn } from "../../standins/firestore.js";
import { installArtifact, serveArtifact } from "../../support/deployed/function-artifact.js";
import { stderrDestination } from "../user-sync/fixtures.js";

const PROJECT = "gw3cx-bench";

export interface WorkerArtifactResult {
  /** VmHWM once the framework serves (bundle loaded), before any message. */
  hwmBeforeMb: number;
  /** VmHWM after the one message: the process's peak over its life. */
  hwmAfterMb: number;
  /** RSS right after the message. */
  rssAfterMb: number;
  wallMs: number;
  httpStatus: number;
  runStatus: string;
  created: number;
  /** The bundle's size, for the record. */
  bundleKib: number;
}

/** A process's memory line from /proc (kB), in MB. */
function procStatusMb(pid: number, field: "VmHWM" | "VmRSS"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.replace(/\D+/g, "")) / 1024 : Number.NaN;
}

/**
 * Builds and installs the artifact, links the users and opens a nightly run (as daily-sync does)
 * without latency, then turns `latencyMs` on and delivers one push message for `email`.
 */
export async function measureWorkerArtifact(
  demo: DemoSimulators,
  dir: string,
  settingsOver: Record<string, unknown>,
  email: string,
  latencyMs: number,
  options: { nodeOptions?: string; reuseInstalled?: boolean } = {},
): Promise<WorkerArtifactResult> {
  const root = process.cwd();
  const firestore = await startFirestoreStandIn();
  try {
    const [host, port] = firestore.host.split(":") as [string, string];
    const base = { ...demo.settings, ...settingsOver, gcp: { projectId: PROJECT } };
    const settings = loadSettings({ env: { ...demo.env }, base });
    const logger = createLogger(
      { component: "gw3cx-bench" },
      { level: "error", destination: stderrDestination },
    );
    const firestoreState = () =>
      new FirestoreStateStore(
        new Firestore({
          projectId: PROJECT,
          host,
          port: Number(port),
          ssl: false,
          ignoreUndefinedProperties: true,
        }),
      );
    const runtime = await createEmbeddedRuntime(settings, logger, {
      state: firestoreState(),
      bus: new InProcessBus(),
      env: demo.env,
    });
    let runId: string;
    let googleUserId: string;
    try {
      const linked = await syncAllUsers(runtime.userSync, runtime.config, { trigger: "manual" });
      if (linked.run.status !== "applied") throw new Error(`user sync ${linked.run.status}`);
      const started = await startContactRun(runtime.contacts, runtime.contactsConfig, { trigger: "daily" });
      const user = started.users.find((u) => u.email === email);
      if (started.run.status !== "running" || !user) throw new Error(`no contacts run for ${email}`);
      runId = started.run.runId;
      googleUserId = user.googleId;
    } finally {
      await runtime.close();
    }

    const dist = join(dir, "dist");
    const artifact = FUNCTIONS.contactsWorker;
    const installed = join(dir, "installed", artifact.build);
    if (!(options.reuseInstalled && existsSync(join(installed, "node_modules")))) {
      await buildFunctions(root, dist);
      await installArtifact(join(dist, artifact.build), installed);
    }
    const settingsFile = join(dir, "worker-settings.json");
    writeFileSync(settingsFile, JSON.stringify({ ...base, embedded: undefined }));
    const worker = await serveArtifact(installed, {
      target: artifact.entryPoint,
      signatureType: "cloudevent",
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        NODE_ENV: "production",
        METADATA_SERVER_DETECTION: "none",
        K_SERVICE: artifact.name,
        FUNCTION_TARGET: artifact.entryPoint,
        FIRESTORE_EMULATOR_HOST: firestore.host,
        // Nothing is published for a good message; a dead letter would fail here rather than leave loopback.
        PUBSUB_EMULATOR_HOST: "127.0.0.1:9",
        GW3CX_CONFIG: settingsFile,
        ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
        ...demo.env,
      },
    });
    try {
      const hwmBeforeMb = procStatusMb(worker.pid, "VmHWM");
      demo.google.addFault({ operation: "*", latencyMs });
      demo.threecx.faults.add({ latencyMs });
      const started = performance.now();
      const response = await fetch(worker.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          subscription: `projects/${PROJECT}/subscriptions/${TOPICS.contactsRequests}-contacts-worker`,
          deliveryAttempt: 1,
          message: {
            data: Buffer.from(JSON.stringify({ runId, googleUserId })).toString("base64"),
            attributes: {},
            messageId: "bench-1",
            publishTime: new Date().toISOString(),
          },
        }),
      });
      await response.arrayBuffer();
      const wallMs = performance.now() - started;
      const hwmAfterMb = procStatusMb(worker.pid, "VmHWM");
      const rssAfterMb = procStatusMb(worker.pid, "VmRSS");
      demo.google.clearFaults();
      demo.threecx.faults.clear();
      if (response.status >= 300) process.stderr.write(worker.output());
      const state = firestoreState();
      const run = await new ContactRunStore(state).get(runId).finally(() => state.close());
      return {
        hwmBeforeMb,
        hwmAfterMb,
        rssAfterMb,
        wallMs,
        httpStatus: response.status,
        runStatus: run?.status ?? "missing",
        created: run?.contacts.created ?? 0,
        bundleKib: readFileSync(join(installed, "index.mjs")).length / 1024,
      };
    } finally {
      await worker.stop();
    }
  } finally {
    await firestore.stop();
  }
}
