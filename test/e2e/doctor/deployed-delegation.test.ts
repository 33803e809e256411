import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SCOPES } from "../../../shared/adapters/google/scopes.js";
import { SqliteStateStore } from "../../../shared/adapters/sqlite/sqlite-state-store.js";
import { stateStoreDelegationHealth } from "../../../shared/adapters/state/state-store-delegation-health.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import type { CheckResult } from "../../../shared/domain/doctor/check-result.js";
import { createLogger } from "../../../shared/logging/logger.js";
import { createWorkspaceAdapters } from "../../../shared/runtime/workspace-adapters.js";
import {
  DEMO_ADMIN,
  DEMO_SERVICE_ACCOUNT,
  demoWorkspaceSeed,
} from "../../../shared/simulators/demo/demo-organisation.js";
import {
  type DemoSimulators,
  startDemoSimulators,
} from "../../../shared/simulators/demo/start-demo-simulators.js";
import { eventually } from "../../support/stand-ins.js";
import { cliSettingsFor, runCli } from "../cli/run-cli.js";

const [USERS] = SCOPES.directoryUsers;
const [CALENDAR] = SCOPES.calendarEvents;
const [CONTACTS] = SCOPES.contacts;
const DEMO_CLIENT_ID = demoWorkspaceSeed().serviceAccounts?.[0]?.uniqueId as string;

/** Three of the deployment's delegating accounts, each with its own client id (as infra makes them). */
const DEPLOYED = {
  daily: { email: "gw3cx-daily-sync@acme-gw3cx.iam.gserviceaccount.com", clientId: "117000000000000000001" },
  contacts: { email: "gw3cx-contacts@acme-gw3cx.iam.gserviceaccount.com", clientId: "117000000000000000002" },
  presence: {
    email: "gw3cx-presence-worker@acme-gw3cx.iam.gserviceaccount.com",
    clientId: "117000000000000000003",
  },
} as const;
type Deployed = keyof typeof DEPLOYED;
const sourceTokenVar = (name: Deployed) => `SIM_SOURCE_TOKEN_${name.toUpperCase()}`;

let sims: DemoSimulators | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sims?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sims = undefined;
  dir = undefined;
});

/**
 * The demo tenant with the three accounts added, each authorised in the Admin console (the
 * simulator's domain-wide delegation, per client id) with the given scopes.
 */
async function setUp(grants: Record<Deployed, readonly string[]>) {
  const seed = demoWorkspaceSeed();
  const names = Object.keys(DEPLOYED) as Deployed[];
  seed.serviceAccounts = [
    ...(seed.serviceAccounts ?? []),
    ...names.map((name) => ({
      email: DEPLOYED[name].email,
      uniqueId: DEPLOYED[name].clientId,
      sourceToken: `sim-source-token-${name}`,
    })),
  ];
  seed.domainWideDelegation = [
    ...(seed.domainWideDelegation ?? []),
    ...names.map((name) => ({ clientId: DEPLOYED[name].clientId, scopes: [...grants[name]] })),
  ];
  sims = await startDemoSimulators({ google: seed });
  const cli = cliSettingsFor(sims, "gw3cx-deployed-delegation-");
  dir = cli.dir;
  const outputs = join(cli.dir, "outputs.json");
  writeFileSync(
    outputs,
    JSON.stringify({
      delegation_client_ids: {
        value: [
          { account: DEMO_SERVICE_ACCOUNT, clientId: DEMO_CLIENT_ID },
          ...names.map((name) => ({ account: DEPLOYED[name].email, clientId: DEPLOYED[name].clientId })),
        ],
      },
    }),
  );
  const stateDb = cli.env.GW3CX_STATE_DB as string;
  const running = sims;

  /**
   * One function's Workspace side as the cloud composes it (createWorkspaceAdapters with the state's
   * delegation health), signing as that function's own account, doing what that function does.
   */
  async function runWorker(name: Deployed): Promise<unknown> {
    const state = new SqliteStateStore(stateDb);
    const env = { ...running.env, [sourceTokenVar(name)]: `sim-source-token-${name}` };
    const base = running.settings as { google: Record<string, unknown> };
    const settings = loadSettings({
      env,
      base: {
        ...base,
        google: {
          ...base.google,
          serviceAccountEmail: DEPLOYED[name].email,
          sourceToken: `env:${sourceTokenVar(name)}`,
        },
      },
    });
    const google = await createWorkspaceAdapters(
      settings,
      createLogger({ component: name }, { level: "error" }),
      env,
      {
        delegationHealth: stateStoreDelegationHealth(state),
      },
    );
    const health = stateStoreDelegationHealth(state);
    try {
      const work = {
        daily: async () => {
          await google.directory.listUsersPage({});
          await google.calendar.syncEvents(DEMO_ADMIN);
        },
        presence: async () => {
          await google.directory.getUser(DEMO_ADMIN);
          await google.calendar.syncEvents(DEMO_ADMIN);
        },
        contacts: async () => {
          await google.people.syncContacts(DEMO_ADMIN);
        },
      }[name];
      const failure = await work().then(
        () => undefined,
        (error: unknown) => error,
      );
      // The outcome is written behind the call; wait until it is there, as doctor will read it.
      const scopes = { daily: [USERS, CALENDAR], presence: [USERS, CALENDAR], contacts: [CONTACTS] }[name];
      await eventually(
        async () => (await health.list()).filter((r) => r.account === DEPLOYED[name].email).length,
        (count) => count === scopes.length,
      );
      return failure;
    } finally {
      await state.close();
    }
  }

  async function doctor() {
    const result = await runCli(["doctor", "--outputs", outputs, "--json"], cli.env);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; checks: CheckResult[] };
    const delegation = parsed.checks.filter((c) => c.name === "delegation");
    const lineOf = (name: Deployed) => delegation.find((c) => c.found.startsWith(DEPLOYED[name].email));
    return { code: result.code, delegation, lineOf };
  }
  return { sims: running, env: cli.env, runWorker, doctor };
}

