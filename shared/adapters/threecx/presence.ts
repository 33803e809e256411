/** Presence: the user's current forwarding profile (CurrentProfileName) and the profiles it can be. */
import { z } from "zod";
import type { ThreeCx } from "../../ports/threecx.js";
import type { ClientContext } from "./client-context.js";
import { readAll } from "./paging.js";

export function presenceOperations(
  ctx: ClientContext,
): Pick<ThreeCx, "getCurrentProfileName" | "setCurrentProfileName" | "listForwardingProfileNames"> {
  const { transport } = ctx;
  return {
    getCurrentProfileName: (userId) =>
      transport.call(
        { operation: "GetUser", params: { Id: userId }, query: { $select: ["CurrentProfileName"] } },
        (body) =>
          z.object({ CurrentProfileName: z.string().nullable().default(null) }).parse(body)
            .CurrentProfileName,
      ),
    setCurrentProfileName: (userId, profileName) =>
      transport.call(
        { operation: "UpdateUser", params: { Id: userId }, body: { CurrentProfileName: profileName } },
        () => undefined,
      ),
    listForwardingProfileNames: async (userId) =>
      (
        await readAll(
          transport,
          ctx.pages,
          { operation: "ListForwardingProfiles", params: { Id: userId }, query: { $select: ["Name"] } },
          z.object({ Name: z.string().nullable() }),
          ctx.logger,
        )
      )
        .map((profile) => profile.Name)
        .filter((name): name is string => name !== null),
  };
}
