/**
 * Starts a simulator and a gw3cx client wired to it, with retry delays small enough for tests.
 * Every suite ends by asserting the simulator refused nothing as a spec violation: the client
 * never sent a request the official spec forbids.
 */
import { randomBytes } from "node:crypto";
import {
  createThreeCxClient,
  type ThreeCxClient,
  type ThreeCxClientOptions,
} from "../../../shared/adapters/threecx/client.js";
import type { ThreeCxSeed } from "../../../shared/simulators/threecx/seed.js";
import {
  startThreeCxSimulator,
  type ThreeCxSimulator,
  type ThreeCxSimulatorOptions,
} from "../../../shared/simulators/threecx/simulator.js";

export const CLIENT_ID = "gw3cx-test";

export interface SimulatedPbx {
  sim: ThreeCxSimulator;
  client: ThreeCxClient;
  secret: string;
  newClient(overrides?: Partial<ThreeCxClientOptions>): ThreeCxClient;
}

export const BASE_SEED: ThreeCxSeed = {
  extensionStart: "100",
  departments: [{ Name: "DEFAULT" }, { Name: "Sales" }],
  otherDns: [
    { Number: "100", Name: "Reception queue", Type: "Queue" },
    { Number: "103", Name: "Support ring group", Type: "RingGroup" },
  ],
  users: [
    {
      Number: "101",
      FirstName: "Ada",
      LastName: "Lovelace",
      EmailAddress: "Ada@Example.com",
      Mobile: "+15550101",
    },
    {
      Number: "102",
      FirstName: "Alan",
      LastName: "Turing",
      EmailAddress: "alan@example.com",
      Enabled: false,
    },
  ],
};

export async function startPbx(
  seed: ThreeCxSeed = BASE_SEED,
  simOptions: Omit<ThreeCxSimulatorOptions, "seed"> = {},
  clientOptions: Partial<ThreeCxClientOptions> = {},
): Promise<SimulatedPbx> {
  const secret = randomBytes(16).toString("hex");
  const sim = await startThreeCxSimulator({
    ...simOptions,
    seed: {
      ...seed,
      apiClients: [...(seed.apiClients ?? []), { clientId: CLIENT_ID, secret, role: "system_owner" }],
    },
  });
  const newClient = (overrides: Partial<ThreeCxClientOptions> = {}) =>
    createThreeCxClient({
      baseUrl: sim.url,
      clientId: CLIENT_ID,
      clientSecret: secret,
      requestTimeoutMs: 2_000,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      ...clientOptions,
      ...overrides,
    });
  return { sim, client: newClient(), secret, newClient };
}
