import type { TenantSeed } from "../google/seed.js";
import type { ThreeCxSeed } from "../threecx/seed.js";

/**
 * The organisation `npm start` runs against when no real tenant is configured: about 50 Workspace
 * users in a few org units (three suspended, one archived), two people with the same name, work
 * phones typed in different formats, and on the 3CX side one existing user to adopt by email plus
 * queues and ring groups holding numbers in the range new users are given.
 */
export const DEMO_SERVICE_ACCOUNT = "gw3cx-runtime@gw3cx-demo.iam.gserviceaccount.com";
export const DEMO_SOURCE_TOKEN = "sim-source-token-gw3cx-runtime";
export const DEMO_ADMIN = "admin@example.com";
export const DEMO_3CX_CLIENT = { clientId: "gw3cx", secret: "local-simulator-secret" };

/**
 * The environment the demo settings' secret references (env:NAME) resolve in. Simulator constants,
 * not credentials; they are passed in the environment only, never written to disk.
 */
export function demoCredentialsEnv(): Record<string, string> {
  return {
    GW3CX_DEMO_SOURCE_TOKEN: DEMO_SOURCE_TOKEN,
    GW3CX_DEMO_3CX_SECRET: DEMO_3CX_CLIENT.secret,
    GW3CX_DEMO_CHANNEL_TOKEN: "demo-channel-token",
  };
}

const GIVEN = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Edsger",
  "Barbara",
  "Donald",
  "Margaret",
  "Linus",
  "Frances",
  "Ken",
  "Radia",
  "Tim",
  "Hedy",
  "Dennis",
  "Sophie",
  "John",
  "Annie",
  "Niklaus",
  "Joan",
  "Zoë",
  "José",
  "Łukasz",
  "Søren",
  "Aiko",
];
const FAMILY = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Dijkstra",
  "Liskov",
  "Knuth",
  "Hamilton",
  "Torvalds",
  "Allen",
  "Thompson",
  "Perlman",
  "Berners-Lee",
  "Lamarr",
  "Ritchie",
  "Wilson",
  "McCarthy",
  "Easley",
  "Wirth",
  "Clarke",
  "Ñúñez",
  "García",
  "Wąsowski",
  "Kierkegaard",
  "Tanaka",
];
const UNITS = ["/Sales", "/Sales/EMEA", "/Engineering", "/Support", "/"];
const PHONE_FORMATS = [
  (n: number) => `+49 30 5550${n.toString().padStart(3, "0")}`,
  (n: number) => `+4930 5550 ${n.toString().padStart(3, "0")}`,
  (n: number) => `(030) 5550${n.toString().padStart(3, "0")}`,
];

type SeedUsers = NonNullable<TenantSeed["users"]>;

const at = (now: number, offsetMs: number) => ({ dateTime: new Date(now + offsetMs).toISOString() });
const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Calendar presence to watch within two minutes of `npm start` (times relative to the start): a
 * meeting under way ends about a minute in (DND, then back), a stand-up with an attendee begins
 * 30 s in and ends 90 s in (both go DND and come back), one person is out of office for the
 * afternoon (Away), and a private appointment shows "Busy until ..." without its title.
 */
function addDemoMeetings(users: SeedUsers, now: number): void {
  const byIndex = (i: number) => users[i + 1] as SeedUsers[number];
  const addTo = (user: SeedUsers[number], event: NonNullable<SeedUsers[number]["events"]>[number]) => {
    user.events = [...(user.events ?? []), event];
  };
  const organizer = byIndex(0);
  const attendee = byIndex(1);
  addTo(organizer, {
    summary: "Demo stand-up",
    start: at(now, 30 * SECOND),
    end: at(now, 90 * SECOND),
    attendees: [
      { email: organizer.primaryEmail, organizer: true, responseStatus: "accepted" },
      { email: attendee.primaryEmail, responseStatus: "accepted" },
    ],
  });
  addTo(byIndex(2), {
    summary: "Design review",
    start: at(now, -20 * MINUTE),
    end: at(now, 60 * SECOND),
  });
  addTo(byIndex(3), {
    summary: "Out of office",
    eventType: "outOfOffice",
    start: at(now, -MINUTE),
    end: at(now, 4 * 60 * MINUTE),
  });
  addTo(byIndex(4), {
    summary: "Doctor",
    visibility: "private",
    start: at(now, 20 * SECOND),
    end: at(now, 80 * SECOND),
  });
}

/**
 * A few labelled ("3CX") personal contacts for the first users, and one unlabelled, so a newcomer
 * sees contacts land in 3CX phonebooks (and one that is not synced, with a photo and a third mobile
 * reported as not fitting).
 */
