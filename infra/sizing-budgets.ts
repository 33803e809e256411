import { ConfigError } from "../shared/config/config-error.js";
import type { FunctionSizing } from "./function-sizing.js";
import type { FunctionKey } from "./functions.js";

/**
 * The most XAPI requests gw3cx may have in flight at the PBX at once, over every deployed function.
 * Eight processes' worth at the default threecx.maxInFlight (8): the bench's one process at 8 in
 * flight already drives about 300 requests a second (BENCHMARKS.md, 3CX XAPI client), far more
 * than real time needs, and 3CX publishes no capacity of its own to go by. Cloud Run can briefly
 * run a few more instances than maxInstances during a surge, so this is the planned bound, not a
 * hard one.
 */
export const PBX_XAPI_IN_FLIGHT_BUDGET = 64;

/** Limits Google documents, which the sizing is checked against (reference/google/ and the docs). */
export const GOOGLE_LIMITS = {
  /** A push subscription's longest ack deadline: past it Pub/Sub redelivers while the worker runs. */
  pubsubMaxAckDeadlineSeconds: 600,
  /** Cloud Tasks: dispatches per second per queue. */
  cloudTasksMaxDispatchesPerSecond: 500,
  /** Calendar API requests per minute per project (and 600 per user, charged per calendar owner). */
  calendarRequestsPerMinutePerProject: 10_000,
  /** Directory API queries per minute per user per project: gw3cx charges all of them to google.adminSubject. */
  directoryQueriesPerMinutePerUser: 2_400,
} as const;

type Scale = Pick<FunctionSizing, "maxInstances" | "concurrency">;

/**
 * The worst case at the PBX: every instance of every PBX-calling function with its XAPI pool full.
 * Concurrency does not multiply it: the pool is per process (one client per instance), shared by
 * the instance's concurrent requests. The token request gets a connection of its own beside the
 * pool, but the token is shared through the state store, so it is rare and not counted.
 */
export function pbxRequestsInFlight(pbxCallers: readonly Scale[], maxInFlight: number): number {
  return pbxCallers.reduce((sum, fn) => sum + fn.maxInstances * maxInFlight, 0);
}

/** Requests in progress at once over these functions (each instance serving `concurrency`). */
export function requestsAtOnce(functions: readonly Scale[]): number {
  return functions.reduce((sum, fn) => sum + fn.maxInstances * fn.concurrency, 0);
}

/** The deployed functions that call 3CX, from the sizing table. */
export function pbxCallersOf(sizing: Record<FunctionKey, FunctionSizing>): FunctionSizing[] {
  return Object.values(sizing).filter((fn) => fn.callsPbx);
}

/**
 * Refuses a threecx.maxInFlight that would let the deployed functions put more than the budget on
 * the PBX at once. The single machine (`npm start`) is one process, so the setting's full range
 * stays open there; only the cloud, where it is multiplied by the instances, is held to the budget.
 */
export function assertPbxBudget(sizing: Record<FunctionKey, FunctionSizing>, maxInFlight: number): void {
  const callers = pbxCallersOf(sizing);
  const worst = pbxRequestsInFlight(callers, maxInFlight);
  if (worst <= PBX_XAPI_IN_FLIGHT_BUDGET) return;
  const instances = callers.reduce((sum, fn) => sum + fn.maxInstances, 0);
  throw new ConfigError("CONFIG_INVALID", [
    {
      setting: "threecx.maxInFlight",
      source: "settings",
      value: String(maxInFlight),
      allowed: `at most ${Math.floor(PBX_XAPI_IN_FLIGHT_BUDGET / instances)} for a cloud deployment: up to ${instances} function instances call 3CX, each with this many XAPI requests in flight, ${worst} at once, over the ${PBX_XAPI_IN_FLIGHT_BUDGET} the PBX is planned for (the single machine, one process, takes up to 64)`,
    },
  ]);
}
