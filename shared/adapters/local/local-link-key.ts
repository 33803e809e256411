import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Gw3cxError } from "../../errors.js";
import { ensurePrivateDirectory, ensurePrivateFile } from "../sqlite/private-files.js";

/** 32 random bytes, hex: a fresh install makes its own, so no two installs accept each other's links. */
const KEY_BYTES = 32;

/**
 * The per-install secret behind local read links (the stand-in for a V4 signature on one machine):
 * an HMAC over the object path and the expiry instant. Kept 0600 in a file beside the local state,
 * so links survive a restart and stop working when the file is replaced.
 */
export class LocalLinkKey {
  private loaded: Buffer | undefined;

  private constructor(private readonly load: () => Buffer) {}

  /**
   * The key kept in this file, read (or created) on first use: a CLI command that never makes or
   * serves a link never touches the file.
   */
  static atFile(file: string): LocalLinkKey {
    return new LocalLinkKey(() => LocalLinkKey.readOrCreate(file));
  }

  /** Reads the key file now, creating it (0600, exclusively, so two starts agree on one key) if missing. */
  static loadOrCreate(file: string): LocalLinkKey {
    const key = LocalLinkKey.readOrCreate(file);
    return new LocalLinkKey(() => key);
  }

  private static readOrCreate(file: string): Buffer {
    ensurePrivateDirectory(dirname(file));
    // Written aside, then linked into place: a reader never sees a half-written key, and of two
    // first starts exactly one key wins (link fails on an existing name).
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(temp, randomBytes(KEY_BYTES).toString("hex"), { mode: 0o600, flag: "wx" });
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      rmSync(temp, { force: true });
    }
    ensurePrivateFile(file);
    const key = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
    if (key.length !== KEY_BYTES) {
      throw new Gw3cxError(
        "STORAGE_LINK_KEY_INVALID",
        `the link key file ${file} does not hold ${KEY_BYTES} hex bytes`,
        {
          details: { file },
        },
      );
    }
    return key;
  }

  /** A key held only in memory (tests, or a process that wants no link to outlive it). */
  static ephemeral(): LocalLinkKey {
    const key = randomBytes(KEY_BYTES);
    return new LocalLinkKey(() => key);
  }

  sign(path: string, expiresAtSeconds: number): string {
    if (!this.loaded) this.loaded = this.load();
    return createHmac("sha256", this.loaded).update(`${path}\n${expiresAtSeconds}`).digest("base64url");
  }

  /** True when the signature is this key's for the path and expiry and the expiry is not past. */
  verify(path: string, expiresAtSeconds: number, signature: string, now: Date): boolean {
    if (!Number.isSafeInteger(expiresAtSeconds)) return false;
    const expected = Buffer.from(this.sign(path, expiresAtSeconds));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    return expiresAtSeconds * 1000 > now.getTime();
  }
}
