import { describe, expect, it } from "vitest";
import { SqliteStateStore } from "../../../../shared/adapters/sqlite/sqlite-state-store.js";
import type { DelegationHealth } from "../../../../shared/domain/delegation/delegation-health.js";
import type { CheckResult } from "../../../../shared/domain/doctor/check-result.js";
import { delegationCheck } from "../../../../shared/usecases/doctor/checks/delegation-check.js";
import type { DoctorConfig, DoctorPorts } from "../../../../shared/usecases/doctor/doctor-ports.js";

const NOW = new Date("2026-03-24T10:00:00Z");
const MINUTE = 60_000;
const DAY = 86_400_000;
const USERS = "https://www.googleapis.com/auth/admin.directory.user.readonly";
const CALENDAR = "https://www.googleapis.com/auth/calendar.events.readonly";
const CONTACTS = "https://www.googleapis.com/auth/contacts.readonly";
const OWN = "gw3cx-cli@acme.iam.gserviceaccount.com";
const DAILY = "gw3cx-daily-sync@acme.iam.gserviceaccount.com";
const PEOPLE = "gw3cx-contacts@acme.iam.gserviceaccount.com";
const PRESENCE = "gw3cx-presence-worker@acme.iam.gserviceaccount.com";

const config = (over: Partial<DoctorConfig> = {}): DoctorConfig => ({
  adminSubject: "admin@example.com",
  serviceAccountEmail: OWN,
  scopes: [
    { scope: USERS, neededFor: "user sync" },
    { scope: CALENDAR, neededFor: "calendar presence" },
    { scope: CONTACTS, neededFor: "personal contacts" },
  ],
  scopesByAccount: {
    "gw3cx-daily-sync": [
      { scope: USERS, neededFor: "user sync" },
      { scope: CALENDAR, neededFor: "calendar presence" },
    ],
    "gw3cx-contacts": [{ scope: CONTACTS, neededFor: "personal contacts" }],
    "gw3cx-presence-worker": [
      { scope: USERS, neededFor: "user sync" },
      { scope: CALENDAR, neededFor: "calendar presence" },
    ],
  },
  apis: [],
  threecxSecretHint: "",
  syncUsers: true,
  syncPersonalContacts: true,
  calendarPresence: true,
  checkTimeoutMs: 1000,
  ...over,
});

const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const worked = (account: string, scope: string, msAgo: number): DelegationHealth => ({
  account,
  scope,
  lastSuccessAt: ago(msAgo),
  last: "success",
  writtenAt: ago(msAgo),
});
const refused = (account: string, scope: string, msAgo: number, reason = "unauthorized_client") =>
  ({
    account,
    scope,
    last: "refused",
    lastRefusal: {
      at: ago(msAgo),
      reason,
      step: "TOKEN_EXCHANGE",
      subject: "ada@example.com",
      message: `token exchange refused (${reason}): Client is unauthorized to retrieve access tokens`,
    },
    writtenAt: ago(msAgo),
  }) satisfies DelegationHealth;

function ports(records: DelegationHealth[], clientIds: Record<string, string> = {}) {
  const lookups: string[] = [];
  const doctorPorts: DoctorPorts = {
    state: new SqliteStateStore(":memory:"),
    delegationHealth: {
      get: async (account, scope) => records.find((r) => r.account === account && r.scope === scope),
      put: async () => {},
      list: async () => records,
    },
    deadLetters: { summarize: async () => [] },
    clock: { now: () => NOW, sleep: async () => {} },
    google: {
      tokens: { accessToken: async () => "token" },
      clientIds: {
        clientIdOf: async (email: string) => {
          lookups.push(email);
          return clientIds[email];
        },
      },
    } as unknown as DoctorPorts["google"],
  };
  return { doctorPorts, lookups };
}

const deployed = [
  { account: DAILY, clientId: "1001" },
  { account: PEOPLE, clientId: "1002" },
  { account: PRESENCE, clientId: "1003" },
];

async function run(records: DelegationHealth[], over: Partial<DoctorConfig> = {}): Promise<CheckResult[]> {
  return delegationCheck.run(ports(records).doctorPorts, config({ deployedAccounts: deployed, ...over }));
}

