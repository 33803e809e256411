import type { LocalStack } from "../start-local.js";
import { describeContactCounts } from "./contact-run.js";
import { describeCounts, USER_SYNC_OFF_TEXT } from "./run-summary.js";

/** What `npm start` prints once it is up: where to look, how to poke it, how to stop it. */
export function renderWhereToLook(stack: LocalStack): string {
  const { firstSync, host, simulators } = stack;
  const run = firstSync.run;
  const lines = [
    simulators
      ? "gw3cx is running on this machine against the bundled simulators (demo organisation)."
      : "gw3cx is running on this machine against your tenant.",
    "",
    `  Status page    ${host.url}/`,
    `  Webhook        ${host.webhookUrl}`,
  ];
  if (simulators) {
    lines.push(
      `  Workspace sim  ${simulators.googleUrl}`,
      `  3CX sim        ${simulators.threecxUrl}   (its users: ${simulators.threecxUrl}/_sim/state)`,
    );
  }
  lines.push("", `First sync ${run.runId}: ${run.status}, ${describeCounts(run.applied ?? run.counts)}.`);
  if (run.status === "off") lines.push(`  ${USER_SYNC_OFF_TEXT}`);
  if (run.status === "held")
    lines.push(`  Review it, then approve it with: npm run gw3cx -- sync --approve ${run.runId}`);
  for (const error of run.errors.slice(0, 5)) lines.push(`  ${error.code}: ${error.message}`);
  const contacts = stack.firstContacts?.run;
  if (contacts) {
    lines.push(
      `Personal contacts ${contacts.runId}: ${contacts.status}, ${contacts.error ? contacts.error.message : describeContactCounts(contacts)}` +
        ` (see \`npm run gw3cx -- contacts plan\`, labelled "${stack.settings.contactLabel}" in Google).`,
    );
  }
  if (simulators) {
    const email =
      firstSync.plan?.creates.find((c) => c.email.startsWith("ada."))?.email ??
      firstSync.plan?.creates[0]?.email ??
      "USER@example.com";
    const users = `${simulators.googleUrl}/_sim/users`;
    lines.push(
      "",
      "Change a user in the Workspace simulator and see it in 3CX within a second:",
      `  curl -X PATCH ${users}/${email} -H 'content-type: application/json' -d '{"givenName":"Ada2"}'`,
      `  curl ${simulators.threecxUrl}/_sim/state`,
      `  Also: POST ${users} (new user), DELETE ${users}/EMAIL, PATCH ... -d '{"suspended":true}'`,
    );
    if (stack.settings.calendarPresence) {
      const now = Date.now();
      const at = (minutes: number) => `${new Date(now + minutes * 60_000).toISOString().slice(0, 19)}Z`;
      lines.push(
        "",
        "Presence: the demo has meetings around now; watch profiles flip to DND and back within two minutes",
        "(status page, or `npm run gw3cx -- status`). Add a meeting of your own:",
        `  curl -X POST ${users}/${email}/events -H 'content-type: application/json' \\`,
        `    -d '{"summary":"Try it","start":{"dateTime":"${at(0)}"},"end":{"dateTime":"${at(2)}"}}'`,
        `  npm run gw3cx -- explain ${email}`,
      );
    }
  }
  if (stack.transcription) {
    const root = stack.transcription.root;
    lines.push(
      "",
      `Transcription: a recording or voicemail copied into ${root}/recordings/EXT/ or ${root}/voicemails/EXT/`,
      "is transcribed beside itself (NAME.transcript.json and .txt; pocketsphinx, en-US, 16 kHz speech works best):",
      `  cp /usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0920.wav ${root}/recordings/1000/`,
    );
  }
  lines.push(
    "",
    "In another terminal:  npm run gw3cx -- plan | sync | status   (add --json for scripts)",
    "Stop with Ctrl+C.",
  );
  return lines.join("\n");
}
