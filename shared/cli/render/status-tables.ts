import type { StatusTime } from "../../domain/status/status-time.js";
import { formatSpan } from "../../domain/status/status-time.js";
import type { Gw3cxStatus, RunView } from "../../usecases/status/read-status.js";
import { approveCommand, describeCounts } from "./run-summary.js";
import { renderSection } from "./table.js";

const when = (t: StatusTime) => `${t.local} (${t.relative})`;

const RUN_HEAD = ["run", "kind", "status", "started", "took", "changes", "problems"];

function runRow(r: RunView): string[] {
  return [
    r.runId,
    r.trigger,
    r.status === "abandoned"
      ? `abandoned\n(no sign of life since ${r.heartbeatAt ?? r.startedAt})`
      : r.status,
    when(r.started),
    formatSpan(r.durationMs),
    describeCounts(r.applied ?? r.counts, r.status !== "applied" && r.applied === undefined),
    r.errors.length > 0
      ? [String(r.problems), ...r.errors.map((e) => `${e.code}: ${e.message}`)].join("\n")
      : String(r.problems),
  ];
}

function deadLetterLines(status: Gw3cxStatus): string {
  if ("unavailable" in status.deadLetters)
    return `Dead letters: could not be read (${status.deadLetters.unavailable})`;
  return renderSection(
    "Dead letters",
    ["topic", "messages", "newest reasons"],
    status.deadLetters.topics.map((t) => [
      t.topic,
      `${t.atLeast && t.count > 0 ? "at least " : ""}${t.count}`,
      t.newest.map((d) => `${d.reason} (${d.at})`).join("\n"),
    ]),
  );
}

/** `gw3cx status`: the same model as the status page and `--json`, as text tables; held runs first (they need someone). */
export function renderStatus(status: Gw3cxStatus): string {
  const mode = status.mode === "simulators" ? "bundled simulators (demo)" : "Workspace tenant";
  const nightly = `Next nightly run: ${when(status.nextNightlyRun.time)}${status.nextNightlyRun.scheduled ? "" : " (scheduled in a cloud deployment; this machine runs none)"}`;
  return [
    `Mode: ${mode}; PBX: ${status.pbxUrl ?? "not configured"}; time zone ${status.timeZone}`,
    `3CX users managed by gw3cx: ${status.managedUsers}`,
    nightly,
    renderSection(
      "Held runs (waiting for approval)",
      ["run", "started", "would disable", "allowed", "approve with"],
      status.held.map((r) => [
        r.runId,
        when(r.started),
        (r.heldDisables ?? []).map((d) => d.email).join("\n") || "0",
        r.safeguard?.limit ?? "",
        approveCommand(r.runId),
      ]),
    ),
    renderSection("Failed or abandoned runs", RUN_HEAD, status.attention.map(runRow)),
    renderSection("Last run of each kind", RUN_HEAD, status.lastRuns.map(runRow)),
    renderSection("Recent runs", RUN_HEAD, status.runs.map(runRow)),
    renderSection(
      "Directory watch channels",
      ["event", "channel", "expires"],
      status.channels.map((c) => [c.event ?? "", c.channelId, c.expires ? when(c.expires) : "no expiry"]),
    ),
    deadLetterLines(status),
    renderSection(
      `Presence overrides (calendars watched: ${status.presence.calendarChannels})`,
      ["user", "profile", "since", "until", "block"],
      status.presence.overrides.map((o) => [o.user, o.profile, o.since, o.until, o.kind]),
    ),
    ...status.sections.map((s) =>
      [s.summary ? `${s.title}: ${s.summary}` : "", renderSection(s.title, s.columns, s.rows)]
        .filter(Boolean)
        .join("\n"),
    ),
  ].join("\n\n");
}
