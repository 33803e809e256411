import type { DelegationHealth } from "../../domain/delegation/delegation-health.js";
import type { DelegationHealthStore } from "../../ports/delegation-health.js";
import type { StateStore } from "../../ports/state-store.js";

const COLLECTION = "delegationHealth";

/** One document per (account, scope); the id is readable and holds no "/" (scopes are URLs). */
function documentId(account: string, scope: string): string {
  return encodeURIComponent(`${account} ${scope}`).replaceAll(".", "%2E");
}

/**
 * Delegation health in gw3cx's state store: SQLite on one machine, Firestore in the cloud. The
 * records hold account emails, scopes and Google's refusal messages, never a token.
 */
export function stateStoreDelegationHealth(state: StateStore): DelegationHealthStore {
  return {
    async get(account, scope) {
      const doc = await state.get<DelegationHealth & Record<string, unknown>>(
        COLLECTION,
        documentId(account, scope),
      );
      return doc?.data;
    },
    async put(health) {
      await state.set(COLLECTION, documentId(health.account, health.scope), { ...health });
    },
    async list() {
      const docs = await state.query<DelegationHealth & Record<string, unknown>>(COLLECTION);
      return docs.map((doc) => doc.data);
    },
  };
}
