/** Who may use the status page, decided per request: someone allowed (named), or why not. */
export type Access =
  | { allowed: true; viewer: string }
  | { allowed: false; status: 401 | 403; reason: string };
