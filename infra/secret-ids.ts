/**
 * Secret Manager secret ids, apart from the construct that makes them so the CLI (`gw3cx setup`,
 * `gw3cx doctor`) can name them without loading the Terraform provider.
 */
export const SECRET_IDS = {
  threecxClientSecret: "gw3cx-threecx-client-secret",
  channelToken: "gw3cx-channel-token",
} as const;

export type SecretKey = keyof typeof SECRET_IDS;
