import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
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
  private constructor(private readonly key: Buffer) {}

  /** Reads the key file, creating it (0600, exclusively, so two starts agree on one key) if missing. */
  static loadOrCreate(file: string): LocalLinkKey {
    ensurePrivateDirectory(dirname(file));
    try {
      writeFileSync(file, randomBytes(KEY_BYTES).toString("hex"), { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
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
    return new LocalLinkKey(key);
  }

  /** A key held only in memory (tests, or a process that wants no link to outlive it). */
  static ephemeral(): LocalLinkKey {
    return new LocalLinkKey(randomBytes(KEY_BYTES));
  }

  sign(path: string, expiresAtSeconds: number): string {
    return createHmac("sha256", this.key).update(`${path}\n${expiresAtSeconds}`).digest("base64url");
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
