import { describe, expect, it } from "vitest";
import { DelegationError } from "../../../shared/adapters/google/delegation-error.js";
import { DelegationHealthRecorder } from "../../../shared/adapters/google/delegation-health-recorder.js";
import { RecordedDelegation } from "../../../shared/adapters/google/recorded-delegation.js";
import { stateStoreDelegationHealth } from "../../../shared/adapters/state/state-store-delegation-health.js";
import type { DelegationHealth } from "../../../shared/domain/delegation/delegation-health.js";
import type { StateStore } from "../../../shared/ports/state-store.js";

const CONTACTS = "gw3cx-contacts@acme-gw3cx.iam.gserviceaccount.com";
const DAILY = "gw3cx-daily-sync@acme-gw3cx.iam.gserviceaccount.com";
const PEOPLE_SCOPE = "https://www.googleapis.com/auth/contacts.readonly";
const USERS_SCOPE = "https://www.googleapis.com/auth/admin.directory.user.readonly";

const working = (account: string, scope: string, at: string): DelegationHealth => ({
  account,
  scope,
  lastSuccessAt: at,
  last: "success",
  writtenAt: at,
});

/** The delegation health records on a StateStore adapter: what the functions write and doctor reads. */
export function describeDelegationHealthContract(subject: { name: string; open: () => Promise<StateStore> }) {
  describe(`DelegationHealthStore contract: ${subject.name}`, () => {
    const withStore = (run: (state: StateStore) => Promise<void>) => async () => {
      const state = await subject.open();
      try {
        await run(state);
      } finally {
        await state.close();
      }
    };

    it(
      "keeps one record per (account, scope), scopes with slashes and emails with dots intact",
      withStore(async (state) => {
        const health = stateStoreDelegationHealth(state);
        expect(await health.get(CONTACTS, PEOPLE_SCOPE)).toBeUndefined();
        const refused: DelegationHealth = {
          account: CONTACTS,
          scope: PEOPLE_SCOPE,
          lastSuccessAt: "2026-03-23T02:00:00.000Z",
          lastRefusal: {
            at: "2026-03-24T02:00:00.000Z",
            reason: "unauthorized_client",
            step: "TOKEN_EXCHANGE",
            subject: "zoë@example.com",
            message: "token exchange refused (unauthorized_client): Client is unauthorized",
          },
          last: "refused",
          writtenAt: "2026-03-24T02:00:00.000Z",
        };
        await health.put(refused);
        await health.put(working(CONTACTS, USERS_SCOPE, "2026-03-24T02:00:01.000Z"));
        await health.put(working(DAILY, PEOPLE_SCOPE, "2026-03-24T02:00:02.000Z"));
        expect(await health.get(CONTACTS, PEOPLE_SCOPE)).toEqual(refused);
        expect(await health.get(DAILY, PEOPLE_SCOPE)).toEqual(
          working(DAILY, PEOPLE_SCOPE, "2026-03-24T02:00:02.000Z"),
        );
        const listed = await health.list();
        expect(listed.map((r) => `${r.account} ${r.scope}`).sort()).toEqual(
          [`${CONTACTS} ${PEOPLE_SCOPE}`, `${CONTACTS} ${USERS_SCOPE}`, `${DAILY} ${PEOPLE_SCOPE}`].sort(),
        );
      }),
    );

    it(
      "a later write of the same (account, scope) replaces what it says",
      withStore(async (state) => {
        const health = stateStoreDelegationHealth(state);
        await health.put(working(CONTACTS, PEOPLE_SCOPE, "2026-03-24T02:00:00.000Z"));
        await health.put(working(CONTACTS, PEOPLE_SCOPE, "2026-03-24T03:00:00.000Z"));
        expect((await health.get(CONTACTS, PEOPLE_SCOPE))?.lastSuccessAt).toBe("2026-03-24T03:00:00.000Z");
        expect(await health.list()).toHaveLength(1);
      }),
    );

    it(
      "what one function instance records through its token path, another process reads",
      withStore(async (state) => {
        const recorder = new DelegationHealthRecorder(stateStoreDelegationHealth(state));
        const tokens = new RecordedDelegation(
          {
            accessToken: async (_subject, scopes) => {
              if (scopes.includes(PEOPLE_SCOPE))
                throw new DelegationError("TOKEN_EXCHANGE", "NOT_AUTHORIZED", "refused", {
                  reason: "unauthorized_client",
                });
              return "token";
            },
            invalidate: () => {},
          },
          CONTACTS,
          recorder,
        );
        await tokens.accessToken("ada@example.com", [USERS_SCOPE]);
        await expect(tokens.accessToken("ada@example.com", [PEOPLE_SCOPE])).rejects.toThrow("refused");
        await recorder.settled();
        const doctor = stateStoreDelegationHealth(state);
        expect(await doctor.get(CONTACTS, USERS_SCOPE)).toMatchObject({ last: "success" });
        expect(await doctor.get(CONTACTS, PEOPLE_SCOPE)).toMatchObject({
          last: "refused",
          lastRefusal: { reason: "unauthorized_client", subject: "ada@example.com" },
        });
      }),
    );
  });
}
