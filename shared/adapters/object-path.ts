import { ObjectStorageError } from "../ports/object-storage.js";

/**
 * An object path as both adapters accept it: relative, "/"-separated, no empty, "." or ".."
 * segment, no backslash or control character. On a folder this keeps every object inside the
 * root; in Cloud Storage it keeps the names the folder could also hold.
 */
export function validateObjectPath(path: string): string {
  const refuse = (why: string) =>
    new ObjectStorageError("STORAGE_INVALID_PATH", `object path ${JSON.stringify(path)} ${why}`, {
      details: { path },
    });
  if (path.length === 0) throw refuse("is empty");
  if (path.length > 1024) throw refuse("is longer than 1024 characters");
  if (path.startsWith("/")) throw refuse("is absolute (starts with /)");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(path)) throw refuse("contains a backslash or a control character");
  for (const segment of path.split("/")) {
    if (segment === "") throw refuse("has an empty segment (// or a trailing /)");
    if (segment === "." || segment === "..") throw refuse(`has a "${segment}" segment`);
  }
  return path;
}
