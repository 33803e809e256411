import { describe, expect, it } from "vitest";
import {
  archiverAccountEmail,
  keysToRetire,
  versionsToDisable,
} from "../../../../shared/domain/storage/archiver-key.js";

describe("archiver key rotation rules", () => {
  it("names the dedicated account in the project", () => {
    expect(archiverAccountEmail("acme-pbx")).toBe("gw3cx-archiver@acme-pbx.iam.gserviceaccount.com");
  });

  it("retires every other key once 3CX holds the new one", () => {
    expect(keysToRetire(["a", "b", "new"], "new")).toEqual(["a", "b"]);
    expect(keysToRetire(["new"], "new")).toEqual([]);
  });

  it("disables every other enabled secret version, leaving disabled and destroyed ones", () => {
    const v = (n: number, state: string) => ({ name: `projects/p/secrets/s/versions/${n}`, state });
    expect(
      versionsToDisable(
        [v(1, "DESTROYED"), v(2, "DISABLED"), v(3, "ENABLED"), v(4, "ENABLED")],
        v(4, "").name,
      ),
    ).toEqual([v(3, "").name]);
  });
});
