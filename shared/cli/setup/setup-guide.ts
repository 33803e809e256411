import { SECRET_IDS } from "../../../infra/secret-ids.js";
import type { Settings } from "../../config/schema.js";
import type { NeededScope } from "../../usecases/doctor/doctor-ports.js";
import type { DelegatingAccount, DeploymentOutputs } from "./deployment-outputs.js";
import { enabledFeatures, neededScopes } from "./feature-needs.js";

/** One block of steps done in one place (the Admin console, 3CX, the Cloud console). */
export interface SetupSection {
  id: "delegation" | "threecx-api-client" | "cloud" | "smtp-relay" | "google-sign-in" | "next";
  title: string;
  steps: string[];
}

/** What `gw3cx setup` prints (and `--json` is exactly). */
export interface SetupGuide {
  features: string[];
  delegation: {
    /** Comma-separated, one line: what the Admin console's "OAuth scopes" field takes. */
    scopesLine: string;
    scopes: NeededScope[];
    /** Empty until the deployment's outputs are read. */
    clients: DelegatingAccount[];
    /** The outputs file the client ids came from. */
    outputs?: string;
  };
  sections: SetupSection[];
}

export interface SetupFacts {
  outputs?: DeploymentOutputs;
  /** GoogleSettings.ProvisionUrl as the PBX reports it, when it could be read. */
  provisionUrl?: string;
}

const DWD_PAGE =
  "Admin console (admin.google.com) > Security > Access and data control > API controls > Manage Domain Wide Delegation";

/** The steps for the features switched on in `settings`, with the deployment's client ids when known. */
export function setupGuide(settings: Settings, facts: SetupFacts = {}): SetupGuide {
  const scopes = neededScopes(settings);
  const scopesLine = scopes.map((s) => s.scope).join(",");
  const clients = facts.outputs?.delegatingAccounts ?? [];
  const project = settings.gcp.projectId ?? "PROJECT_ID";
  const sections: SetupSection[] = [
    delegationSection(settings, scopesLine, clients),
    threecxSection(settings, project),
    cloudSection(settings, project),
  ];
  if (settings.mail.configurePbx) sections.push(smtpRelaySection(settings));
  if (settings.sso) sections.push(signInSection(settings, facts.provisionUrl));
  sections.push({
    id: "next",
    title: "Then",
    // A deployment keeps its state in Firestore; the demo and a single machine in SQLite.
    steps: settings.gcp.projectId
      ? [
          "`gw3cx doctor --state firestore --outputs outputs.json`: every check should pass (it names the fix for each that does not)",
          "`gw3cx plan --state firestore`: what the first sync would change; `gw3cx sync --state firestore` applies it (or wait for the nightly run)",
        ]
      : [
          "`gw3cx doctor`: every check should pass (it names the fix for each that does not)",
          "`gw3cx plan`: what the first sync would change; `gw3cx sync` applies it",
        ],
  });
  return {
    features: enabledFeatures(settings),
    delegation: { scopesLine, scopes, clients, ...(facts.outputs ? { outputs: facts.outputs.source } : {}) },
    sections,
  };
}

function delegationSection(
  settings: Settings,
  scopesLine: string,
  clients: DelegatingAccount[],
): SetupSection {
  const steps = [`${DWD_PAGE} > Add new (a Workspace super admin).`];
  if (clients.length > 0) {
    for (const c of clients)
      steps.push(`Client ID ${c.clientId} (${c.account}); OAuth scopes: ${scopesLine}; Authorize.`);
  } else {
    const account = settings.google.serviceAccountEmail ?? "SERVICE_ACCOUNT_EMAIL";
    steps.push(
      `Client ID: each delegating account's numeric id. After a deployment, save \`terraform output -json > outputs.json\` ` +
        "(or `cdktf deploy --outputs-file outputs.json`) and run `gw3cx setup --outputs outputs.json` to list them; " +
        `for one account: \`gcloud iam service-accounts describe ${account} --format='value(uniqueId)'\`.`,
      `OAuth scopes (each client id): ${scopesLine}; Authorize.`,
    );
  }
  steps.push("Google may take a few minutes (rarely up to 24 hours) to apply a new entry.");
  return { id: "delegation", title: "Domain-wide delegation (Google Admin console)", steps };
}

