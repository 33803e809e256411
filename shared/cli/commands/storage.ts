import { ConfigError } from "../../config/config-error.js";
import { createArchiverKeyAdapters, storageConfigFrom } from "../../runtime/storage-config.js";
import { configureStorage } from "../../usecases/storage/configure-storage.js";
import type { InstalledArchiverKey } from "../../usecases/storage/install-archiver-key.js";
import { rotateArchiverKey } from "../../usecases/storage/rotate-archiver-key.js";
import { type GlobalOptions, openRuntime, resolveCliSettings } from "../cli-context.js";
import { createCliLogger } from "../cli-logger.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderStoragePlan } from "../render/storage-tables.js";

export interface StorageOptions {
  json: boolean;
  replace: boolean;
}

/** The key as a report shows it: ids and names only, never its contents. */
const keyReport = (key: InstalledArchiverKey) => ({
  keyId: key.keyId,
  secretVersion: key.secretVersion,
  retired: key.retired,
  notRetired: key.notRetired,
});

function keyLines(key: InstalledArchiverKey): string {
  const lines = [
    `New archiver key ${key.keyId} written into 3CX and kept as ${key.secretVersion}.`,
    `Retired: ${key.retired.keyIds.length} older key(s), ${key.retired.secretVersions.length} older secret version(s) disabled.`,
  ];
  if (key.notRetired.length > 0) {
    lines.push(
      `Still active (3CX works with the new key; run \`gw3cx storage rotate-key\` again or remove them by hand):`,
      ...key.notRetired.map((line) => `  ${line}`),
    );
  }
  return lines.join("\n");
}

/**
 * `gw3cx storage plan|apply`: 3CX's remote archiving pointed at the bucket (with the archiver key)
 * and 3CX's own voicemail transcription. Exit 0 when everything wanted is (or already was) in
 * place, 1 when a problem kept part of it back or an older key could not be retired.
 */
export async function runStorage(
  global: GlobalOptions,
  mode: "plan" | "apply",
  options: StorageOptions,
): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const config = storageConfigFrom(cli.settings);
  const logger = createCliLogger({ verbose: global.verbose, level: cli.settings.logLevel });
  const runtime = await openRuntime(cli, global.state, logger);
  const keyAdapters = config.archiving
    ? await createArchiverKeyAdapters(cli.settings, config.archiving.projectId, cli.env)
    : undefined;
  try {
    const { plan, applied, key } = await configureStorage(
      {
        threecx: runtime.threecx,
        keys: keyAdapters?.keys ?? unused("keys"),
        secrets: keyAdapters?.secrets ?? unused("secrets"),
        logger,
      },
      config,
      { dryRun: mode === "plan", replace: options.replace },
    );
    if (options.json) {
      output.json({ mode, replace: options.replace, ...plan, applied, key: key ? keyReport(key) : null });
    } else {
      output.out(renderStoragePlan(plan));
      const writes = plan.items.filter((item) => item.write).length;
      output.out(
        mode === "plan"
          ? `\n${writes} settings to write. Nothing was applied; \`gw3cx storage apply\` applies it.`
          : `\n${applied.length} settings written.`,
      );
      if (key) output.out(keyLines(key));
    }
    const incomplete = plan.problems.length > 0 || (key?.notRetired.length ?? 0) > 0;
    return mode === "apply" && incomplete ? EXIT.failed : EXIT.ok;
  } finally {
    await keyAdapters?.close();
    await runtime.close();
  }
}

/** `gw3cx storage rotate-key`: a new archiver key into 3CX, the older ones retired. */
export async function runRotateKey(global: GlobalOptions, options: { json: boolean }): Promise<ExitCode> {
  const cli = await resolveCliSettings(global);
  const config = storageConfigFrom(cli.settings);
  if (!config.archiving?.bucket) {
    throw new ConfigError("CONFIG_INVALID", [
      {
        setting: config.archiving ? "storage.bucket" : "storage.remoteArchiving",
        source: "default",
        value: config.archiving ? "(missing)" : "false",
        allowed: config.archiving
          ? "the archive bucket (Terraform output archive_bucket)"
          : "true: there is an archiver key only when 3CX archives to the bucket",
      },
    ]);
  }
  const logger = createCliLogger({ verbose: global.verbose, level: cli.settings.logLevel });
  const runtime = await openRuntime(cli, global.state, logger);
  const keyAdapters = await createArchiverKeyAdapters(cli.settings, config.archiving.projectId, cli.env);
  try {
    const key = await rotateArchiverKey(
      { threecx: runtime.threecx, keys: keyAdapters.keys, secrets: keyAdapters.secrets, logger },
      { projectId: config.archiving.projectId, bucket: config.archiving.bucket },
    );
    if (options.json) output.json(keyReport(key));
    else output.out(keyLines(key));
    return key.notRetired.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await keyAdapters.close();
    await runtime.close();
  }
}

/** A port the run never reaches (remote archiving off): calling it is a bug, said plainly. */
function unused<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: () => () => Promise.reject(new Error(`${what} used with storage.remoteArchiving off`)),
  });
}
