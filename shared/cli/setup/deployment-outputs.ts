import { existsSync, readFileSync } from "node:fs";
import { Gw3cxError } from "../../errors.js";

/** A delegating account of the deployment and the numeric client id the Admin console takes. */
export interface DelegatingAccount {
  account: string;
  clientId: string;
}

/** What `gw3cx setup` and `gw3cx doctor` read from a deployment's Terraform outputs. */
export interface DeploymentOutputs {
  /** The file they were read from. */
  source: string;
  delegatingAccounts: DelegatingAccount[];
  statusPageUrl?: string;
  directoryWebhookUrl?: string;
  recaptchaSiteKey?: string;
}

/** Where `cdktf deploy` keeps its state with the default local backend (outputs included). */
export const CDKTF_LOCAL_STATE = "terraform.gw3cx.tfstate";

/**
 * The outputs from FILE, or from the local cdktf state when no file is given and it exists;
 * undefined when there is none (not deployed from here). Three shapes are read: `terraform output
 * -json` ({name: {value}}), a state file ({outputs: {name: {value}}}) and `cdktf deploy
 * --outputs-file` ({gw3cx: {name: value}}).
 */
export function readDeploymentOutputs(file: string | undefined): DeploymentOutputs | undefined {
  const path = file ?? (existsSync(CDKTF_LOCAL_STATE) ? CDKTF_LOCAL_STATE : undefined);
  if (path === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new Gw3cxError(
      "OUTPUTS_UNREADABLE",
      `--outputs ${path}: not a readable JSON file of Terraform outputs`,
      {
        cause,
      },
    );
  }
  const values = outputValues(parsed);
  const accounts = values.delegation_client_ids;
  if (!Array.isArray(accounts)) {
    throw new Gw3cxError(
      "OUTPUTS_UNREADABLE",
      `--outputs ${path}: no delegation_client_ids output (expected \`terraform output -json\` of the gw3cx stack)`,
    );
  }
  return {
    source: path,
    delegatingAccounts: accounts.flatMap((entry) => {
      const record = entry as { account?: unknown; clientId?: unknown };
      return typeof record.account === "string" && record.clientId !== undefined
        ? [{ account: record.account, clientId: String(record.clientId) }]
        : [];
    }),
    ...optionalString("statusPageUrl", values.status_page_url),
    ...optionalString("directoryWebhookUrl", values.directory_webhook_url),
    ...optionalString("recaptchaSiteKey", values.recaptcha_site_key),
  };
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === "string" ? ({ [key]: value } as Record<K, string>) : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The output values by name, whichever of the three shapes the file has. */
function outputValues(parsed: unknown): Record<string, unknown> {
  if (!isRecord(parsed)) return {};
  const wrapped = isRecord(parsed.outputs) ? parsed.outputs : isRecord(parsed.gw3cx) ? parsed.gw3cx : parsed;
  return Object.fromEntries(
    Object.entries(wrapped).map(([name, output]) => [
      name,
      isRecord(output) && "value" in output ? output.value : output,
    ]),
  );
}