describe("the delegation check for the deployed accounts", () => {
  it("keeps the direct line for its own account first, then one line per deployed account", async () => {
    const results = await run([
      worked(DAILY, USERS, 5 * MINUTE),
      worked(DAILY, CALENDAR, 2 * 60 * MINUTE),
      worked(PEOPLE, CONTACTS, DAY),
      worked(PRESENCE, USERS, MINUTE),
      worked(PRESENCE, CALENDAR, MINUTE),
    ]);
    expect(results.map((r) => [r.status, r.found])).toEqual([
      ["pass", "a token for admin@example.com with each of 3 scopes"],
      [
        "pass",
        `${DAILY} (client id 1001): admin.directory.user.readonly worked 5 min ago, calendar.events.readonly worked 2 h ago`,
      ],
      ["pass", `${PEOPLE} (client id 1002): contacts.readonly worked 1 d ago`],
      [
        "pass",
        `${PRESENCE} (client id 1003): admin.directory.user.readonly worked 1 min ago, calendar.events.readonly worked 1 min ago`,
      ],
    ]);
  });

  it("fails an account whose last token was refused, naming its client id and the scopes line to enter", async () => {
    const results = await run([
      worked(DAILY, USERS, MINUTE),
      worked(DAILY, CALENDAR, MINUTE),
      refused(PEOPLE, CONTACTS, 3 * MINUTE),
      worked(PRESENCE, USERS, MINUTE),
      worked(PRESENCE, CALENDAR, MINUTE),
    ]);
    const failed = results.filter((r) => r.status === "fail");
    expect(failed).toEqual([
      {
        name: "delegation",
        status: "fail",
        found: `${PEOPLE} (client id 1002): contacts.readonly refused 3 min ago (unauthorized_client)`,
        fix:
          `Admin console > Security > API controls > Domain-wide delegation: add ${CONTACTS} to client id 1002; ` +
          `its OAuth scopes line: ${USERS},${CALENDAR},${CONTACTS}`,
        details: {
          account: PEOPLE,
          clientId: "1002",
          scopes: [
            {
              scope: CONTACTS,
              neededFor: "personal contacts",
              state: "refused",
              refusal: expect.objectContaining({ reason: "unauthorized_client", at: ago(3 * MINUTE) }),
            },
          ],
        },
      },
    ]);
    expect(results.filter((r) => r.status === "pass")).toHaveLength(3);
  });

  it("without the outputs, asks IAM for a refused account's client id, and only for that one", async () => {
    const { doctorPorts, lookups } = ports(
      [worked(DAILY, USERS, MINUTE), worked(DAILY, CALENDAR, MINUTE), refused(PEOPLE, CONTACTS, MINUTE)],
      { [PEOPLE]: "2002" },
    );
    const results = await delegationCheck.run(doctorPorts, config());
    expect(lookups).toEqual([PEOPLE]);
    // The accounts come from what was recorded; the presence worker recorded nothing, so it is not known.
    expect(results.map((r) => r.found.split(":")[0])).toEqual([
      "a token for admin@example.com with each of 3 scopes",
      DAILY,
      `${PEOPLE} (client id 2002)`,
    ]);
    expect(results[2]?.fix).toContain("to client id 2002;");
  });

  it("says where to find a client id IAM does not give", async () => {
    const [, , people] = await delegationCheck.run(
      ports([worked(DAILY, USERS, MINUTE), refused(PEOPLE, CONTACTS, MINUTE)]).doctorPorts,
      config(),
    );
    expect(people?.fix).toContain(`to the client id of ${PEOPLE} (\`gw3cx setup --outputs FILE\` prints it)`);
  });

  it("a signJwt refusal points at the account's permission to sign as itself", async () => {
    const record = refused(PEOPLE, CONTACTS, MINUTE, "forbidden");
    record.lastRefusal.step = "SIGN_JWT";
    const people = (await run([record])).find((r) => r.found.startsWith(PEOPLE));
    expect(people?.status).toBe("fail");
    expect(people?.fix).toBe(
      `let ${PEOPLE} sign JWTs as itself: gcloud iam service-accounts add-iam-policy-binding ${PEOPLE} ` +
        `--member=serviceAccount:${PEOPLE} --role=roles/iam.serviceAccountTokenCreator (the stack grants it: apply it again)`,
    );
  });

  it("notes a deployed account that has recorded nothing as not used yet", async () => {
    const results = await run([worked(DAILY, USERS, MINUTE)]);
    expect(results.slice(1).map((r) => [r.status, r.found])).toEqual([
      [
        "info",
        `${DAILY} (client id 1001): admin.directory.user.readonly worked 1 min ago, calendar.events.readonly not used yet`,
      ],
      ["info", `${PEOPLE} (client id 1002): contacts.readonly not used yet`],
      [
        "info",
        `${PRESENCE} (client id 1003): admin.directory.user.readonly not used yet, calendar.events.readonly not used yet`,
      ],
    ]);
  });

  it("warns when the last success is over a week old, or Google refused one subject (invalid_grant)", async () => {
    const results = await run([
      worked(DAILY, USERS, 8 * DAY),
      worked(DAILY, CALENDAR, MINUTE),
      { ...refused(PEOPLE, CONTACTS, MINUTE, "invalid_grant"), lastSuccessAt: ago(DAY) },
    ]);
    const [daily, people] = results.slice(1);
    expect(daily).toMatchObject({
      status: "warn",
      found: `${DAILY} (client id 1001): admin.directory.user.readonly last worked 8 d ago, calendar.events.readonly worked 1 min ago`,
    });
    expect(daily?.fix).toMatch(/^no success for over 7 d: check that the function still runs/);
    expect(people).toMatchObject({
      status: "warn",
      found: `${PEOPLE} (client id 1002): contacts.readonly refused for ada@example.com 1 min ago (invalid_grant; worked 1 d ago)`,
    });
    expect(people?.fix).toContain("usually a deleted or suspended user");
  });

  it("leaves out the CLI's own account (checked directly) and accounts whose features are all off", async () => {
    const results = await run([worked(OWN, USERS, MINUTE)], {
      deployedAccounts: [...deployed, { account: OWN, clientId: "9" }],
      scopesByAccount: { "gw3cx-daily-sync": [], "gw3cx-contacts": [], "gw3cx-presence-worker": [] },
    });
    expect(results).toHaveLength(1);
  });

  it("an account it has no list for is checked against every needed scope", async () => {
    const other = "gw3cx-renamed@acme.iam.gserviceaccount.com";
    const [, line] = await run([worked(other, USERS, MINUTE)], { deployedAccounts: [] });
    expect(line?.found).toBe(
      `${other}: admin.directory.user.readonly worked 1 min ago, calendar.events.readonly not used yet, contacts.readonly not used yet`,
    );
  });
});
