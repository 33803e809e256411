/**
 * The 3CX XAPI client against the simulator on loopback:
 * - overhead: what the client adds per call over a bare node:http request on a kept-alive
 *   connection (what it is built on), with global fetch beside it for comparison (no latency);
 * - throughput at a fixed injected latency and concurrency, next to the ideal
 *   latency x calls / concurrency;
 * - reading 10,000 users in pages.
 */
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { createThreeCxClient } from "../../../shared/adapters/threecx/client.js";
import { startThreeCxSimulator } from "../../../shared/simulators/threecx/simulator.js";
import { type BenchSuite, markdownTable, percentile } from "../bench-suite.js";

const LATENCY_MS = 25;
const CONCURRENCY = 8;
const OVERHEAD_CALLS = 2_000;
const THROUGHPUT_CALLS = 800;
const CREATES = 400;
const LISTED_USERS = 10_000;

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Wall times of `calls` sequential runs (after a warm-up) and the CPU they took per call. */
async function sequential(
  calls: number,
  run: () => Promise<unknown>,
): Promise<{ times: number[]; cpuUsPerCall: number }> {
  for (let i = 0; i < 200; i++) await run();
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) times.push(await timed(run));
  const used = process.cpuUsage(cpu);
  return { times: times.sort((a, b) => a - b), cpuUsPerCall: (used.user + used.system) / calls };
}

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
    const viaClient = await sequential(OVERHEAD_CALLS, () => client.getUser(id));
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
    const viaFetch = await sequential(OVERHEAD_CALLS, async () => {
      const response = await fetch(rawUrl, { headers: { authorization: `Bearer ${rawToken}` } });
      if (response.status !== 200) throw new Error(`bare call failed with HTTP ${response.status}`);
      await response.json();
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const viaHttp = await sequential(
      OVERHEAD_CALLS,
      () =>
        new Promise<void>((resolve, reject) => {
          request(rawUrl, { agent, headers: { authorization: `Bearer ${rawToken}` } }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => {
              if (response.statusCode !== 200)
                reject(new Error(`bare call failed with HTTP ${response.statusCode}`));
              else resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
            });
          })
            .on("error", reject)
            .end();
        }),
    );
    agent.destroy();
    const overheadRow = (label: string, run: { times: number[]; cpuUsPerCall: number }) => [
      label,
      round(percentile(run.times, 50), 3),
      round(percentile(run.times, 95), 3),
      round(percentile(run.times, 99), 3),
      round(run.cpuUsPerCall, 0),
    ];

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
        `**Client overhead per call** (no injected latency; \`GET /Users(Id)\` with \`$select\`, ${OVERHEAD_CALLS} sequential calls after 200 to warm up; CPU is this whole process's, simulator included):`,
        "",
        markdownTable(
          ["", "p50 ms", "p95 ms", "p99 ms", "CPU µs per call"],
          [
            overheadRow("bare node:http, kept-alive connection", viaHttp),
            overheadRow("gw3cx client (node:http underneath)", viaClient),
            overheadRow("bare global fetch, for comparison", viaFetch),
            [
              "gw3cx client over bare node:http",
              round(percentile(viaClient.times, 50) - percentile(viaHttp.times, 50), 3),
              "",
              "",
              round(viaClient.cpuUsPerCall - viaHttp.cpuUsPerCall, 0),
            ],
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
