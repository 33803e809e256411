import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js";
import type { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription/index.js";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member/index.js";
import { Construct } from "constructs";
import type { CloudFunction } from "./cloud-function.js";
import type { FunctionServiceAccount } from "./function-service-account.js";

export interface StatusPageAccessProps {
  projectId: string;
  projectNumber: string;
  page: CloudFunction;
  account: FunctionServiceAccount;
  /** The dead-letter hold subscriptions the page reads (pull, then hand back). */
  holdSubscriptions: PubsubSubscription[];
  /** statusPage.admins: each may pass Cloud Run's front door with their ID token. */
  admins: readonly string[];
  /** Without an admin list: the Workspace domain whose users may reach the function (it checks isAdmin). */
  workspaceDomain?: string;
  /** statusPage.iapAudience set: IAP fronts the page, and its service agent invokes it. */
  iap: boolean;
}

/**
 * Who reaches the status page. Cloud Run admits only Google-authenticated callers (never allUsers):
 * the listed admins, or the Workspace domain, and IAP's service agent when IAP fronts the page. The
 * function then verifies the IAP header or ID token itself and checks the caller is an admin.
 */
export class StatusPageAccess extends Construct {
  constructor(scope: Construct, id: string, props: StatusPageAccessProps) {
    super(scope, id);
    const invokers = [
      ...(props.admins.length > 0
        ? props.admins.map((email) => `user:${email}`)
        : props.workspaceDomain
          ? [`domain:${props.workspaceDomain}`]
          : []),
      ...(props.iap
        ? [`serviceAccount:service-${props.projectNumber}@gcp-sa-iap.iam.gserviceaccount.com`]
        : []),
    ];
    invokers.forEach((member, i) => {
      new CloudRunV2ServiceIamMember(this, `invoker-${i}`, {
        project: props.projectId,
        location: props.page.fn.location,
        name: props.page.fn.name,
        role: "roles/run.invoker",
        member,
      });
    });
    // Reading the dead letters pulls and hands them back: subscriber on those subscriptions only.
    props.holdSubscriptions.forEach((subscription, i) => {
      new PubsubSubscriptionIamMember(this, `hold-reader-${i}`, {
        subscription: subscription.name,
        role: "roles/pubsub.subscriber",
        member: props.account.member,
      });
    });
  }
}
