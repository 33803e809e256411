/**
 * What `gw3cx remove` leaves on purpose and what is left to do by hand around it, from the
 * settings and the deployment's outputs. Pure: the command prints it, the README explains it.
 */

export interface RemovalGuideInput {
  /** The features the settings switch on (what gw3cx may have set up). */
  features: {
    pbxMail: boolean;
    sso: boolean;
    recaptcha: boolean;
    personalContacts: boolean;
  };
  /** Whether this removal deletes the phonebook entries gw3cx wrote (--contacts). */
  contactsDeleted: boolean;
  /** 3CX users gw3cx created or adopted (its links). */
  managedUsers: number;
  projectId?: string;
  region: string;
  /** The archive bucket (storage.bucket, or the name infra gives it). */
  bucket?: string;
  threecxClientId?: string;
  /** Delegating accounts and their client ids, from the Terraform outputs (--outputs). */
  delegation?: { source: string; clients: ReadonlyArray<{ account: string; clientId: string }> };
}

/** Something gw3cx set up that stays after the removal, why, and how to take it away if wanted. */
export interface LeftInPlace {
  what: string;
  why: string;
  howToRemove: string;
}

export interface ManualStep {
  title: string;
  detail: string;
}

export interface RemovalGuide {
  leftInPlace: LeftInPlace[];
  /** In the cloud, before `remove apply`. */
  before: ManualStep[];
  /** After `remove apply`. */
  after: ManualStep[];
}

/** The Cloud Scheduler jobs that open watch channels again (the nightly run and the renewal tick). */
export const CHANNEL_OPENING_JOBS = ["gw3cx-daily-sync", "gw3cx-renew-channels"] as const;

