import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FUNCTIONS } from "../../infra/functions.js";

/**
 * Empty stand-ins for `npm run build`'s artifacts under ROOT/functions, so `synthesize()` (which
 * refuses a missing artifact) runs in a unit test without building; returns that folder.
 */
export function placeholderFunctionArtifacts(root: string): string {
  const sources = join(root, "functions");
  for (const { build } of Object.values(FUNCTIONS)) {
    mkdirSync(join(sources, build), { recursive: true });
    for (const file of ["index.mjs", "package.json", "package-lock.json"])
      writeFileSync(join(sources, build, file), "{}");
  }
  return sources;
}
