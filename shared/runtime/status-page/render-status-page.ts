import { formatSpan, type StatusTime } from "../../domain/status/status-time.js";
import type { Gw3cxStatus, HeldRunView, RunView } from "../../usecases/status/read-status.js";
import type { SyncRunCounts } from "../../usecases/user-sync/sync-run-store.js";
import { escapeHtml, section, table } from "./html.js";
import { STATUS_PAGE_CSS } from "./styles.js";

export interface StatusPageOptions {
  /** Shown above everything: the outcome of an approval just made. */
  notice?: { kind: "ok" | "bad"; text: string };
  /** Who is looking (cloud: the verified admin); shown in the footer. */
  viewer?: string;
  /** Sent back with an approval: the local page's guard against cross-site posts. */
  csrfToken?: string;
}

/** "2026-03-24 ..." with the instant as machine-readable datetime and the relative time beside it. */
function when(time: StatusTime, relative = true): string {
  const local = `<time datetime="${escapeHtml(time.at)}">${escapeHtml(time.local)}</time>`;
  return relative ? `${local} <span class="muted">(${escapeHtml(time.relative)})</span>` : local;
}

const STATUS_CLASS: Record<string, string> = {
  applied: "ok",
  approved: "ok",
  planned: "ok",
  running: "warn",
  held: "warn",
  off: "warn",
  failed: "bad",
  abandoned: "bad",
};

function badge(status: string): string {
  return `<span class="badge ${STATUS_CLASS[status] ?? "warn"}">${escapeHtml(status)}</span>`;
}

function describeCounts(counts: SyncRunCounts | undefined): string {
  if (!counts) return "";
  return Object.entries(counts)
    .filter(([key, n]) => n > 0 && key !== "problems")
    .map(([key, n]) => `${key} ${n}`)
    .join(", ");
}

function runRow(r: RunView): string[] {
  const status =
    r.status === "abandoned"
      ? `${badge(r.status)} <small>no sign of life since ${escapeHtml(r.heartbeatAt ?? r.startedAt)}</small>`
      : badge(r.status);
  return [
    `<code>${escapeHtml(r.runId)}</code>`,
    escapeHtml(r.trigger),
    status,
    when(r.started),
    escapeHtml(formatSpan(r.durationMs)),
    escapeHtml(describeCounts(r.applied ?? r.counts) || "no changes"),
    r.problems > 0
      ? `<span class="badge bad">${r.problems}</span> ${escapeHtml(r.errors.map((e) => `${e.code}: ${e.message}`).join("; "))}`
      : "0",
  ];
}

const RUN_COLUMNS = ["run", "kind", "status", "started", "took", "changes", "problems"];

function heldRun(run: HeldRunView, index: number, options: StatusPageOptions): string {
  const id = `held-${index}`;
  const disables = run.heldDisables ?? [];
  const users = table(
    `${id}-users`,
    ["user", "extension", "why"],
    disables.map((d) => [escapeHtml(d.email), escapeHtml(d.number), escapeHtml(d.reason)]),
  );
  const csrf = options.csrfToken
    ? `<input type="hidden" name="csrf" value="${escapeHtml(options.csrfToken)}">`
    : "";
  return `<article aria-labelledby="${id}"><h3 id="${id}">Run <code>${escapeHtml(run.runId)}</code>, ${when(run.started)}</h3>
<p>Would disable <strong>${disables.length}</strong> users; the safeguard allows ${escapeHtml(run.safeguard?.limit ?? "?")} without approval.</p>
<p class="muted" id="${id}-users">Users it would disable:</p>${users}
<form method="post" action="approve"><input type="hidden" name="runId" value="${escapeHtml(run.runId)}">${csrf}
<p><button type="submit">Approve run ${escapeHtml(run.runId)} and disable ${disables.length} users</button></p></form>
<p class="muted">Or from a terminal: <code>gw3cx sync --approve ${escapeHtml(run.runId)}</code></p></article>`;
}

function deadLetterPart(status: Gw3cxStatus): string {
  if ("unavailable" in status.deadLetters)
    return `<p class="notice bad">Could not read the dead letters: ${escapeHtml(status.deadLetters.unavailable)}</p>`;
  const rows = status.deadLetters.topics.map((t) => [
    `<code>${escapeHtml(t.topic)}</code>`,
    t.count === 0
      ? `<span class="badge ok">0</span>`
      : `<span class="badge bad">${t.atLeast ? "at least " : ""}${t.count}</span>`,
    t.newest.length === 0
      ? ""
      : `<ul>${t.newest.map((d) => `<li>${escapeHtml(d.reason)} <span class="muted">(${escapeHtml(d.at)})</span></li>`).join("")}</ul>`,
  ]);
  return table("dead-letters", ["topic", "messages", "newest reasons"], rows);
}

