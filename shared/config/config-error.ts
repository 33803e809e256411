import { Gw3cxError } from "../errors.js";

export interface SettingProblem {
  /** Dotted setting path, e.g. "safeguard.maxDisableCount". */
  setting: string;
  /** Where the value came from: an environment variable, the file, or the default. */
  source: string;
  /** The offending value as text; "(hidden)" for secret settings. */
  value: string;
  /** What is allowed. */
  allowed: string;
}

/** Start-up stops with this: one line per problem, naming the setting, the value and what is allowed. */
export class ConfigError extends Gw3cxError<"CONFIG_INVALID" | "CONFIG_FILE_UNREADABLE"> {
  readonly problems: readonly SettingProblem[];

  constructor(
    code: "CONFIG_INVALID" | "CONFIG_FILE_UNREADABLE",
    problems: SettingProblem[],
    options: { cause?: unknown } = {},
  ) {
    const lines = problems.map((p) => `  - ${p.setting} (${p.source}) = ${p.value}: ${p.allowed}`);
    super(
      code,
      `gw3cx settings are invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`,
      {
        ...options,
        details: { problems },
      },
    );
    this.problems = problems;
  }
}
