import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../shared/config/config-error.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { resolveSecret } from "../../../shared/config/resolve-secret.js";

function problemsOf(fn: () => unknown): ConfigError["problems"] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "gw3cx-config-")), name);
  writeFileSync(file, text);
  return file;
}

describe("loadSettings", () => {
  it("applies 3CX's defaults when nothing is set", () => {
    const s = loadSettings({ env: {} });
    expect(s.syncType).toBe("all");
    expect(s.gwSyncTime).toBe("02:00:00");
    expect(s.contactLabel).toBe("3CX");
    expect(s.presence).toEqual({
      eventProfile: "Out of office",
      focusTimeProfile: "Out of office",
      outOfOfficeProfile: "Away",
      includeTentative: false,
      statusMessage: true,
    });
    expect(s.safeguard.maxDisableCount).toBe(5);
    expect(s.safeguard.maxDisablePercent).toBe(10);
    expect(s.startingExtension).toBeUndefined();
  });

  it("reads GW_SYNC_TIME under 3CX's own name and converts typed variables", () => {
    const s = loadSettings({
      env: {
        GW_SYNC_TIME: "23:15:00",
        GW3CX_SYNC_PHOTO: "yes",
        GW3CX_SAFEGUARD_MAX_DISABLE_COUNT: "12",
        GW3CX_SYNC_TYPE: "selected",
        GW3CX_SELECTED_USERS: "ada@example.com, alan@example.com",
      },
    });
    expect(s.gwSyncTime).toBe("23:15:00");
    expect(s.syncPhoto).toBe(true);
    expect(s.safeguard.maxDisableCount).toBe(12);
    expect(s.selectedUsers).toEqual(["ada@example.com", "alan@example.com"]);
  });

  it("reports every bad value at once, naming the setting, its source, the value and what is allowed", () => {
    const problems = problemsOf(() =>
      loadSettings({
        env: {
          GW_SYNC_TIME: "25:00",
          GW3CX_SYNC_TYPE: "some",
          GW3CX_TIME_ZONE: "Mars/Olympus",
          GW3CX_SYNC_PHOTO: "maybe",
        },
      }),
    );
    const bySetting = Object.fromEntries(problems.map((p) => [p.setting, p]));
    expect(Object.keys(bySetting).sort()).toEqual(["gwSyncTime", "syncPhoto", "syncType", "timeZone"]);
    expect(bySetting.gwSyncTime).toMatchObject({ source: "$GW_SYNC_TIME", value: '"25:00"' });
    expect(bySetting.gwSyncTime?.allowed).toContain("HH:MM:SS");
    expect(bySetting.syncType?.allowed).toContain("allExceptSelected");
    expect(bySetting.timeZone?.allowed).toContain("IANA");
    expect(bySetting.syncPhoto?.value).toBe('"maybe"');
  });

  it("formats one message line per problem", () => {
    try {
      loadSettings({ env: { GW_SYNC_TIME: "7pm", GW3CX_STARTING_EXTENSION: "ext-1" } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message.split("\n").filter((l) => l.startsWith("  - "))).toHaveLength(2);
      expect(message).toContain('gwSyncTime ($GW_SYNC_TIME) = "7pm"');
      expect(message).toContain('startingExtension ($GW3CX_STARTING_EXTENSION) = "ext-1"');
      expect((error as ConfigError).code).toBe("CONFIG_INVALID");
    }
  });

  it("requires a selection list for the selective sync types", () => {
    const problems = problemsOf(() => loadSettings({ env: { GW3CX_SYNC_TYPE: "selectedOrgUnits" } }));
    expect(problems).toEqual([expect.objectContaining({ setting: "selectedOrgUnits" })]);
  });

  it("reads YAML and JSON files, with environment variables taking precedence", () => {
    const yaml = tempFile(
      "gw3cx.yaml",
      "syncType: allExceptSelected\nselectedUsers: [ceo@example.com]\nsafeguard:\n  maxDisableCount: 3\n",
    );
    const s = loadSettings({ env: { GW3CX_CONFIG: yaml, GW3CX_SAFEGUARD_MAX_DISABLE_PERCENT: "20" } });
    expect(s.syncType).toBe("allExceptSelected");
    expect(s.safeguard).toMatchObject({ maxDisableCount: 3, maxDisablePercent: 20 });

    const json = tempFile("gw3cx.json", JSON.stringify({ startingExtension: "2000" }));
    expect(loadSettings({ env: {}, file: json }).startingExtension).toBe("2000");
  });

  it("names a misspelt setting from a file", () => {
    const file = tempFile("gw3cx.yaml", "syncTpye: all\nthreecx:\n  urll: https://pbx.example.com\n");
    const problems = problemsOf(() => loadSettings({ env: {}, file }));
    expect(problems.map((p) => p.setting).sort()).toEqual(["syncTpye", "threecx.urll"]);
  });

  it("reports an unreadable file by path", () => {
    const problems = problemsOf(() => loadSettings({ env: { GW3CX_CONFIG: "/nonexistent/gw3cx.yaml" } }));
    expect(problems[0]).toMatchObject({ setting: "GW3CX_CONFIG", value: '"/nonexistent/gw3cx.yaml"' });
  });

  it("refuses a literal secret and never echoes it back", () => {
    const secret = "s3cr3t-client-secret-value";
    try {
      loadSettings({ env: { GW3CX_3CX_CLIENT_SECRET: secret } });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("threecx.clientSecret");
      expect(message).toContain("(hidden)");
      expect(message).not.toContain(secret);
    }
  });

  it("accepts secret references and resolves env references", () => {
    const s = loadSettings({
      env: {
        GW3CX_3CX_CLIENT_SECRET: "env:THREECX_SECRET",
        GW3CX_GOOGLE_CHANNEL_TOKEN: "sm:projects/acme-gw3cx/secrets/channel-token",
      },
    });
    expect(s.threecx.clientSecret).toEqual({ kind: "env", name: "THREECX_SECRET" });
    expect(s.google.channelToken).toEqual({
      kind: "secretManager",
      name: "projects/acme-gw3cx/secrets/channel-token/versions/latest",
    });
    const ref = s.threecx.clientSecret;
    if (!ref) throw new Error("clientSecret missing");
    expect(resolveSecret(ref, "threecx.clientSecret", { THREECX_SECRET: "x" })).toBe("x");
    expect(() => resolveSecret(ref, "threecx.clientSecret", {})).toThrow(/THREECX_SECRET, which is not set/);
  });
});
