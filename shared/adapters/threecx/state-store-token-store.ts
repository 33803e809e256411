import type { StateStore } from "../../ports/state-store.js";
import type { SharedToken, SharedTokenStore } from "./shared-token-store.js";

const COLLECTION = "threecxTokens";

/**
 * The shared XAPI token in gw3cx's state store, one document per API client. The token is short
 * lived and only the functions' own service accounts can read the store; it is never logged.
 */
export function stateStoreTokenStore(state: StateStore, clientId: string): SharedTokenStore {
  const id = encodeURIComponent(clientId).replaceAll(".", "%2E");
  return {
    async load() {
      const doc = await state.get<SharedToken & Record<string, unknown>>(COLLECTION, id);
      return doc ? { token: doc.data.token, expiresAt: doc.data.expiresAt } : undefined;
    },
    async save(token) {
      await state.set(COLLECTION, id, { token: token.token, expiresAt: token.expiresAt });
    },
  };
}
