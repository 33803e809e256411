import { createHash } from "node:crypto";
import { assertWakeUp, type BoundaryWakeUp } from "../../ports/boundary-scheduler.js";

/**
 * How many times a wake-up cancelled and then asked for again gets a fresh task. Cloud Tasks keeps
 * a deleted task's name reserved (about an hour, up to 9 days), so the same name cannot be created
 * again; a later generation takes its place. Past this the reconcile tick repairs the boundary.
 */
export const MAX_GENERATIONS = 4;

/** Task ids allow letters, digits, hyphens and underscores, at most 500 characters. */
const TASK_ID = /^[A-Za-z0-9_-]{1,500}$/;

/**
 * The task id of a wake-up: the same (user, instant, generation) always gives the same id, so
 * every scheduler asking for it names the same task and Cloud Tasks creates it once. A hash
 * leads the id (Cloud Tasks advises against sequential prefixes such as timestamps, which slow it
 * down); the instant follows for people reading the queue. The user id stays out of it: task
 * names appear in logs and consoles.
 */
export function boundaryTaskId(wakeUp: BoundaryWakeUp, generation = 0): string {
  assertWakeUp(wakeUp);
  const hash = createHash("sha256").update(`${wakeUp.googleUserId}\u0000${wakeUp.at}`).digest("hex");
  const id = `${hash.slice(0, 32)}-${wakeUp.at}${generation > 0 ? `-g${generation}` : ""}`;
  if (!TASK_ID.test(id)) throw new Error(`internal: task id ${id} is not a valid Cloud Tasks id`);
  return id;
}
