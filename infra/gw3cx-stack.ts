import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { ArchiveStorage } from "./constructs/archive-storage.js";
import { Messaging } from "./constructs/messaging.js";

export interface Gw3cxStackProps {
  /** Default region for every regional resource. */
  region: string;
}

/** Everything gw3cx needs in the customer's project; the project id is a Terraform variable. */
export class Gw3cxStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: Gw3cxStackProps) {
    super(scope, id);
    const projectId = new TerraformVariable(this, "project_id", {
      type: "string",
      description: "The Google Cloud project gw3cx is deployed into",
    });
    new GoogleProvider(this, "google", { project: projectId.stringValue, region: props.region });
    new ArchiveStorage(this, "archive", { projectId: projectId.stringValue, region: props.region });
    new Messaging(this, "messaging");
  }
}
