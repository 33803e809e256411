import { ProjectService } from "@cdktf/provider-google/lib/project-service/index.js";
import { Aspects, dependable, TerraformResource } from "cdktf";
import { Construct, type IConstruct } from "constructs";

/**
 * The Google APIs gw3cx uses, enabled in the customer's project. Cloud Functions gen2 builds with
 * Cloud Build into Artifact Registry and runs on Cloud Run; the Workspace APIs are called through
 * keyless delegation (IAM Credentials signJwt). Service Usage and Cloud Resource Manager must
 * already be on for Terraform to run at all, so they are not managed here.
 */
export const REQUIRED_APIS = [
  "cloudfunctions.googleapis.com",
  "run.googleapis.com",
  "cloudbuild.googleapis.com",
  "artifactregistry.googleapis.com",
  "eventarc.googleapis.com",
  "pubsub.googleapis.com",
  "cloudscheduler.googleapis.com",
  "cloudtasks.googleapis.com",
  "firestore.googleapis.com",
  "secretmanager.googleapis.com",
  "iam.googleapis.com",
  "iamcredentials.googleapis.com",
  "admin.googleapis.com",
  "calendar-json.googleapis.com",
  "people.googleapis.com",
  "gmail.googleapis.com",
  "recaptchaenterprise.googleapis.com",
  "storage.googleapis.com",
  "logging.googleapis.com",
  // Log-based metrics' alert policies and their notification channel (alerts.ts).
  "monitoring.googleapis.com",
] as const;

export interface ProjectApisProps {
  projectId: string;
}

export class ProjectApis extends Construct {
  readonly services: ProjectService[];

  constructor(scope: Construct, id: string, props: ProjectApisProps) {
    super(scope, id);
    this.services = REQUIRED_APIS.map(
      (service) =>
        new ProjectService(this, service.split(".")[0] as string, {
          project: props.projectId,
          service,
          // Turning an API off on destroy would break anything else in the project that uses it.
          disableOnDestroy: false,
          disableDependentServices: false,
        }),
    );
  }

  /** Makes every other resource under scope wait for the APIs (a first apply otherwise races them). */
  requiredBy(scope: IConstruct): void {
    // dependable(): a bare "type.name" as Terraform requires in depends_on (fqn would be "${type.name}").
    const apis = this.services.map((s) => dependable(s));
    Aspects.of(scope).add({
      visit(node: IConstruct) {
        if (!(node instanceof TerraformResource) || node instanceof ProjectService) return;
        node.dependsOn = [...new Set([...(node.dependsOn ?? []), ...apis])];
      },
    });
  }
}