describe("gw3cx doctor: delegation of every deployed account, from what its function recorded", () => {
  it("one account's client id lacks a scope: its worker's token is refused, and doctor fails naming that account and client id while the others pass", {
    timeout: 60_000,
  }, async () => {
    const all = [USERS, CALENDAR, CONTACTS];
    const pbx = await setUp({ daily: all, presence: all, contacts: [USERS, CALENDAR] });

    const before = await pbx.doctor();
    // Nothing recorded yet: the deployed accounts are noted, not failed.
    expect(before.delegation.map((c) => c.status)).toEqual(["pass", "info", "info", "info"]);
    expect(before.lineOf("contacts")?.found).toBe(
      `${DEPLOYED.contacts.email} (client id ${DEPLOYED.contacts.clientId}): contacts.readonly not used yet`,
    );

    expect(await pbx.runWorker("daily")).toBeUndefined();
    expect(await pbx.runWorker("presence")).toBeUndefined();
    const refused = await pbx.runWorker("contacts");
    expect(refused).toMatchObject({ failure: "NOT_AUTHORIZED" });

    const after = await pbx.doctor();
    // The exit code also reflects what this fresh tenant fails anyway (no channels, no runs yet).
    expect(after.code).toBe(1);
    expect(after.delegation.filter((c) => c.status === "fail")).toHaveLength(1);
    // The CLI's own account, checked directly, still passes: its entry has every scope.
    expect(after.delegation[0]).toMatchObject({ status: "pass", found: expect.stringContaining(DEMO_ADMIN) });
    expect(after.lineOf("daily")?.status).toBe("pass");
    expect(after.lineOf("presence")?.status).toBe("pass");
    expect(after.lineOf("contacts")).toMatchObject({
      status: "fail",
      found: expect.stringMatching(
        new RegExp(
          `^${DEPLOYED.contacts.email} \\(client id ${DEPLOYED.contacts.clientId}\\): contacts\\.readonly refused (now|\\d+ s ago) \\(unauthorized_client\\)$`,
        ),
      ),
      fix:
        `Admin console > Security > API controls > Domain-wide delegation: add ${CONTACTS} to client id ${DEPLOYED.contacts.clientId}; ` +
        `its OAuth scopes line: ${USERS},${CALENDAR},${CONTACTS}`,
      details: { account: DEPLOYED.contacts.email, clientId: DEPLOYED.contacts.clientId },
    });

    // The status (CLI, page, status.json) lists the same records, the refusal first.
    const status = JSON.parse((await runCli(["status", "--json"], pbx.env)).stdout) as {
      sections: { id: string; summary?: string; rows: string[][] }[];
    };
    const section = status.sections.find((s) => s.id === "delegation");
    expect(section?.summary).toMatch(/^3 accounts, 5 scopes in use; 1 refused at the last token/);
    expect(section?.rows[0]?.slice(0, 3)).toEqual([DEPLOYED.contacts.email, "contacts.readonly", "refused"]);
    expect(section?.rows[0]?.[4]).toMatch(/^unauthorized_client for admin@example\.com, /);

    // The admin adds the scope; the worker's next token works and every delegation line passes.
    pbx.sims.google.tenant.auth.grant(DEPLOYED.contacts.clientId, [CONTACTS]);
    expect(await pbx.runWorker("contacts")).toBeUndefined();
    const fixed = await pbx.doctor();
    expect(fixed.delegation.map((c) => c.status)).toEqual(["pass", "pass", "pass", "pass"]);
  });
});
