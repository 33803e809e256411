import type { SetupGuide } from "../setup/setup-guide.js";

/** The guide as plain text: the scopes line stands alone so it copies cleanly. */
export function renderSetupGuide(guide: SetupGuide): string {
  const lines = [`Features on: ${guide.features.join(", ")}`, ""];
  lines.push(
    "Scopes to authorize (one line, as the Admin console takes them):",
    guide.delegation.scopesLine,
    "",
  );
  for (const s of guide.delegation.scopes) lines.push(`  ${s.scope}  (${s.neededFor})`);
  if (guide.delegation.outputs) lines.push("", `Client ids from ${guide.delegation.outputs}.`);
  for (const section of guide.sections) {
    lines.push("", section.title);
    section.steps.forEach((step, i) => {
      lines.push(`  ${i + 1}. ${step}`);
    });
  }
  return lines.join("\n");
}
