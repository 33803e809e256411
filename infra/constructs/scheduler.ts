import { CloudSchedulerJob } from "@cdktf/provider-google/lib/cloud-scheduler-job/index.js";
import type { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic/index.js";
import { Construct } from "constructs";
import { syncTimeToCron } from "../schedule.js";

export interface DailySyncScheduleProps {
  projectId: string;
  region: string;
  /** GW_SYNC_TIME, "HH:MM:SS"; Cloud Scheduler has minute resolution, the seconds are dropped. */
  syncTime: string;
  /** IANA time zone the sync time is in; daylight saving time follows it. */
  timeZone: string;
  topic: PubsubTopic;
}

/** The message the daily full reconcile is started with. */
export const DAILY_SYNC_MESSAGE = { trigger: "daily" } as const;

/** Publishes {"trigger":"daily"} to the sync-requests topic every day at GW_SYNC_TIME. */
export class DailySyncSchedule extends Construct {
  readonly job: CloudSchedulerJob;

  constructor(scope: Construct, id: string, props: DailySyncScheduleProps) {
    super(scope, id);
    this.job = new CloudSchedulerJob(this, "job", {
      project: props.projectId,
      region: props.region,
      name: "gw3cx-daily-sync",
      description: `gw3cx full sync daily at ${props.syncTime} ${props.timeZone} (GW_SYNC_TIME)`,
      schedule: syncTimeToCron(props.syncTime),
      timeZone: props.timeZone,
      pubsubTarget: {
        topicName: props.topic.id,
        data: Buffer.from(JSON.stringify(DAILY_SYNC_MESSAGE)).toString("base64"),
      },
      retryConfig: { retryCount: 3 },
    });
  }
}

export interface ChannelRenewalScheduleProps {
  projectId: string;
  region: string;
  topic: PubsubTopic;
}

/** The message the renewal tick of the Directory watch channels is started with. */
export const RENEW_CHANNELS_MESSAGE = { trigger: "renewChannels" } as const;

/**
 * Every 3 hours, renews the Directory watch channels close to expiry: Google may grant channels
 * shorter lives than a day, which the nightly run alone would let lapse.
 */
export class ChannelRenewalSchedule extends Construct {
  readonly job: CloudSchedulerJob;

  constructor(scope: Construct, id: string, props: ChannelRenewalScheduleProps) {
    super(scope, id);
    this.job = new CloudSchedulerJob(this, "job", {
      project: props.projectId,
      region: props.region,
      name: "gw3cx-renew-channels",
      description: "gw3cx: renew the Directory watch channels close to expiry",
      schedule: "17 */3 * * *",
      timeZone: "Etc/UTC",
      pubsubTarget: {
        topicName: props.topic.id,
        data: Buffer.from(JSON.stringify(RENEW_CHANNELS_MESSAGE)).toString("base64"),
      },
      retryConfig: { retryCount: 3 },
    });
  }
}
