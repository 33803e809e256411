import { FUNCTION_SIZING } from "../../../infra/function-sizing.js";
import { FUNCTIONS, type FunctionKey } from "../../../infra/functions.js";
import { loadSettings } from "../../config/load-settings.js";
import type { Settings } from "../../config/schema.js";
import { type CostAssumptions, DEFAULT_ASSUMPTIONS } from "../../domain/cost/assumptions.js";
import { type CostEstimate, estimateMonthlyCost } from "../../domain/cost/estimate-cost.js";
import type { CostFeatures } from "../../domain/cost/usage-model.js";
import type { GlobalOptions } from "../cli-context.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { output } from "../output.js";
import { renderCostEstimate } from "../render/cost-table.js";

export interface CostOptions {
  users: number;
  calendarChangesPerUserDay?: number;
  recordingMinutes?: number;
  json: boolean;
}

/**
 * `gw3cx cost`: what the deployment costs per month for this many users with the features the
 * settings switch on. Reads the settings only; no tenant, Google or 3CX is contacted.
 */
export async function runCost(global: GlobalOptions, options: CostOptions): Promise<ExitCode> {
  const settings = loadSettings({
    env: { ...process.env, ...(global.config ? { GW3CX_CONFIG: global.config } : {}) },
  });
  const assumptions: CostAssumptions = {
    ...DEFAULT_ASSUMPTIONS,
    ...(options.calendarChangesPerUserDay === undefined
      ? {}
      : { calendarChangesPerUserDay: options.calendarChangesPerUserDay }),
    ...(options.recordingMinutes === undefined ? {} : { recordingMinutes: options.recordingMinutes }),
  };
  const estimate = estimateForDeployment(options.users, costFeaturesOf(settings), assumptions);
  if (options.json) output.json({ ...estimate, parameters: assumptions });
  else output.out(renderCostEstimate(estimate));
  return EXIT.ok;
}

/** The estimate at the sizes the stack deploys (infra/function-sizing.ts), under the functions' names. */
export function estimateForDeployment(
  users: number,
  features: CostFeatures,
  assumptions: CostAssumptions,
): CostEstimate {
  const functionNames: Partial<Record<FunctionKey, string>> = {};
  for (const [key, fn] of Object.entries(FUNCTIONS)) functionNames[key as FunctionKey] = fn.name;
  return estimateMonthlyCost({ users, features, assumptions, functionSizes: FUNCTION_SIZING, functionNames });
}

export function costFeaturesOf(settings: Settings): CostFeatures {
  return {
    calendarPresence: settings.calendarPresence,
    syncPersonalContacts: settings.syncPersonalContacts,
    transcription: settings.transcription.enabled,
    remoteArchiving: settings.storage.remoteArchiving,
    digest: settings.mail.digest,
    recaptcha: settings.recaptcha.enabled,
  };
}
