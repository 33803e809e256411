import { SECRET_IDS } from "../../../infra/secret-ids.js";
import type { Settings } from "../../config/schema.js";

const addVersion = (secret: string, project: string) =>
  `printf '%s' 'API_KEY' | gcloud secrets versions add ${secret} --data-file=- --project ${project}`;

/** Where the 3CX client secret is read from, said so an admin knows where to put a new one. */
export function threecxSecretHint(settings: Settings): string {
  const ref = settings.threecx.clientSecret;
  const deployed = `Secret Manager: ${addVersion(SECRET_IDS.threecxClientSecret, settings.gcp.projectId ?? "PROJECT_ID")}`;
  if (ref?.kind === "secretManager") {
    const match = /^projects\/([^/]+)\/secrets\/([^/]+)/.exec(ref.name);
    if (match?.[1] && match[2]) return `Secret Manager: ${addVersion(match[2], match[1])}`;
  }
  if (ref?.kind === "env") return `the environment variable ${ref.name} (deployed: ${deployed})`;
  return `threecx.clientSecret (deployed: ${deployed})`;
}
