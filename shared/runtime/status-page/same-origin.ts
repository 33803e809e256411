import type { IncomingHttpHeaders } from "node:http";

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Whether a state-changing request comes from the page itself. A browser sends Origin with every
 * POST (and Sec-Fetch-Site with every request), so a form on another site posting here, which
 * would carry the admin's cookies (IAP's session), shows a foreign origin and is refused. A request
 * with neither header is refused too: scripts approve with `gw3cx sync --approve` instead.
 */
export function isSameOrigin(headers: IncomingHttpHeaders, selfOrigin: string): boolean {
  const origin = header(headers, "origin");
  if (origin !== undefined) return origin === selfOrigin;
  return header(headers, "sec-fetch-site") === "same-origin";
}

/** The page's own origin as the browser sees it: the Host it asked for, over the scheme it used. */
export function selfOriginOf(headers: IncomingHttpHeaders, defaultScheme: "http" | "https"): string {
  const scheme = header(headers, "x-forwarded-proto")?.split(",")[0]?.trim() || defaultScheme;
  return `${scheme}://${header(headers, "host") ?? ""}`;
}
