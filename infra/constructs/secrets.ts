import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret/index.js";
import { Construct } from "constructs";
import { SECRET_IDS, type SecretKey } from "../secret-ids.js";

export { SECRET_IDS, type SecretKey };

/** Each secret's Terraform resource name: google_secret_manager_secret.NAME. */
export const SECRET_ADDRESSES: Record<SecretKey, string> = {
  threecxClientSecret: "threecx_client_secret",
  channelToken: "channel_token",
};

/**
 * The secrets themselves, without values: the operator (or the setup CLI) adds versions, so no
 * secret ever appears in code or in Terraform state. Functions mount the latest version as an
 * environment variable.
 */
export class Secrets extends Construct {
  readonly secrets: Record<SecretKey, SecretManagerSecret>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const secret = (key: SecretKey) => {
      const resource = new SecretManagerSecret(this, SECRET_IDS[key], {
        secretId: SECRET_IDS[key],
        replication: { auto: {} },
        labels: { app: "gw3cx" },
      });
      // A fixed address (google_secret_manager_secret.threecx_client_secret) for the first
      // deploy's `terraform apply -target=...`: the functions mount a version, so it must exist first.
      resource.overrideLogicalId(SECRET_ADDRESSES[key]);
      return resource;
    };
    this.secrets = {
      threecxClientSecret: secret("threecxClientSecret"),
      channelToken: secret("channelToken"),
    };
  }
}
