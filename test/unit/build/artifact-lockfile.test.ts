import { describe, expect, it } from "vitest";
import { ArtifactLockError, artifactLockfile, type PackageLock } from "../../../scripts/artifact-lockfile.js";

/** A project lockfile with a nested copy, a dev-only package, an optional and a peer dependency. */
const project: PackageLock = {
  name: "gw3cx",
  lockfileVersion: 3,
  requires: true,
  packages: {
    "": { name: "gw3cx", dependencies: { a: "1.0.0" }, devDependencies: { vitest: "4" } },
    "node_modules/a": {
      version: "1.0.0",
      dependencies: { b: "^2", c: "^1" },
      optionalDependencies: { d: "1" },
    },
    "node_modules/a/node_modules/b": { version: "2.5.0", dependencies: { c: "^1" } },
    "node_modules/b": { version: "3.0.0", dev: true },
    "node_modules/c": {
      version: "1.2.0",
      dev: true,
      peerDependencies: { e: "1", f: "1" },
      peerDependenciesMeta: { f: { optional: true } },
    },
    "node_modules/e": { version: "1.0.1" },
    "node_modules/vitest": { version: "4.1.12", dev: true },
  },
};

describe("artifactLockfile", () => {
  it("keeps exactly the packages Node would load from the artifact's dependencies, at their paths", () => {
    const lock = artifactLockfile(project, "gw3cx-fn", { a: "1.0.0" });
    expect(Object.keys(lock.packages).sort()).toEqual([
      "",
      "node_modules/a",
      "node_modules/a/node_modules/b",
      "node_modules/c",
      "node_modules/e",
    ]);
    expect(lock.packages[""]).toEqual({ name: "gw3cx-fn", dependencies: { a: "1.0.0" } });
    expect(lock.packages["node_modules/a/node_modules/b"]?.version).toBe("2.5.0");
  });

  it("marks nothing dev: every package it keeps is a production dependency of the artifact", () => {
    const lock = artifactLockfile(project, "gw3cx-fn", { a: "1.0.0" });
    expect(lock.packages["node_modules/c"]).not.toHaveProperty("dev");
    expect(lock.lockfileVersion).toBe(3);
  });

  it("refuses a dependency the project never installed", () => {
    expect(() => artifactLockfile(project, "gw3cx-fn", { missing: "1.0.0" })).toThrow(ArtifactLockError);
    expect(() => artifactLockfile(project, "gw3cx-fn", { missing: "1.0.0" })).toThrow(/missing/);
  });
});
