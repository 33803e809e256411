/**
 * The 3CX XAPI client against the simulator on loopback:
 * - overhead: what the client adds per call over a bare fetch of the same request (no latency);
 * - throughput at a fixed injected latency and concurrency, next to the ideal
 *   latency x calls / concurrency;
 * - reading 10,000 users in pages.
 */
import { randomBytes } from "node:crypto";
import { createThreeCxClient } from "../../../shared/adapters/threecx/client.js";
import { startThreeCxSimulator } from "../../fakes/threecx/simulator.js";
import { type BenchSuite, markdownTable, percentile } from "../bench-suite.js";

const LATENCY_MS = 25;
const CONCURRENCY = 8;
const OVERHEAD_CALLS = 2_000;
const THROUGHPUT_CALLS = 800;
const CREATES = 400;
const LISTED_USERS = 10_000;

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Runs `count` calls with at most `concurrency` at once (the client bounds it too). */
async function inParallel(
  count: number,
  concurrency: number,
  call: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await call(next++);
    }),
  );
}

const suite: BenchSuite = async () => {
  const secret = randomBytes(16).toString("hex");
  const sim = await startThreeCxSimulator({
    seed: {
      extensionStart: "1000",
      apiClients: [{ clientId: "bench", secret, role: "system_owner" }],
      generatedUsers: { count: LISTED_USERS, startNumber: "10000" },
    },
  });
  try {
    const client = createThreeCxClient({
      baseUrl: sim.url,
      clientId: "bench",
      clientSecret: secret,
      maxInFlight: CONCURRENCY,
      pageSize: 1000,
    });

    // ---- overhead per call, no injected latency ----
    const first = await client.getUserByNumber("10000");
    const id = first?.Id as number;
    const select =
      "Id,Number,FirstName,LastName,EmailAddress,Mobile,Enabled,CurrentProfileName,GoogleSignInEnabled,ContactImage,PrimaryGroupId";
    const rawUrl = `${sim.url}/xapi/v1/Users(${id})?$select=${encodeURIComponent(select)}`;
    const clientTimes: number[] = [];
    for (let i = 0; i < 200; i++) await client.getUser(id); // warm-up
    for (let i = 0; i < OVERHEAD_CALLS; i++) clientTimes.push(await timed(() => client.getUser(id)));
    // The bare run takes its own token, which retires the client's (one token per API client).
    const tokenResponse = await fetch(`${sim.url}/connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: "bench",
        client_secret: secret,
        grant_type: "client_credentials",
      }),
    });
    const { access_token: rawToken } = (await tokenResponse.json()) as { access_token: string };
    const rawCall = async () => {
      const response = await fetch(rawUrl, { headers: { authorization: `Bearer ${rawToken}` } });
      if (response.status !== 200) throw new Error(`bare call failed with HTTP ${response.status}`);
      await response.json();
    };
    const rawTimes: number[] = [];
    for (let i = 0; i < 200; i++) await rawCall(); // warm-up
    for (let i = 0; i < OVERHEAD_CALLS; i++) rawTimes.push(await timed(rawCall));
    rawTimes.sort((a, b) => a - b);
    clientTimes.sort((a, b) => a - b);
    const rawP50 = percentile(rawTimes, 50);
    const clientP50 = percentile(clientTimes, 50);

    // ---- throughput at a fixed latency and concurrency ----
    const mainClient = createThreeCxClient({
      baseUrl: sim.url,
      clientId: "bench",
      clientSecret: secret,
      maxInFlight: CONCURRENCY,
      pageSize: 1000,
    });
    await mainClient.getUser(id); // token outside the measurements
    sim.faults.add({ latencyMs: LATENCY_MS });
    const rows: (string | number)[][] = [];
    /** `rounds`: sequential round trips the work needs at best (default requests / concurrency). */
    const measure = async (label: string, calls: number, work: () => Promise<unknown>, rounds?: number) => {
      mainClient.requests.reset();
      const ms = await timed(work);
      const requests = mainClient.requests.requests();
      const ideal = LATENCY_MS * (rounds ?? requests / CONCURRENCY);
      rows.push([
        label,
        calls,
        requests,
        round(ms, 0),
        round(ideal, 0),
        `${round((ideal / ms) * 100, 0)}%`,
        round((requests / ms) * 1000, 0),
      ]);
    };
    await measure(`GET user by Id x${THROUGHPUT_CALLS}`, THROUGHPUT_CALLS, () =>
      inParallel(THROUGHPUT_CALLS, 64, () => mainClient.getUser(id)),
    );
    await measure(`PATCH user x${THROUGHPUT_CALLS}`, THROUGHPUT_CALLS, () =>
      inParallel(THROUGHPUT_CALLS, 64, (i) => mainClient.updateUser(id, { Mobile: `+1555${i}` })),
    );
    await measure(`create user x${CREATES}`, CREATES, () =>
      inParallel(CREATES, 64, (i) =>
        mainClient.createUser({
          Number: String(30000 + i),
          FirstName: "Bench",
          EmailAddress: `b${i}@example.com`,
        }),
      ),
    );
    let listed = 0;
    // The first page (with $count) comes alone, then the other 10 pages at 8 in flight: 3 rounds.
    await measure(
      `list ${LISTED_USERS + CREATES} users (pages of 1000)`,
      1,
      async () => {
        listed = (await mainClient.listUsers()).length;
      },
      1 + Math.ceil(Math.ceil((LISTED_USERS + CREATES) / 1000 - 1) / CONCURRENCY),
    );
    if (listed !== LISTED_USERS + CREATES) throw new Error(`listed ${listed} users`);
    if (sim.stats.specRejections.length > 0) throw new Error("the simulator refused a request as off-spec");

    return {
      title: "3CX XAPI client against the simulator",
      markdown: [
        `Loopback, simulator in the same process, ${LISTED_USERS.toLocaleString("en")} seeded users; every request validated against the XAPI spec.`,
        "",
        "**Client overhead per call** (no injected latency; `GET /Users(Id)` with `$select`, sequential):",
        "",
        markdownTable(
          ["", "p50 ms", "p95 ms", "p99 ms"],
          [
            [
              "bare fetch",
              round(rawP50, 3),
              round(percentile(rawTimes, 95), 3),
              round(percentile(rawTimes, 99), 3),
            ],
            [
              "gw3cx client",
              round(clientP50, 3),
              round(percentile(clientTimes, 95), 3),
              round(percentile(clientTimes, 99), 3),
            ],
            ["overhead", round(clientP50 - rawP50, 3), "", ""],
          ],
        ),
        "",
        `**Throughput** at ${LATENCY_MS} ms injected latency per request and ${CONCURRENCY} requests in flight (client \`maxInFlight\`); ideal = latency x requests / concurrency (for the listing: latency x the rounds of requests it needs, since the first page must come back before the rest are asked for):`,
        "",
        markdownTable(
          ["work", "calls", "HTTP requests", "took ms", "ideal ms", "of ideal", "requests/s"],
          rows,
        ),
      ].join("\n"),
    };
  } finally {
    await sim.close();
  }
};

export default suite;
