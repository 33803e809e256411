import type { PresenceExplanation } from "../../domain/presence/explain-presence.js";
import { renderSection } from "./table.js";

/** `gw3cx explain` for people: the decision, its block and rule, then every event and how it counted. */
export function renderExplanation(e: PresenceExplanation): string {
  const decision =
    e.profile !== null
      ? `${e.profile}${e.block?.kind === "dnd" ? " (Do Not Disturb)" : ""}`
      : e.rule === "reserved-profile"
        ? "nothing: the user shows Lunch or Business Trip, which calendar data never overrides"
        : "nothing: no busy time now (at the end of a block gw3cx restores what the user had)";
  const lines = [
    `at:            ${e.at}`,
    `decision:      ${decision}`,
    `rule:          ${e.rule ?? "none"}`,
    `block:         ${e.block ? `${e.block.start} to ${e.block.end} (${e.block.kind})` : "none"}`,
    `next boundary: ${e.nextBoundary ?? "none"}`,
  ];
  const events = renderSection(
    "Events",
    ["event", "start", "end", "counts", "rule"],
    e.events.map((ev) => [
      ev.title || "(no title)",
      ev.start ?? "",
      ev.end ?? "",
      ev.counted ? `yes: ${ev.profile}` : "no",
      ev.rule,
    ]),
  );
  return `${lines.join("\n")}\n\n${events}`;
}
