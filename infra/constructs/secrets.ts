import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret/index.js";
import { Construct } from "constructs";
import { SECRET_IDS, type SecretKey } from "../secret-ids.js";

export { SECRET_IDS, type SecretKey };

/**
 * The secrets themselves, without values: the operator (or the setup CLI) adds versions, so no
 * secret ever appears in code or in Terraform state. Functions mount the latest version as an
 * environment variable.
 */
export class Secrets extends Construct {
  readonly secrets: Record<SecretKey, SecretManagerSecret>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const secret = (key: SecretKey) =>
      new SecretManagerSecret(this, SECRET_IDS[key], {
        secretId: SECRET_IDS[key],
        replication: { auto: {} },
        labels: { app: "gw3cx" },
      });
    this.secrets = {
      threecxClientSecret: secret("threecxClientSecret"),
      channelToken: secret("channelToken"),
    };
  }
}
