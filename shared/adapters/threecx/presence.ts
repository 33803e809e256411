/**
 * Presence: the user's current forwarding profile (CurrentProfileName), the profiles it can be, and
 * each profile's status text (ForwardingProfile.CustomMessage).
 */
import { z } from "zod";
import { type ThreeCx, ThreeCxError } from "../../ports/threecx.js";
import type { ClientContext } from "./client-context.js";
import { readAll } from "./paging.js";

type PresenceOperations = Pick<
  ThreeCx,
  | "getCurrentProfileName"
  | "setCurrentProfileName"
  | "listForwardingProfileNames"
  | "getPresence"
  | "setForwardingProfileMessage"
  | "setPresence"
>;

const profileMessage = z.object({
  Name: z.string().nullable(),
  CustomMessage: z.string().nullable().default(null),
});
const presenceBody = z.object({
  CurrentProfileName: z.string().nullable().default(null),
  ForwardingProfiles: z.array(profileMessage).default([]),
});
/** A whole forwarding profile as read: sent back whole when one field changes. */
const wholeProfile = z.looseObject({ Id: z.number().int(), Name: z.string().nullable() });

export function presenceOperations(ctx: ClientContext): PresenceOperations {
  const { transport } = ctx;

  /**
   * The user's forwarding profiles as read, with the given CustomMessages changed. The spec has no
   * write of one profile; they are written through the user. Which of merge or replace a PBX applies
   * to the collection is undocumented, so every profile goes back whole with only those messages
   * changed: right under either reading (unverified on a PBX).
   */
  const profilesWithMessages = async (userId: number, messages: Record<string, string | null>) => {
    const profiles = await readAll(
      transport,
      ctx.pages,
      { operation: "ListForwardingProfiles", params: { Id: userId } },
      wholeProfile,
      ctx.logger,
    );
    for (const name of Object.keys(messages)) {
      if (!profiles.some((p) => p.Name === name)) {
        throw new ThreeCxError(
          "THREECX_NOT_FOUND",
          `user ${userId} has no forwarding profile named ${JSON.stringify(name)}`,
          { operation: "ListForwardingProfiles" },
        );
      }
    }
    return profiles.map((p) =>
      p.Name !== null && Object.hasOwn(messages, p.Name) ? { ...p, CustomMessage: messages[p.Name] } : p,
    );
  };
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
    getPresence: (userId) =>
      transport.call(
        {
          operation: "GetUser",
          params: { Id: userId },
          query: {
            $select: ["CurrentProfileName"],
            $expand: ["ForwardingProfiles($select=Name,CustomMessage)"],
          },
        },
        (body) => {
          const parsed = presenceBody.parse(body);
          const messages: Record<string, string | null> = {};
          for (const p of parsed.ForwardingProfiles) if (p.Name !== null) messages[p.Name] = p.CustomMessage;
          return { profile: parsed.CurrentProfileName, messages };
        },
      ),
    setForwardingProfileMessage: async (userId, profileName, message) => {
      const ForwardingProfiles = await profilesWithMessages(userId, { [profileName]: message });
      await transport.call(
        { operation: "UpdateUser", params: { Id: userId }, body: { ForwardingProfiles } },
        () => undefined,
      );
    },
    setPresence: async (userId, change) => {
      const body: Record<string, unknown> = {};
      if (change.messages && Object.keys(change.messages).length > 0)
        body.ForwardingProfiles = await profilesWithMessages(userId, change.messages);
      if (change.profile !== undefined) body.CurrentProfileName = change.profile;
      if (Object.keys(body).length === 0) return;
      await transport.call({ operation: "UpdateUser", params: { Id: userId }, body }, () => undefined);
    },
  };
}
