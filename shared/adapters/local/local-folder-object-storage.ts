import { randomBytes } from "node:crypto";
import { chmod, link, lstat, mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import {
  type ObjectStorage,
  ObjectStorageError,
  type StoredObject,
  type WriteOptions,
} from "../../ports/object-storage.js";
import { validateObjectPath } from "../object-path.js";
import type { LocalLinkKey } from "./local-link-key.js";

/** Beside each object, its content type and metadata; list and stat never show it as an object. */
export const SIDECAR_SUFFIX = ".gw3cx-meta.json";
/** Under the root, where writes are prepared before they appear at once (same file system: rename). */
const TEMP_DIR = ".gw3cx-tmp";
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export interface LocalReadLinks {
  key: LocalLinkKey;
  /** The local HTTP host's base URL (known once it listens); undefined: no link can be made yet. */
  baseUrl: () => string | undefined;
}

export interface LocalFolderObjectStorageOptions {
  /** The folder standing in for the bucket (settings.storage.localDir); made 0700 on first write. */
  root: string;
  /** How signedReadUrl makes links that the local HTTP host serves; without it, links are refused. */
  links?: LocalReadLinks;
  now?: () => Date;
}

interface Sidecar {
  contentType?: string;
  metadata: Record<string, string>;
}

/**
 * The bucket on a single machine: each object is a file under root at its own path (so a
 * recording dropped into the folder is an object too), written whole or not at all.
 */
export class LocalFolderObjectStorage implements ObjectStorage {
  readonly root: string;
  private readonly now: () => Date;

  constructor(private readonly options: LocalFolderObjectStorageOptions) {
    this.root = resolve(options.root);
    this.now = options.now ?? (() => new Date());
  }

  async read(path: string): Promise<Buffer> {
    const file = this.fileOf(path);
    try {
      return await readFile(file);
    } catch (error) {
      throw this.notFoundOr(path, error);
    }
  }

  async openReadStream(path: string): Promise<Readable> {
    const file = this.fileOf(path);
    try {
      const handle = await open(file, "r");
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        throw Object.assign(new Error(`${file} is not a file`), { code: "EISDIR" });
      }
      return handle.createReadStream();
    } catch (error) {
      throw this.notFoundOr(path, error);
    }
  }

  async write(path: string, data: Buffer | string, options: WriteOptions = {}): Promise<StoredObject> {
    const file = this.fileOf(path);
    const sidecar: Sidecar = {
      ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
      metadata: { ...(options.metadata ?? {}) },
    };
    const temp = join(this.root, TEMP_DIR, randomBytes(12).toString("hex"));
    try {
      await this.makeDirectories(TEMP_DIR);
      await this.makeDirectories(parentOf(path));
      await writeFile(temp, data, { mode: FILE_MODE, flag: "wx" });
      await writeFile(`${temp}.meta`, JSON.stringify(sidecar), { mode: FILE_MODE, flag: "wx" });
      if (options.ifAbsent) {
        // link() fails if the name exists: of two writers exactly one wins, and the file appears whole.
        await link(temp, file);
        await rename(`${temp}.meta`, `${file}${SIDECAR_SUFFIX}`);
      } else {
        await rename(`${temp}.meta`, `${file}${SIDECAR_SUFFIX}`);
        await rename(temp, file);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") {
        throw new ObjectStorageError("STORAGE_OBJECT_EXISTS", `an object is already stored at ${path}`, {
          cause: error,
          details: { path },
        });
      }
      if (code === "ENOTDIR" || code === "EISDIR" || code === "EPERM") {
        throw new ObjectStorageError(
          "STORAGE_INVALID_PATH",
          `object path ${JSON.stringify(path)} collides with a folder or an object on its way (a folder cannot hold both "a" and "a/b")`,
          { cause: error, details: { path } },
        );
      }
      throw new ObjectStorageError("STORAGE_UNAVAILABLE", `could not write ${path} under ${this.root}`, {
        cause: error,
        details: { path },
      });
    } finally {
      await rm(temp, { force: true });
      await rm(`${temp}.meta`, { force: true });
    }
    const stored = await this.stat(path);
    if (!stored)
      throw new ObjectStorageError("STORAGE_UNAVAILABLE", `${path} vanished right after its write`);
    return stored;
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    const file = this.fileOf(path);
    try {
      const info = await lstat(file);
      if (!info.isFile()) return undefined;
      const sidecar = await this.readSidecar(file);
      return {
        path,
        size: info.size,
        ...(sidecar.contentType !== undefined ? { contentType: sidecar.contentType } : {}),
        updated: info.mtime,
        metadata: sidecar.metadata,
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw new ObjectStorageError("STORAGE_UNAVAILABLE", `could not read ${path}`, { cause: error });
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    // Only the folder the prefix ends in can hold matches; its last part filters names.
    const folder = parentOf(prefix);
    if (folder !== "") validateObjectPath(folder);
    const paths: string[] = [];
    await this.walk(folder, paths);
    const matching = paths.filter((path) => path.startsWith(prefix)).sort(byPath);
    const objects = await Promise.all(matching.map((path) => this.stat(path)));
    return objects.filter((object): object is StoredObject => object !== undefined);
  }

  async signedReadUrl(path: string, expiresInSeconds: number): Promise<string> {
    const links = this.options.links;
    const base = links?.baseUrl();
    if (!links || !base) {
      throw new ObjectStorageError(
        "STORAGE_UNAVAILABLE",
        "no local link host: read links are served by the local HTTP host once it listens",
        { details: { path } },
      );
    }
    if (!(await this.stat(path))) {
      throw new ObjectStorageError("STORAGE_NOT_FOUND", `no object ${path}`, { details: { path } });
    }
    const expires = Math.floor(this.now().getTime() / 1000) + expiresInSeconds;
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    return `${base}/storage/${encoded}?expires=${expires}&signature=${links.key.sign(path, expires)}`;
  }

  /** The file for an object path, after refusing paths that leave the root or name our own files. */
  private fileOf(path: string): string {
    validateObjectPath(path);
    if (path === TEMP_DIR || path.startsWith(`${TEMP_DIR}/`) || path.endsWith(SIDECAR_SUFFIX)) {
      throw new ObjectStorageError(
        "STORAGE_INVALID_PATH",
        `object path ${JSON.stringify(path)} is reserved for the local folder's own files (${TEMP_DIR}/, *${SIDECAR_SUFFIX})`,
        { details: { path } },
      );
    }
    return join(this.root, path);
  }

  private async readSidecar(file: string): Promise<Sidecar> {
    try {
      const parsed = JSON.parse(await readFile(`${file}${SIDECAR_SUFFIX}`, "utf8")) as Partial<Sidecar>;
      return {
        ...(typeof parsed.contentType === "string" ? { contentType: parsed.contentType } : {}),
        metadata: { ...(parsed.metadata ?? {}) },
      };
    } catch (error) {
      // A file dropped into the folder by hand (or 3CX) has no sidecar: it is an object all the same.
      if (isMissing(error)) return { metadata: {} };
      throw error;
    }
  }

  /** Creates root and each missing folder down to `relative`, 0700 whatever the umask. */
  private async makeDirectories(relative: string): Promise<void> {
    let current = this.root;
    for (const segment of ["", ...relative.split("/").filter(Boolean)]) {
      current = segment === "" ? current : join(current, segment);
      try {
        await mkdir(current, { mode: DIR_MODE });
        await chmod(current, DIR_MODE);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
  }

  private async walk(relative: string, into: string[]): Promise<void> {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(join(this.root, relative), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw new ObjectStorageError("STORAGE_UNAVAILABLE", `could not list ${relative || "/"}`, {
        cause: error,
      });
    }
    for (const entry of entries) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (path !== TEMP_DIR) await this.walk(path, into);
      } else if (entry.isFile() && !entry.name.endsWith(SIDECAR_SUFFIX)) {
        into.push(path);
      }
    }
  }

  private notFoundOr(path: string, error: unknown): ObjectStorageError {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === "EISDIR") {
      return new ObjectStorageError("STORAGE_NOT_FOUND", `no object ${path}`, {
        cause: error,
        details: { path },
      });
    }
    return new ObjectStorageError("STORAGE_UNAVAILABLE", `could not read ${path}`, { cause: error });
  }
}

/** "a/b/c" -> "a/b", "a" -> "", "a/" -> "a". */
function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** Byte order of the UTF-8 names, as Cloud Storage lists them. */
function byPath(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