function addDemoContacts(users: SeedUsers): void {
  const byIndex = (i: number) => users[i + 1] as SeedUsers[number];
  byIndex(0).contacts = [
    {
      givenName: "Grace",
      familyName: "Hopper",
      company: "Navy Labs",
      jobTitle: "Rear Admiral",
      emails: [{ value: "grace@navy.example" }],
      phones: [
        { value: "+1 202 555 0101", type: "mobile" },
        { value: "+1 202 555 0102", type: "work" },
      ],
      labels: ["3CX"],
    },
    {
      givenName: "Alan",
      familyName: "Turing",
      phones: [
        { value: "+44 20 7946 0011", type: "mobile" },
        { value: "+44 20 7946 0012", type: "mobile" },
        { value: "+44 20 7946 0013", type: "mobile" },
      ],
      photoUrl: "https://example.com/alan.jpg",
      labels: ["3CX"],
    },
    { givenName: "Private", familyName: "Friend", phones: [{ value: "+49 151 0000000", type: "mobile" }] },
  ];
  byIndex(1).contacts = [
    {
      givenName: "Katherine",
      familyName: "Johnson",
      company: "NASA",
      phones: [{ value: "+1 757 555 0199", type: "work" }],
      labels: ["3CX"],
    },
  ];
}

/** `now` places the demo meetings (default: the moment the seed is made, i.e. `npm start`). */
export function demoWorkspaceSeed(now = Date.now()): TenantSeed {
  const users: NonNullable<TenantSeed["users"]> = [
    {
      primaryEmail: DEMO_ADMIN,
      givenName: "Workspace",
      familyName: "Admin",
      isAdmin: true,
      orgUnitPath: "/",
    },
  ];
  for (let i = 0; i < 48; i++) {
    const givenName = GIVEN[i % GIVEN.length] as string;
    const familyName = FAMILY[(i * 7) % FAMILY.length] as string;
    const localPart = `${givenName}.${familyName}.${i}`
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^a-z0-9.]/g, "");
    users.push({
      primaryEmail: `${localPart}@example.com`,
      givenName,
      familyName,
      orgUnitPath: UNITS[i % UNITS.length] as string,
      suspended: i === 5 || i === 17 || i === 29,
      archived: i === 41,
      phones:
        i % 4 === 0
          ? [{ type: "work", value: (PHONE_FORMATS[i % 3] as (n: number) => string)(i), primary: true }]
          : [],
    });
  }
  // Two different people with the same name: sync must keep them apart by id and email.
  users.push({
    primaryEmail: "maria.garcia@example.com",
    givenName: "María",
    familyName: "García",
    orgUnitPath: "/Sales",
  });
  users.push({
    primaryEmail: "maria.garcia2@example.com",
    givenName: "María",
    familyName: "García",
    orgUnitPath: "/Support",
  });
  addDemoMeetings(users, now);
  addDemoContacts(users);
  // Already has a 3CX extension, created by hand before gw3cx: adopted by email, not duplicated.
  users.push({
    primaryEmail: "reception@example.com",
    givenName: "Front",
    familyName: "Desk",
    orgUnitPath: "/",
    phones: [{ type: "work", value: "+49 30 5550100", primary: true }],
  });
  return {
    customer: { id: "C0demo001", domain: "example.com" },
    serviceAccounts: [
      { email: DEMO_SERVICE_ACCOUNT, uniqueId: "104729000000000000001", sourceToken: DEMO_SOURCE_TOKEN },
    ],
    domainWideDelegation: [
      {
        clientId: "104729000000000000001",
        scopes: [
          "https://www.googleapis.com/auth/admin.directory.user.readonly",
          "https://www.googleapis.com/auth/admin.directory.group.member.readonly",
          "https://www.googleapis.com/auth/calendar.events.readonly",
          "https://www.googleapis.com/auth/contacts.readonly",
          "https://www.googleapis.com/auth/gmail.send",
        ],
      },
    ],
    orgUnits: ["/", "/Sales", "/Sales/EMEA", "/Engineering", "/Support"],
    users,
    groups: [{ email: "sales@example.com", name: "Sales", members: [{ email: "maria.garcia@example.com" }] }],
  };
}

export function demoThreeCxSeed(): ThreeCxSeed {
  return {
    extensionStart: "100",
    apiClients: [
      { clientId: DEMO_3CX_CLIENT.clientId, secret: DEMO_3CX_CLIENT.secret, role: "system_owner" },
    ],
    departments: [{ Name: "DEFAULT" }],
    otherDns: [
      { Number: "1003", Name: "Sales queue", Type: "Queue" },
      { Number: "1004", Name: "Support ring group", Type: "RingGroup" },
      { Number: "800", Name: "Main menu", Type: "IVR" },
    ],
    users: [
      {
        Number: "1000",
        FirstName: "Front",
        LastName: "Desk",
        EmailAddress: "Reception@Example.com",
        Mobile: "+49305550100",
      },
      { Number: "1001", FirstName: "Conference", LastName: "Room", EmailAddress: "room@example.com" },
    ],
  };
}
