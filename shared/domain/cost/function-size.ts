import { Gw3cxError } from "../../errors.js";

/** The functions the usage model knows; their sizes come from the deployment (infra/function-sizing.ts). */
export const COSTED_FUNCTIONS = [
  "directoryWebhook",
  "userSyncWorker",
  "dailySync",
  "presenceWorker",
  "presenceBoundary",
  "statusPage",
  "recaptchaVerify",
  "contactsWorker",
  "transcriptionWorker",
] as const;

export type CostedFunction = (typeof COSTED_FUNCTIONS)[number];

/** A function's size as the deployment states it: memory "256M" / "1G", cpu "0.333". */
export interface DeclaredSize {
  memory: string;
  cpu: string;
}

/** What billing multiplies the seconds by. */
export interface BilledSize {
  memoryGiB: number;
  vcpu: number;
}

const MEMORY = /^(\d+(?:\.\d+)?)(Mi?|Gi?)$/;

/**
 * "512M" as GiB. Cloud Functions' "M" and "G" are binary units (a "256M" function is billed as a
 * quarter GiB), so both spellings are read as MiB and GiB.
 */
export function memoryGiB(memory: string, owner: string): number {
  const match = MEMORY.exec(memory);
  if (!match) {
    throw new Gw3cxError(
      "INVALID_ARGUMENT",
      `${owner}.memory ${JSON.stringify(memory)} is not a size like "256M" or "1G"`,
    );
  }
  const amount = Number(match[1]);
  return match[2]?.startsWith("G") ? amount : amount / 1024;
}

export function vcpu(cpu: string, owner: string): number {
  const value = Number(cpu);
  if (cpu.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new Gw3cxError("INVALID_ARGUMENT", `${owner}.cpu ${JSON.stringify(cpu)} is not a positive number`);
  }
  return value;
}

export function billedSizes(
  declared: Readonly<Record<CostedFunction, DeclaredSize>>,
): Record<CostedFunction, BilledSize> {
  const sizes = {} as Record<CostedFunction, BilledSize>;
  for (const name of COSTED_FUNCTIONS) {
    const size = declared[name];
    sizes[name] = { memoryGiB: memoryGiB(size.memory, name), vcpu: vcpu(size.cpu, name) };
  }
  return sizes;
}
