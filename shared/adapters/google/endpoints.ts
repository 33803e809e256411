/**
 * Where the Google APIs live. Production leaves apiRootUrl unset so each client keeps its own host
 * (admin., people., gmail.googleapis.com, www. for Calendar); tests point every one of them at the
 * Workspace simulator. Nothing else in the adapters names a Google host.
 */
export interface GoogleEndpoints {
  /** One root for every Workspace API (the simulator), or undefined for Google's own hosts. */
  apiRootUrl?: string;
  oauthTokenUrl: string;
  iamCredentialsRootUrl: string;
}

export const GOOGLE_ENDPOINTS: GoogleEndpoints = {
  oauthTokenUrl: "https://oauth2.googleapis.com/token",
  iamCredentialsRootUrl: "https://iamcredentials.googleapis.com/",
};

/** The subset of settings.google this module reads (kept structural so it needs no config import). */
export interface GoogleEndpointSettings {
  apiRootUrl?: string;
  oauthTokenUrl: string;
  iamCredentialsRootUrl: string;
}

export function endpointsFromSettings(google: GoogleEndpointSettings): GoogleEndpoints {
  return {
    apiRootUrl: google.apiRootUrl,
    oauthTokenUrl: google.oauthTokenUrl,
    iamCredentialsRootUrl: google.iamCredentialsRootUrl,
  };
}

/**
 * Options every generated client is built with. Retries are off in the client because the adapters
 * retry with their own policy (and count attempts); a request may not hang a function forever.
 */
export function clientOptions(rootUrl: string | undefined, timeoutMs: number) {
  return {
    ...(rootUrl === undefined ? {} : { rootUrl: withTrailingSlash(rootUrl) }),
    retry: false,
    timeout: timeoutMs,
    // Node's own fetch: gaxios would otherwise load node-fetch, a second HTTP stack.
    fetchImplementation: globalThis.fetch,
  };
}

export function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
