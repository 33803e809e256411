import type { UserSyncPlan } from "../../domain/user-sync/user-sync-plan.js";
import type { PbxUserFields } from "../../domain/user-sync/user-sync-types.js";
import type { Runtime } from "../../runtime/embedded-runtime.js";
import { syncAllUsers } from "../../usecases/user-sync/sync-all-users.js";
import { toPbxUser } from "../../usecases/user-sync/to-sync-users.js";
import { type GlobalOptions, openRuntime, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { type CurrentPbxFields, renderPlan } from "../render/plan-tables.js";
import { renderRunErrors } from "../render/run-errors.js";
import { describeCounts } from "../render/run-summary.js";

/** `gw3cx plan`: what a sync would do now, applying nothing (the run is recorded as "planned"). */
export async function runPlan(global: GlobalOptions, options: { json: boolean }): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const logger = createCliLogger({ verbose: global.verbose, level: cli.settings.logLevel });
  const runtime = await openRuntime(cli, global.state, logger);
  try {
    const { run, plan } = await syncAllUsers(runtime.userSync, runtime.config, {
      trigger: "manual",
      dryRun: true,
    });
    if (!plan) {
      if (options.json) output.json(run);
      output.err(renderRunErrors(run));
      return EXIT.failed;
    }
    if (options.json) {
      output.json({ runId: run.runId, ...plan });
      return EXIT.ok;
    }
    output.out(renderPlan(plan, await currentFieldsOf(runtime, plan)));
    output.out(
      `\nPlan ${run.runId}: ${describeCounts(run.counts, true)}.\nNothing was applied; \`gw3cx sync\` applies it.`,
    );
    // A plan is still worth reading before switching user sync on; say that nothing would apply it.
    if (!runtime.config.syncUsers)
      output.out(
        "User sync is off (syncUsers: false): neither `gw3cx sync` nor the nightly run applies anything until it is on.",
      );
    return EXIT.ok;
  } finally {
    await runtime.close();
  }
}

/** The changed users' current 3CX values, so a change reads "old -> new"; one extra read, only if needed. */
async function currentFieldsOf(runtime: Runtime, plan: UserSyncPlan): Promise<CurrentPbxFields> {
  const wanted = new Set([...plan.updates, ...plan.adoptions].map((u) => u.threecxId));
  if (wanted.size === 0) return new Map();
  const users = await runtime.userSync.threecx.listUsers();
  return new Map(
    users
      .filter((u) => wanted.has(u.Id))
      .map(toPbxUser)
      .map((u): [number, PbxUserFields] => [u.id, u]),
  );
}
