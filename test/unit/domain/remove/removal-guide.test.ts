import { describe, expect, it } from "vitest";
import { removalGuide } from "../../../../shared/domain/remove/removal-guide.js";

const none = { pbxMail: false, sso: false, recaptcha: false, personalContacts: false };
const base = {
  features: none,
  contactsDeleted: false,
  managedUsers: 12,
  projectId: "acme",
  region: "europe-west1",
};

const titles = (steps: Array<{ title: string }>) => steps.map((s) => s.title);

describe("removalGuide", () => {
  it("names the delegation client ids from the outputs, or says where to find them", () => {
    const withOutputs = removalGuide({
      ...base,
      delegation: {
        source: "outputs.json",
        clients: [
          { account: "gw3cx-user-sync@acme.iam.gserviceaccount.com", clientId: "1111" },
          { account: "gw3cx-contacts@acme.iam.gserviceaccount.com", clientId: "2222" },
        ],
      },
    });
    const step = withOutputs.after.find((s) => s.title === "Remove domain-wide delegation")?.detail;
    expect(step).toContain("delete client id 1111 (gw3cx-user-sync@acme.iam.gserviceaccount.com), 2222");
    expect(step).toContain("(from outputs.json)");
    const without = removalGuide(base).after.find((s) => s.title === "Remove domain-wide delegation")?.detail;
    expect(without).toContain("give --outputs FILE");
  });

  it("adds the SMTP relay, OAuth client and reCAPTCHA steps only for the features that made them", () => {
    expect(titles(removalGuide(base).after)).not.toEqual(
      expect.arrayContaining(["Remove the SMTP relay entry"]),
    );
    const all = removalGuide({
      ...base,
      features: { pbxMail: true, sso: true, recaptcha: true, personalContacts: true },
    });
    expect(titles(all.after)).toEqual(
      expect.arrayContaining([
        "Remove the SMTP relay entry",
        "Delete the OAuth client for Google sign-in",
        "Take reCAPTCHA off your web forms",
      ]),
    );
    expect(all.leftInPlace.map((l) => l.what)).toEqual(
      expect.arrayContaining([expect.stringContaining("personal phonebook entries")]),
    );
  });

  it("says what stays: the users on record, the bucket by the name infra gives it, the Firestore database", () => {
    const guide = removalGuide(base);
    const what = guide.leftInPlace.map((l) => l.what).join("\n");
    expect(what).toContain("(12 on record)");
    expect(what).toContain("the archive bucket acme-gw3cx-archive");
    expect(what).toContain("Firestore (default) database");
    expect(guide.before[0]?.detail).toContain("--location europe-west1 --project acme");
  });
});