export function removalGuide(input: RemovalGuideInput): RemovalGuide {
  const project = input.projectId ?? "PROJECT";
  const bucket = input.bucket ?? `${project}-gw3cx-archive`;
  const leftInPlace: LeftInPlace[] = [
    {
      what: `3CX users gw3cx created or adopted (${input.managedUsers} on record)`,
      why: "they are real users: extensions, numbers, voicemail and history people use; gw3cx never deletes anyone",
      howToRemove: "3CX Admin Console > Users, one by one if you really want them gone",
    },
  ];
  if (input.features.personalContacts && !input.contactsDeleted) {
    leftInPlace.push({
      what: "personal phonebook entries gw3cx wrote (ContactType Google)",
      why: "they are in people's phonebooks and may be relied on; they are ordinary contacts once gw3cx stops",
      howToRemove:
        "`gw3cx remove apply --contacts` deletes exactly the ones gw3cx wrote (while its state is still there); otherwise each user in the 3CX web client or apps",
    });
  }
  const pbxSettings: string[] = [];
  if (input.features.pbxMail)
    pbxSettings.push("system mail through the SMTP relay (Admin Console > Settings > Email)");
  if (input.features.sso)
    pbxSettings.push(
      "Google sign-in and its OAuth client (Admin Console > Integrations > Google; each user's Google sign-in flag in Users)",
    );
  if (input.features.recaptcha) pbxSettings.push("reCAPTCHA (Admin Console > Integrations > Google)");
  leftInPlace.push({
    what: `3CX settings \`gw3cx pbx-settings\` writes${pbxSettings.length > 0 ? `: ${pbxSettings.join("; ")}` : " (mail, Google sign-in, reCAPTCHA; none is on in these settings)"}`,
    why: "3CX keeps working with them, and switching mail or sign-in off without a replacement would lock people out or stop the PBX's mail",
    howToRemove: "change them where named, after setting up what replaces them",
  });
  leftInPlace.push({
    what: `the archive bucket ${bucket} and what is in it (recordings, voicemails, transcripts, backups)`,
    why: "it may be the only copy of your recordings; Terraform refuses to delete a bucket that holds objects",
    howToRemove: `copy what you keep (\`gcloud storage cp -r gs://${bucket} .\`), then \`gcloud storage rm -r gs://${bucket}\``,
  });
  leftInPlace.push({
    what: "the Firestore (default) database (links, runs, channels)",
    why: "deletion-protected and abandoned by the destroy: it is the only copy of gw3cx's links, wanted if you reinstall",
    howToRemove: `\`gcloud firestore databases update --database='(default)' --no-delete-protection --project ${project}\`, then \`gcloud firestore databases delete --database='(default)' --project ${project}\``,
  });

  const before: ManualStep[] = [
    {
      title: "Pause the jobs that open watch channels",
      detail: `in the cloud the nightly run and the 3-hourly tick would open new channels between this removal and the destroy: \`gcloud scheduler jobs pause JOB --location ${input.region} --project ${project}\` for ${CHANNEL_OPENING_JOBS.join(" and ")}`,
    },
    {
      title: "Keep the Terraform outputs",
      detail:
        "the destroy removes them, and the client ids below come from them: `terraform output -json > outputs.json` (or `cdktf deploy --outputs-file`), then `gw3cx remove plan --state firestore --outputs outputs.json` with the cloud settings",
    },
  ];
  const clients = input.delegation?.clients ?? [];
  const after: ManualStep[] = [
    {
      title: "Destroy the infrastructure",
      detail:
        "`npx cdktf destroy`, or `terraform destroy` / `tofu destroy` in cdktf.out/stacks/gw3cx. It deletes the functions, topics, queue, scheduler jobs, service accounts and the secrets with every version; it leaves the archive bucket while it holds objects (it stops there with an error: empty or keep it, see above, and destroy again), the Firestore database (abandoned), and the project's APIs (left enabled: other things may use them)",
    },
    {
      title: "Remove domain-wide delegation",
      detail:
        clients.length > 0
          ? `Admin console > Security > Access and data control > API controls > Manage domain-wide delegation: delete client id ${clients.map((c) => `${c.clientId} (${c.account})`).join(", ")} (from ${input.delegation?.source})`
          : "Admin console > Security > Access and data control > API controls > Manage domain-wide delegation: delete each client id of gw3cx's accounts (Terraform output delegation_client_ids; give --outputs FILE to list them here)",
    },
    {
      title: "Delete the 3CX API client",
      detail: `3CX Admin Console > Integrations > API: delete the API client gw3cx used (threecx.clientId${input.threecxClientId ? `: ${input.threecxClientId}` : ""}); its token stops working at once`,
    },
  ];
  if (input.features.pbxMail)
    after.push({
      title: "Remove the SMTP relay entry",
      detail:
        "once 3CX sends its mail another way: Admin console > Apps > Google Workspace > Gmail > Routing > SMTP relay service: delete the entry that admits the PBX's IP address",
    });
  if (input.features.sso)
    after.push({
      title: "Delete the OAuth client for Google sign-in",
      detail: `once 3CX's Google sign-in is off (Admin Console > Integrations > Google): Cloud console > Google Auth Platform > Clients in project ${project}: delete the "3CX" web client`,
    });
  if (input.features.recaptcha)
    after.push({
      title: "Take reCAPTCHA off your web forms",
      detail:
        "the destroy deletes the reCAPTCHA key and the verify function: remove the grecaptcha script and the call to gw3cx-recaptcha-verify from the forms that use them",
    });
  after.push({
    title: "Cloud Functions build leftovers",
    detail: `Cloud Functions, not Terraform, made the Artifact Registry repository gcf-artifacts (the functions' images) in ${input.region}: \`gcloud artifacts repositories delete gcf-artifacts --location ${input.region} --project ${project}\` if nothing else deploys functions there`,
  });
  after.push({
    title: "This machine",
    detail:
      "the local state, outbox and storage folder live in .gw3cx/ (embedded.stateDbPath's folder): delete it once you no longer need them",
  });
  return { leftInPlace, before, after };
}
