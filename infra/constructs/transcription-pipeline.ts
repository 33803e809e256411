import { DataGoogleStorageProjectServiceAccount } from "@cdktf/provider-google/lib/data-google-storage-project-service-account/index.js";
import { ProjectService } from "@cdktf/provider-google/lib/project-service/index.js";
import type { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic/index.js";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js";
import type { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import { StorageNotification } from "@cdktf/provider-google/lib/storage-notification/index.js";
import { Construct } from "constructs";
import { FunctionServiceAccount } from "./function-service-account.js";

/** The archive folders whose new objects are transcribed (3CX's recordings/ and voicemails/). */
export const TRANSCRIBED_PREFIXES = ["recordings/", "voicemails/"] as const;

export interface TranscriptionPipelineProps {
  projectId: string;
  /** The archive bucket 3CX writes to and transcripts are written beside the audio in. */
  bucket: StorageBucket;
  /** gw3cx-recordings: what the bucket notifies, what the worker's push subscription reads. */
  topic: PubsubTopic;
  deadLetterTopic: PubsubTopic;
  /**
   * The worker reaches Workspace (owners' emails, Gmail for voicemail mail) by keyless delegation:
   * only then may it sign JWTs as itself.
   */
  delegation: boolean;
}

/**
 * What transcription adds with transcription.enabled: the Speech-to-Text API, the bucket's
 * notifications of finalized objects under recordings/ and voicemails/ into gw3cx-recordings, and
 * the worker's own account: Speech client on the project (Speech has no narrower resource for the
 * implicit recognizer), Firestore for its claims, and on the archive bucket alone objects read
 * (the audio's first bytes, an existing transcript) and create (the transcript, if absent).
 * It can neither overwrite nor delete an object.
 */
export class TranscriptionPipeline extends Construct {
  readonly account: FunctionServiceAccount;
  readonly speechApi: ProjectService;

  constructor(scope: Construct, id: string, props: TranscriptionPipelineProps) {
    super(scope, id);
    this.speechApi = new ProjectService(this, "speech-api", {
      project: props.projectId,
      service: "speech.googleapis.com",
      disableOnDestroy: false,
      disableDependentServices: false,
    });
    this.account = new FunctionServiceAccount(this, "worker-sa", {
      projectId: props.projectId,
      accountId: "gw3cx-transcription",
      displayName: "gw3cx transcription worker (Speech-to-Text)",
      projectRoles: ["roles/datastore.user", "roles/speech.client"],
      signsJwtAsItself: props.delegation,
    });
    // Unreadable audio and malformed messages are dead-lettered by the worker itself.
    this.account.publishesTo(props.deadLetterTopic, "recordings-dead-letter");
    for (const role of ["roles/storage.objectViewer", "roles/storage.objectCreator"]) {
      new StorageBucketIamMember(this, `archive-${role.split(".")[1]}`, {
        bucket: props.bucket.name,
        role,
        member: this.account.member,
      });
    }

    // Cloud Storage publishes notifications as its project service agent: publisher on this topic only.
    const storageAgent = new DataGoogleStorageProjectServiceAccount(this, "storage-agent", {
      project: props.projectId,
    });
    const agentPublishes = new PubsubTopicIamMember(this, "storage-agent-publisher", {
      topic: props.topic.name,
      role: "roles/pubsub.publisher",
      member: storageAgent.member,
    });
    for (const prefix of TRANSCRIBED_PREFIXES) {
      new StorageNotification(this, `notify-${prefix.replace("/", "")}`, {
        bucket: props.bucket.name,
        topic: props.topic.id,
        payloadFormat: "JSON_API_V1",
        eventTypes: ["OBJECT_FINALIZE"],
        objectNamePrefix: prefix,
        // The bucket refuses a notification whose topic it may not publish to yet.
        dependsOn: [agentPublishes],
      });
    }
  }
}
