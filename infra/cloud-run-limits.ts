/**
 * What Cloud Run (which runs every gen2 function) accepts for one instance's memory, vCPU and
 * concurrency, from Google's pages "Configure CPU limits for services" and "Configure memory
 * limits" (Cloud Run) and "Configure memory and vCPU limits" (Cloud Run functions), as read in 2026:
 * - vCPU from 0.08 to 8; below 1 any value in steps of 0.001, above 1 whole numbers only.
 * - Below 1 vCPU: concurrency must be 1; memory over 512 MiB needs at least 0.5 vCPU, over 1 GiB
 *   at least 1 vCPU.
 * - Memory over 4 GiB needs at least 2 vCPU, over 8 GiB 4, over 16 GiB 6, over 24 GiB 8; 4 vCPU
 *   need at least 2 GiB, 6 and 8 vCPU at least 4 GiB (one copy of the page says 3 GiB for 6).
 * - Memory up to 32 GiB, from 128 MiB; the functions' own table says "128MB" and their API's
 *   default is "256M" (decimal), so 128M (122 MiB) is taken as the floor.
 * Not verified: whether 3, 5 or 7 vCPU are accepted (the tables list 1, 2, 4, 6 and 8 only), so
 * they are refused here; gw3cx uses no more than 1.
 */

const MIB = 1024 * 1024;
/** Units the Cloud Functions API takes for availableMemory: k, M, G decimal, Ki, Mi, Gi binary. */
const UNIT_BYTES: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 1024,
  Mi: MIB,
  Gi: 1024 * MIB,
};

/** "512M" -> MiB (488.28...), or undefined for a value Cloud Functions would not parse. */
export function memoryMiB(memory: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(k|M|G|Ki|Mi|Gi)?$/.exec(memory);
  if (!match) return undefined;
  const [, amount, unit = ""] = match as unknown as [string, string, string | undefined];
  const bytes = UNIT_BYTES[unit];
  return bytes === undefined ? undefined : (Number(amount) * bytes) / MIB;
}

/** 128M, decimal as the Cloud Functions API reads it. */
const MIN_MEMORY_MIB = 128e6 / MIB;
const WHOLE_VCPUS = new Set([1, 2, 4, 6, 8]);
/** Memory (MiB) above which more vCPU is needed, and how many. */
const VCPU_FOR_MEMORY: ReadonlyArray<[overMiB: number, vcpu: number]> = [
  [24 * 1024, 8],
  [16 * 1024, 6],
  [8 * 1024, 4],
  [4 * 1024, 2],
  [1024, 1],
  [512, 0.5],
];
/** The least memory (MiB) a whole number of vCPU needs. */
const MEMORY_FOR_VCPU: Readonly<Record<number, number>> = { 4: 2048, 6: 4096, 8: 4096 };

/**
 * Why Cloud Run would refuse this combination, or undefined if it accepts it. Input as the stack
 * writes it: memory "256M", cpu "0.167".
 */
export function instanceShapeProblem(shape: {
  memory: string;
  cpu: string;
  concurrency: number;
}): string | undefined {
  const { memory, cpu, concurrency } = shape;
  const mib = memoryMiB(memory);
  if (mib === undefined)
    return `memory ${JSON.stringify(memory)} is not a size Cloud Functions reads (e.g. 256M, 1Gi)`;
  if (mib < MIN_MEMORY_MIB || mib > 32 * 1024) return `memory ${memory} is outside 128M to 32 GiB`;
  const vcpu = Number(cpu);
  if (!/^\d+(\.\d+)?$/.test(cpu) || vcpu < 0.08 || vcpu > 8)
    return `cpu ${JSON.stringify(cpu)} is not a vCPU count from 0.08 to 8`;
  if (vcpu < 1) {
    if (!Number.isInteger(Math.round(vcpu * 1e6) / 1e3)) return `cpu ${cpu}: below 1, steps of 0.001 only`;
    if (concurrency !== 1) return `concurrency ${concurrency} needs at least 1 vCPU (cpu is ${cpu})`;
  } else if (!WHOLE_VCPUS.has(vcpu)) return `cpu ${cpu}: above 1, only 1, 2, 4, 6 or 8`;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000)
    return `concurrency ${concurrency} is not a whole number from 1 to 1000`;
  const needed = VCPU_FOR_MEMORY.find(([overMiB]) => mib > overMiB)?.[1];
  if (needed !== undefined && vcpu < needed)
    return `memory ${memory} needs at least ${needed} vCPU (cpu is ${cpu})`;
  const least = MEMORY_FOR_VCPU[vcpu];
  if (least !== undefined && mib < least)
    return `cpu ${cpu} needs at least ${least} MiB of memory (memory is ${memory})`;
  return undefined;
}
