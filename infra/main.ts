import { loadSettings } from "../shared/config/load-settings.js";
import { synthesize } from "./synthesize.js";

// `npx cdktf synth` (cdktf.json's app builds the function artifacts first): the same settings (file
// or environment) as the functions, validated the same way.
synthesize(loadSettings());
