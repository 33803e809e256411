import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const binary = join(here, "tf-validate", "bin", "tf-validate");

export interface TerraformProblem {
  where: string;
  message: string;
}

/** Builds tf-validate on first use (needs Debian's golang-go and golang-github-hashicorp-hcl-v2-dev). */
export function ensureTfValidateBuilt(): string {
  if (!existsSync(binary)) execFileSync("bash", [join(here, "tf-validate", "build.sh")], { stdio: "pipe" });
  return binary;
}

/** Why tf-validate cannot be built here, or undefined when it can (or already is). */
export function tfValidateUnavailable(): string | undefined {
  if (existsSync(binary)) return undefined;
  try {
    ensureTfValidateBuilt();
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || String(error);
  }
}

/** Loads a folder of *.tf.json as Terraform and OpenTofu do, offline; the problems they would refuse. */
export function validateTerraformJson(dir: string): TerraformProblem[] {
  const result = spawnSync(ensureTfValidateBuilt(), [dir], { encoding: "utf8" });
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`tf-validate ${dir} exited ${result.status}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { problems: TerraformProblem[] }).problems;
}
