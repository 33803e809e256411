import type { Gw3cxStatus } from "../../usecases/status/read-status.js";
import { describeContactCounts } from "./contact-run.js";
import { formatDuration } from "./durations.js";
import { approveCommand, describeCounts } from "./run-summary.js";
import { renderSection } from "./table.js";

/** `gw3cx status`: managed users, held runs first (they need someone), recent runs, watch channels. */
export function renderStatus(status: Gw3cxStatus): string {
  return [
    `3CX users managed by gw3cx: ${status.managedUsers}`,
    renderSection(
      "Held runs (waiting for approval)",
      ["run", "would disable", "allowed", "approve with"],
      status.held.map((r) => [
        r.runId,
        r.heldDisables?.length ?? 0,
        r.safeguard?.limit ?? "",
        approveCommand(r.runId),
      ]),
    ),
    renderSection(
      "Recent runs",
      ["run", "trigger", "status", "started", "changes", "errors"],
      status.runs.map((r) => [
        r.runId,
        r.trigger,
        r.status === "abandoned"
          ? `abandoned\n(no sign of life since ${r.heartbeatAt ?? r.startedAt})`
          : r.status,
        r.startedAt,
        describeCounts(r.applied ?? r.counts, r.status !== "applied" && r.applied === undefined),
        r.errors.length > 0 ? r.errors.map((e) => `${e.code}: ${e.message}`).join("\n") : "",
      ]),
    ),
    renderSection(
      "Directory watch channels",
      ["event", "channel", "expires", "in"],
      status.channels.map((c) => [
        c.event ?? "",
        c.channelId,
        c.expiration ? new Date(c.expiration).toISOString() : "no expiry",
        c.expiresInMs === undefined ? "" : formatDuration(c.expiresInMs),
      ]),
    ),
    renderSection(
      `Presence overrides (calendars watched: ${status.presence.calendarChannels})`,
      ["user", "profile", "since", "until", "block"],
      status.presence.overrides.map((o) => [o.user, o.profile, o.since, o.until, o.kind]),
    ),
    renderSection(
      "Last personal contacts run",
      ["run", "status", "started", "users", "contacts", "failures"],
      status.contacts
        ? [
            [
              status.contacts.runId,
              status.contacts.status,
              status.contacts.startedAt,
              `${status.contacts.users.done} done, ${status.contacts.users.noLabel} no label, ${status.contacts.users.failed} failed of ${status.contacts.usersExpected}`,
              describeContactCounts(status.contacts),
              [
                ...(status.contacts.error ? [status.contacts.error] : []),
                ...status.contacts.failures.map((f) => ({ ...f, code: `${f.email} ${f.code}` })),
              ]
                .map((f) => `${f.code}: ${f.message}`)
                .join("\n"),
            ],
          ]
        : [],
    ),
  ].join("\n\n");
}
