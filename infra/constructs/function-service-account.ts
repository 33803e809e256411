import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import type { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription/index.js";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member/index.js";
import type { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic/index.js";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js";
import type { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret/index.js";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member/index.js";
import { Construct } from "constructs";

export interface FunctionServiceAccountProps {
  projectId: string;
  /** 6-30 characters: the email is ACCOUNT_ID@PROJECT.iam.gserviceaccount.com. */
  accountId: string;
  displayName: string;
  /** Roles on the whole project; keep this to what has no narrower resource (e.g. Firestore). */
  projectRoles?: string[];
  /**
   * Keyless domain-wide delegation: the account may sign JWTs as itself (IAM Credentials signJwt),
   * granted on the account, never on the project (which would let it sign as every account).
   */
  signsJwtAsItself?: boolean;
}

/** One function's own identity, with only the grants given to it here. */
export class FunctionServiceAccount extends Construct {
  readonly account: ServiceAccount;

  constructor(scope: Construct, id: string, props: FunctionServiceAccountProps) {
    super(scope, id);
    this.account = new ServiceAccount(this, "account", {
      project: props.projectId,
      accountId: props.accountId,
      displayName: props.displayName,
    });
    for (const role of props.projectRoles ?? []) {
      new ProjectIamMember(this, `project-${role.replace("roles/", "")}`, {
        project: props.projectId,
        role,
        member: this.member,
      });
    }
    if (props.signsJwtAsItself) {
      new ServiceAccountIamMember(this, "sign-jwt-as-itself", {
        serviceAccountId: this.account.name,
        role: "roles/iam.serviceAccountTokenCreator",
        member: this.member,
      });
    }
  }

  get email(): string {
    return this.account.email;
  }

  /** "serviceAccount:EMAIL" */
  get member(): string {
    return `serviceAccount:${this.account.email}`;
  }

  publishesTo(topic: PubsubTopic, id: string): void {
    new PubsubTopicIamMember(this, `publish-${id}`, {
      topic: topic.name,
      role: "roles/pubsub.publisher",
      member: this.member,
    });
  }

  /** Pulls from a subscription (and hands messages back): the dead-letter hold subscriptions. */
  pullsFrom(subscription: PubsubSubscription, id: string): void {
    new PubsubSubscriptionIamMember(this, `pull-${id}`, {
      subscription: subscription.name,
      role: "roles/pubsub.subscriber",
      member: this.member,
    });
  }

  reads(secret: SecretManagerSecret, id: string): void {
    new SecretManagerSecretIamMember(this, `secret-${id}`, {
      secretId: secret.secretId,
      role: "roles/secretmanager.secretAccessor",
      member: this.member,
    });
  }
}