/**
 * The status page: server-rendered HTML of the status model, no script. Landmarks (banner, main,
 * contentinfo), one region per section named by its heading, tables with scoped headers; every value
 * escaped. Held runs carry an approve form (POST approve, guarded by the request handler).
 */
export function renderStatusPage(status: Gw3cxStatus, options: StatusPageOptions = {}): string {
  const notice = options.notice
    ? `<p class="notice ${options.notice.kind}" role="status">${escapeHtml(options.notice.text)}</p>`
    : "";
  const held =
    status.held.length === 0
      ? "<p>None: nothing waits for approval.</p>"
      : status.held.map((run, i) => heldRun(run, i, options)).join("");
  const attention =
    status.attention.length === 0
      ? "<p>None among the recent runs.</p>"
      : table("attention", RUN_COLUMNS, status.attention.map(runRow));
  const nightly = `${when(status.nextNightlyRun.time)}${status.nextNightlyRun.scheduled ? "" : ' <span class="muted">(Cloud Scheduler runs it in a cloud deployment; this machine runs no nightly sync)</span>'}`;
  const channels =
    status.channels.length === 0
      ? "<p>No Directory channel is open: changes in Workspace reach 3CX only with the next full sync.</p>"
      : table(
          "channels",
          ["event", "channel", "expires"],
          status.channels.map((c) => [
            escapeHtml(c.event ?? ""),
            `<code>${escapeHtml(c.channelId)}</code>`,
            c.expires ? when(c.expires) : "no expiry",
          ]),
        );
  const overrides =
    status.presence.overrides.length === 0
      ? "<p>None right now.</p>"
      : table(
          "presence",
          ["user", "profile", "since", "until", "block"],
          status.presence.overrides.map((o) => [
            escapeHtml(o.user),
            escapeHtml(o.profile),
            when(o.sinceTime),
            when(o.untilTime),
            escapeHtml(o.kind),
          ]),
        );
  const extra = status.sections
    .map((s) =>
      section(
        `section-${s.id}`,
        s.title,
        `${s.summary ? `<p>${escapeHtml(s.summary)}</p>` : ""}${table(
          `section-${s.id}`,
          s.columns,
          s.rows.map((row) => row.map(escapeHtml)),
        )}`,
      ),
    )
    .join("");
  const mode =
    status.mode === "simulators" ? "the bundled simulators (demo organisation)" : "a Google Workspace tenant";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>gw3cx status${status.held.length > 0 ? ` (${status.held.length} held)` : ""}</title><style>${STATUS_PAGE_CSS}</style></head>
<body><header><h1>gw3cx status</h1><ul class="facts">
<li>Mode: <strong>${escapeHtml(mode)}</strong></li>
<li>PBX: <strong>${escapeHtml(status.pbxUrl ?? "not configured")}</strong></li>
<li><strong>${status.managedUsers}</strong> 3CX users managed</li>
<li>Time zone: <strong>${escapeHtml(status.timeZone)}</strong></li></ul></header>
<main>${notice}
${section("held", `Held runs (${status.held.length})`, held)}
${section("attention", "Failed or abandoned runs", attention)}
${section("last-runs", "Last run of each kind", status.lastRuns.length === 0 ? "<p>No run yet.</p>" : table("last-runs", RUN_COLUMNS, status.lastRuns.map(runRow)))}
${section("next-nightly", "Next nightly run", `<p>${nightly}</p>`)}
${section("channels", "Directory watch channels", channels)}
${section("dead-letters", "Dead letters", deadLetterPart(status))}
${section("presence", `Presence overrides (calendars watched: ${status.presence.calendarChannels})`, overrides)}
${extra}
${section("recent-runs", "Recent runs", status.runs.length === 0 ? "<p>No run yet.</p>" : table("recent-runs", RUN_COLUMNS, status.runs.map(runRow)))}
</main><footer><p>As of ${when(status.generatedAt, false)}${options.viewer ? `, for ${escapeHtml(options.viewer)}` : ""}. <a href="status.json">This status as JSON</a> (the same as <code>gw3cx status --json</code>).</p></footer></body></html>`;
}