function threecxSection(settings: Settings, project: string): SetupSection {
  const secret = SECRET_IDS.threecxClientSecret;
  return {
    id: "threecx-api-client",
    title: "3CX API client (3CX Admin console)",
    steps: [
      "Admin > Integrations > API > Add.",
      `Client ID: a name of your choice (e.g. gw3cx); set it as threecx.clientId${settings.threecx.clientId ? ` (now "${settings.threecx.clientId}")` : ""}.`,
      "Tick XAPI Access Enabled; Role: System Owner (GoogleSettings, MailSettings and the storage settings are refused to any other role).",
      "Save, and copy the API key (the client secret) at once: 3CX shows it only then.",
      `Store it in Secret Manager: printf '%s' 'API_KEY' | gcloud secrets versions add ${secret} --data-file=- --project ${project}`,
      `For the CLI on your machine: threecx.clientSecret: "sm:projects/${project}/secrets/${secret}" (or env:NAME with the key in that variable).`,
    ],
  };
}

function cloudSection(settings: Settings, project: string): SetupSection {
  const steps = [
    `Before the first deploy: a project with billing, then gcloud services enable serviceusage.googleapis.com cloudresourcemanager.googleapis.com --project ${project} (the deploy enables every other API).`,
    `The channel token: openssl rand -hex 32 | tr -d '\\n' | gcloud secrets versions add ${SECRET_IDS.channelToken} --data-file=- --project ${project}`,
    `Optional, for the status page in a browser: gcloud beta run services update gw3cx-status-page --region ${settings.gcp.region} --iap, then set statusPage.iapAudience.`,
    // The CLI delegates keylessly as google.serviceAccountEmail: the operator signs as that account.
    `For this CLI (plan, sync, doctor) to act as ${settings.google.serviceAccountEmail ?? "google.serviceAccountEmail"}: gcloud iam service-accounts add-iam-policy-binding ${settings.google.serviceAccountEmail ?? `gw3cx-daily-sync@${project}.iam.gserviceaccount.com`} --member user:YOUR_EMAIL --role roles/iam.serviceAccountTokenCreator --project ${project}`,
  ];
  if (settings.sso)
    steps.push("Google sign-in: the OAuth client below is made in the Cloud console (no API creates it).");
  return { id: "cloud", title: "Google Cloud (gcloud / Cloud console)", steps };
}

function smtpRelaySection(settings: Settings): SetupSection {
  const sender =
    settings.mail.pbxSender ?? settings.google.mailSender ?? settings.google.adminSubject ?? "the sender";
  return {
    id: "smtp-relay",
    title: "SMTP relay for 3CX's system mail (Google Admin console)",
    steps: [
      "Apps > Google Workspace > Gmail > Routing > SMTP relay service > Configure.",
      'Allowed senders: "Only addresses in my domains".',
      `Authentication: "Only accept mail from the specified IP addresses", with the PBX's public IP address (3CX sends as ${sender} through ${settings.mail.smtpRelay}, no password).`,
      '"Require TLS encryption" on; Save. Changes can take up to an hour.',
      "`gw3cx pbx-settings plan`, then `gw3cx pbx-settings apply`.",
    ],
  };
}

function signInSection(settings: Settings, provisionUrl: string | undefined): SetupSection {
  const origin = settings.threecx.url ? new URL(settings.threecx.url).origin : "https://PBX_FQDN";
  const redirect = provisionUrl
    ? `Authorized redirect URIs: ${provisionUrl} (GoogleSettings.ProvisionUrl as the PBX reports it; unverified against a real PBX: compare with Integrations > Google).`
    : "Authorized redirect URIs: the one the 3CX Admin console shows under Integrations > Google (the PBX did not report GoogleSettings.ProvisionUrl).";
  return {
    id: "google-sign-in",
    title: "OAuth client for Google sign-in (Google Cloud console)",
    steps: [
      'Google Auth Platform (APIs & Services > OAuth consent screen) > Get started: app name (e.g. "PBX sign-in"), support email, Audience Internal, contact email; Create.',
      'Clients > Create client: Web application, name "3CX".',
      `Authorized JavaScript origins: ${origin}`,
      redirect,
      "Create; put the client id in google.signInClientId and the secret in Secret Manager, referenced by google.signInClientSecret.",
      "`gw3cx pbx-settings apply`, then `gw3cx sync` switches sign-in on for the synced users.",
    ],
  };
}
