/**
 * The lockfile of one function artifact: the part of the project's package-lock.json that the
 * artifact's own dependencies reach, so the cloud build (`npm ci`) installs exactly the versions the
 * tests ran with. Node resolves a dependency from the requiring package's folder upwards; the
 * project lockfile already records where each resolved copy lives, so walking that resolution from
 * the artifact's dependencies yields a consistent, smaller tree with the same paths.
 */

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  [key: string]: unknown;
}

export interface PackageLock {
  name?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** Where Node finds `name` when required from the package installed at `from` ("" is the root). */
function resolveFrom(packages: PackageLock["packages"], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut < 0 ? "" : base.slice(0, cut);
  }
}

export class ArtifactLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArtifactLockError";
  }
}

/**
 * A lockfile (v3) for a package named `name` with `dependencies` (exact versions taken from the
 * project lockfile). Throws when a dependency is missing there: the artifact would not be what
 * the tests ran.
 */
export function artifactLockfile(
  projectLock: PackageLock,
  name: string,
  dependencies: Record<string, string>,
): PackageLock {
  const { packages } = projectLock;
  const reached = new Set<string>();
  const pending: Array<{ from: string; dep: string; optional: boolean }> = Object.keys(dependencies).map(
    (dep) => ({ from: "", dep, optional: false }),
  );
  while (pending.length > 0) {
    const { from, dep, optional } = pending.pop() as (typeof pending)[number];
    const at = resolveFrom(packages, from, dep);
    if (!at) {
      if (optional) continue;
      throw new ArtifactLockError(`${dep} (needed by ${from || name}) is not in package-lock.json`);
    }
    if (reached.has(at)) continue;
    reached.add(at);
    const entry = packages[at] as LockEntry;
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    for (const d of Object.keys(entry.dependencies ?? {}))
      pending.push({ from: at, dep: d, optional: false });
    for (const d of Object.keys(entry.optionalDependencies ?? {}))
      pending.push({ from: at, dep: d, optional: true });
    for (const d of Object.keys(entry.peerDependencies ?? {}))
      pending.push({ from: at, dep: d, optional: optionalPeers[d]?.optional === true });
  }
  const subset: PackageLock["packages"] = {
    "": { name, dependencies },
  };
  for (const path of [...reached].sort()) {
    // Every reached package is a production dependency of the artifact, whatever it was at the root.
    const { dev: _dev, devOptional: _devOptional, ...entry } = packages[path] as LockEntry;
    subset[path] = entry;
  }
  return { name, lockfileVersion: 3, requires: true, packages: subset };
}

/** The exact version the project lockfile installed for a top-level dependency. */
export function lockedVersion(projectLock: PackageLock, dep: string): string {
  const version = projectLock.packages[`node_modules/${dep}`]?.version;
  if (!version) throw new ArtifactLockError(`${dep} is not installed according to package-lock.json`);
  return version;
}
