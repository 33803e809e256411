import type { TenantSeed } from "../google/seed.js";
import { type GoogleSimulator, startGoogleSimulator } from "../google/server.js";
import type { ThreeCxSeed } from "../threecx/seed.js";
import { startThreeCxSimulator, type ThreeCxSimulator } from "../threecx/simulator.js";
import {
  DEMO_3CX_CLIENT,
  DEMO_ADMIN,
  DEMO_SERVICE_ACCOUNT,
  demoCredentialsEnv,
  demoThreeCxSeed,
  demoWorkspaceSeed,
} from "./demo-organisation.js";

export interface DemoSimulators {
  google: GoogleSimulator;
  threecx: ThreeCxSimulator;
  /** Settings that point gw3cx at the simulators (merged under the user's own). */
  settings: Record<string, unknown>;
  /** Where the secret references in `settings` resolve. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Settings that point gw3cx at a Workspace simulator and a 3CX simulator, wherever they run. */
export function demoSettings(
  googleEndpoints: { apiRootUrl: string; oauthTokenUrl: string; iamCredentialsRootUrl: string },
  threecxUrl: string,
): Record<string, unknown> {
  return {
    startingExtension: "1000",
    // The demo organisation has meetings around the start time (demo-organisation.ts).
    calendarPresence: true,
    // The demo organisation has labelled personal contacts (demo-organisation.ts).
    syncPersonalContacts: true,
    // A recording or voicemail dropped into storage.localDir is transcribed (pocketsphinx, en-US).
    transcription: { enabled: true },
    google: {
      ...googleEndpoints,
      adminSubject: DEMO_ADMIN,
      serviceAccountEmail: DEMO_SERVICE_ACCOUNT,
      sourceToken: "env:GW3CX_DEMO_SOURCE_TOKEN",
      channelToken: "env:GW3CX_DEMO_CHANNEL_TOKEN",
    },
    threecx: {
      url: threecxUrl,
      clientId: DEMO_3CX_CLIENT.clientId,
      clientSecret: "env:GW3CX_DEMO_3CX_SECRET",
    },
  };
}

/** Starts both simulators on free loopback ports with the demo organisation (or the given seeds). */
export async function startDemoSimulators(
  seeds: { google?: TenantSeed; threecx?: ThreeCxSeed } = {},
): Promise<DemoSimulators> {
  // The demo's webhook listens on plain loopback HTTP, which Google itself would refuse.
  const google = await startGoogleSimulator({
    seed: seeds.google ?? demoWorkspaceSeed(),
    allowHttpPushAddresses: true,
  });
  const threecx = await startThreeCxSimulator({ seed: seeds.threecx ?? demoThreeCxSeed() });
  return {
    google,
    threecx,
    settings: demoSettings(google.endpoints, threecx.url),
    env: demoCredentialsEnv(),
    async close() {
      await Promise.all([google.close(), threecx.close()]);
    },
  };
}
