/** What the status shows about where gw3cx runs, from the settings (statusConfigFrom in runtime/). */
export interface StatusConfig {
  /** "simulators": the bundled demo organisation; "tenant": a real Workspace and PBX. */
  mode: "simulators" | "tenant";
  /** The PBX gw3cx talks to (threecx.url). */
  pbxUrl?: string;
  /** The tenant's IANA zone: every time on the page is shown in it. */
  timeZone: string;
  /** GW_SYNC_TIME, HH:MM:SS in timeZone. */
  syncTime: string;
  /** Where this status is served from: the nightly run is scheduled only in the cloud. */
  host: "local" | "cloud";
  /** Runs read to find the latest of each kind and those needing attention. */
  runLimit?: number;
}
