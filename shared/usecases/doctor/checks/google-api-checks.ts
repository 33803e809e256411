import { type CheckResult, fail, pass } from "../../../domain/doctor/check-result.js";
import { WorkspaceError } from "../../../ports/directory.js";
import type { DoctorCheck, DoctorConfig, DoctorGooglePorts, GoogleApiInUse } from "../doctor-ports.js";
import { isDelegationFailure, skipForDelegation } from "./delegation-check.js";

/** Google's words for "this API is not enabled in the project": classic APIs, then google.rpc.ErrorInfo. */
const API_DISABLED_REASONS = new Set(["accessNotConfigured", "SERVICE_DISABLED"]);

const nameOf = (api: GoogleApiInUse) => `google-api-${api.api}`;

/** One cheap read per Google API the enabled features use, as the admin subject. */
export function googleApiChecks(apis: readonly GoogleApiInUse[]): DoctorCheck[] {
  return apis.map((api) => ({
    names: [nameOf(api)],
    async run(ports, config) {
      if (!ports.google || !config.adminSubject) {
        return [
          fail(
            nameOf(api),
            config.googleUnavailable ?? "Google is not configured",
            "set the Google settings named here",
          ),
        ];
      }
      return [await readOnce(api, ports.google, config.adminSubject, ports.clock.now(), config)];
    },
  }));
}

async function readOnce(
  api: GoogleApiInUse,
  google: DoctorGooglePorts,
  subject: string,
  now: Date,
  config: DoctorConfig,
): Promise<CheckResult> {
  const name = nameOf(api);
  try {
    switch (api.api) {
      case "directory": {
        const page = await google.directory.listUsersPage({ maxResults: 1 });
        return pass(
          name,
          `${api.title} answers (users.list: ${page.users.length ? "users found" : "no users"})`,
        );
      }
      case "calendar": {
        // A one-minute window of the admin's own calendar: the smallest read the API has.
        await google.calendar.syncEvents(subject, {
          fullSyncFrom: now,
          fullSyncUntil: new Date(now.getTime() + 60_000),
        });
        return pass(name, `${api.title} answers (events.list of ${subject})`);
      }
      case "people": {
        const labels = await google.people.listContactLabels(subject);
        return pass(name, `${api.title} answers (contactGroups.list of ${subject}: ${labels.length} labels)`);
      }
    }
  } catch (error) {
    if (isDelegationFailure(error)) return skipForDelegation(name);
    if (error instanceof WorkspaceError && error.reason && API_DISABLED_REASONS.has(error.reason)) {
      const project = config.gcpProjectId ?? "PROJECT_ID";
      return fail(
        name,
        `${api.title} (${api.service}) is not enabled in the project of the delegating service account`,
        `gcloud services enable ${api.service} --project ${project} (then wait a few minutes)`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return fail(
      name,
      `${api.title} refused a read: ${message}`,
      "see the message; the delegation check names missing scopes",
    );
  }
}
