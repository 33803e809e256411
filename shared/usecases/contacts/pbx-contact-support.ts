import type { ThreeCx } from "../../ports/threecx.js";

/** The XAPI gained the personal-contact functions (GetContactsByNumber, ...) in 20.0.9. */
export const CONTACTS_MIN_PBX_VERSION = "20.0.9";

export type PbxContactSupport =
  | { supported: true; version: string | null }
  | { supported: false; version: string; message: string };

/** Asked once per run: an older PBX is reported clearly instead of failing once per user. */
export async function checkPbxContactSupport(threecx: ThreeCx): Promise<PbxContactSupport> {
  const version = await threecx.getSystemVersion();
  // A PBX that does not say is given the benefit of the doubt: its contact calls would fail per user.
  if (version === null || !isOlder(version, CONTACTS_MIN_PBX_VERSION)) return { supported: true, version };
  return {
    supported: false,
    version,
    message: `3CX ${version} is older than ${CONTACTS_MIN_PBX_VERSION}, whose XAPI first has personal contacts (GetContactsByNumber); update the PBX to sync contacts`,
  };
}

function isOlder(version: string, than: string): boolean {
  const a = version.split(".").map((part) => Number.parseInt(part, 10) || 0);
  const b = than.split(".").map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}
