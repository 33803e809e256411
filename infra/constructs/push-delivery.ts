import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js";
import { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription/index.js";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member/index.js";
import type { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member/index.js";
import { Construct } from "constructs";
import { Gw3cxError } from "../../shared/errors.js";
import { MAX_DELIVERY_ATTEMPTS } from "../../shared/messaging/topics.js";
import { GOOGLE_LIMITS } from "../sizing-budgets.js";
import type { CloudFunction } from "./cloud-function.js";
import { RETENTION } from "./messaging.js";

export interface PushDeliveryProps {
  projectId: string;
  topic: PubsubTopic;
  deadLetterTopic: PubsubTopic;
  target: CloudFunction;
  /** Subscription name. */
  name: string;
  /** The identity Pub/Sub invokes the function as (6-30 characters). */
  invokerAccountId: string;
  /** serviceAccount:service-N@gcp-sa-pubsub.iam.gserviceaccount.com */
  pubsubServiceAgent: string;
  /**
   * How long a delivery may take before Pub/Sub counts it failed and sends it again. Defaults to
   * the target's timeout; never shorter (Pub/Sub would redeliver while the worker still runs: a
   * duplicate) and at most 600 s, Pub/Sub's limit.
   */
  ackDeadlineSeconds?: number;
}

/**
 * Delivers a topic to a worker function: a push subscription of ours (Google's "direct Pub/Sub
 * trigger") rather than an Eventarc trigger, because the subscription Eventarc creates is Eventarc's
 * and cannot be given a dead-letter policy from Terraform. Retries back off from 10 s to 10 min; after
 * MAX_DELIVERY_ATTEMPTS a message goes to the dead-letter topic.
 *
 * Pub/Sub authenticates with an OIDC token of a dedicated invoker account, which may invoke this
 * function's Cloud Run service and nothing else. The Functions Framework turns the push body into the
 * same `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent Eventarc would send (the endpoint
 * path /projects/P/topics/T gives it its source), so a `cloudEvent(...)` function is unchanged.
 */
export class PushDelivery extends Construct {
  readonly subscription: PubsubSubscription;
  readonly invoker: ServiceAccount;

  constructor(scope: Construct, id: string, props: PushDeliveryProps) {
    super(scope, id);
    const timeout = props.target.sizing.timeoutSeconds;
    const ackDeadlineSeconds = props.ackDeadlineSeconds ?? timeout;
    if (ackDeadlineSeconds < timeout || ackDeadlineSeconds > GOOGLE_LIMITS.pubsubMaxAckDeadlineSeconds)
      throw new Gw3cxError(
        "INFRA_SIZING_INVALID",
        `${props.name}: ack deadline ${ackDeadlineSeconds} s must be from the function's timeout (${timeout} s) to ${GOOGLE_LIMITS.pubsubMaxAckDeadlineSeconds} s`,
        { details: { subscription: props.name, ackDeadlineSeconds, timeoutSeconds: timeout } },
      );
    this.invoker = new ServiceAccount(this, "invoker", {
      project: props.projectId,
      accountId: props.invokerAccountId,
      displayName: `gw3cx: Pub/Sub ${props.topic.name} -> ${props.target.fn.name}`,
    });
    const invokerMember = `serviceAccount:${this.invoker.email}`;
    new CloudRunV2ServiceIamMember(this, "invoker-run", {
      project: props.projectId,
      location: props.target.fn.location,
      name: props.target.fn.name,
      role: "roles/run.invoker",
      member: invokerMember,
    });
    // Pub/Sub mints the OIDC token as the invoker. Service agents made before 2021-04-08 lack this
    // permission by default; granted on the invoker account only, never on the project.
    new ServiceAccountIamMember(this, "pubsub-agent-token", {
      serviceAccountId: this.invoker.name,
      role: "roles/iam.serviceAccountTokenCreator",
      member: props.pubsubServiceAgent,
    });

    this.subscription = new PubsubSubscription(this, "subscription", {
      project: props.projectId,
      name: props.name,
      topic: props.topic.id,
      ackDeadlineSeconds,
      messageRetentionDuration: RETENTION,
      expirationPolicy: { ttl: "" },
      retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
      deadLetterPolicy: {
        deadLetterTopic: props.deadLetterTopic.id,
        maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
      },
      pushConfig: {
        pushEndpoint: `${props.target.serviceUri}/projects/${props.projectId}/topics/${props.topic.name}`,
        oidcToken: { serviceAccountEmail: this.invoker.email, audience: props.target.serviceUri },
      },
      labels: { app: "gw3cx" },
    });
    // Dead-lettering acks the message on this subscription as the Pub/Sub service agent.
    new PubsubSubscriptionIamMember(this, "pubsub-agent-subscriber", {
      project: props.projectId,
      subscription: this.subscription.name,
      role: "roles/pubsub.subscriber",
      member: props.pubsubServiceAgent,
    });
  }
}
