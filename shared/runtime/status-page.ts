import type { Gw3cxStatus } from "../usecases/status/read-status.js";

const escapeHtml = (text: unknown): string =>
  String(text ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

function counts(c: Record<string, number> | undefined): string {
  if (!c) return "";
  return Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

/** A plain HTML page of the state: readable without JavaScript, refreshes itself every 5 s. */
export function renderStatusPage(status: Gw3cxStatus): string {
  const runs = status.runs
    .map(
      (r) =>
        `<tr class="${escapeHtml(r.status)}"><td>${escapeHtml(r.runId)}</td><td>${escapeHtml(r.trigger)}</td><td>${escapeHtml(r.status)}${r.status === "abandoned" ? ` <small>(no sign of life since ${escapeHtml(r.heartbeatAt ?? r.startedAt)})</small>` : ""}</td><td>${escapeHtml(r.startedAt)}</td><td>${escapeHtml(counts(r.applied as unknown as Record<string, number>) || counts(r.counts as unknown as Record<string, number>))}</td><td>${escapeHtml(r.errors.map((e) => `${e.code}: ${e.message}`).join("; "))}</td></tr>`,
    )
    .join("");
  const held = status.held
    .map(
      (r) =>
        `<li><b>${escapeHtml(r.runId)}</b>: would disable ${escapeHtml(r.heldDisables?.length)} users (limit ${escapeHtml(r.safeguard?.limit)}). Approve with <code>gw3cx sync --approve ${escapeHtml(r.runId)}</code></li>`,
    )
    .join("");
  const channels = status.channels
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.event)}</td><td>${escapeHtml(c.channelId)}</td><td>${escapeHtml(c.expiration?.toISOString() ?? "no expiry")}</td></tr>`,
    )
    .join("");
  const overrides = status.presence.overrides
    .map(
      (o) =>
        `<tr><td>${escapeHtml(o.user)}</td><td>${escapeHtml(o.profile)}</td><td>${escapeHtml(o.since)}</td><td>${escapeHtml(o.until)}</td><td>${escapeHtml(o.kind)}</td></tr>`,
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>gw3cx status</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin-bottom:1.5rem}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}tr.held td{background:#fff4e5}tr.failed td,tr.abandoned td{background:#fdecea}code{background:#f3f3f3;padding:0 .2rem}</style></head>
<body><h1>gw3cx</h1><p>${status.managedUsers} 3CX users managed.</p>
<h2>Held runs</h2>${held ? `<ul>${held}</ul>` : "<p>None.</p>"}
<h2>Recent runs</h2><table><tr><th>run</th><th>trigger</th><th>status</th><th>started</th><th>changes</th><th>errors</th></tr>${runs}</table>
<h2>Directory watch channels</h2><table><tr><th>event</th><th>channel</th><th>expires</th></tr>${channels}</table>
<h2>Presence overrides</h2><p>${escapeHtml(status.presence.calendarChannels)} calendars watched.</p>${overrides ? `<table><tr><th>user</th><th>profile</th><th>since</th><th>until</th><th>block</th></tr>${overrides}</table>` : "<p>None.</p>"}</body></html>`;
}
