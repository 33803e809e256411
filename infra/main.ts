import { App } from "cdktf";
import { loadSettings } from "../shared/config/load-settings.js";
import { settingsToFunctionEnv } from "./function-env.js";
import { Gw3cxStack } from "./gw3cx-stack.js";

// `npx cdktf synth`: the same settings (file or environment) as the functions, validated the same way.
const settings = loadSettings();
const app = new App();
new Gw3cxStack(app, "gw3cx", {
  region: settings.gcp.region,
  syncTime: settings.gwSyncTime,
  timeZone: settings.timeZone,
  settingsEnv: settingsToFunctionEnv(settings),
});
app.synth();
