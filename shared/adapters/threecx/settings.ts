/** System settings singletons: GoogleSettings, MailSettings, RemoteArchivingSettings, VoicemailSettings. */
import { z } from "zod";
import type { ThreeCx, ThreeCxSettingsByName, ThreeCxSettingsName } from "../../ports/threecx.js";
import type { ClientContext } from "./client-context.js";

/** Settings are passed through as the PBX returns them; only "is an object" is checked. */
const settingsObject = z.record(z.string(), z.unknown());

export function settingsOperations(ctx: ClientContext): Pick<ThreeCx, "getSettings" | "updateSettings"> {
  const { transport } = ctx;
  return {
    getSettings: <K extends ThreeCxSettingsName>(name: K) =>
      transport.call(
        { operation: `Get${name}` },
        (body) => settingsObject.parse(body) as unknown as ThreeCxSettingsByName[K],
      ),
    updateSettings: async <K extends ThreeCxSettingsName>(name: K, changes: ThreeCxSettingsByName[K]) => {
      if (Object.keys(changes).length === 0) return;
      await transport.call({ operation: `Update${name}`, body: changes }, () => undefined);
    },
  };
}
