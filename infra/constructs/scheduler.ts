import { CloudSchedulerJob } from "@cdktf/provider-google/lib/cloud-scheduler-job/index.js";
import type { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic/index.js";
import { Construct } from "constructs";
import { dailyTimeToCron, syncTimeToCron } from "../schedule.js";

/** The message the daily full reconcile is started with. */
export const DAILY_SYNC_MESSAGE = { trigger: "daily" } as const;
/** The message the renewal tick of the Directory watch channels is started with. */
export const RENEW_CHANNELS_MESSAGE = { trigger: "renewChannels" } as const;
/** The message the presence reconcile tick is started with. */
export const RECONCILE_PRESENCE_MESSAGE = { trigger: "reconcilePresence" } as const;
/** The message the daily digest is started with. */
export const DAILY_DIGEST_MESSAGE = { trigger: "digest" } as const;

export interface SyncRequestScheduleProps {
  projectId: string;
  region: string;
  topic: PubsubTopic;
  name: string;
  description: string;
  /** Unix cron, minute resolution. */
  schedule: string;
  /** IANA time zone the schedule is in; daylight saving time follows it. */
  timeZone: string;
  message: Readonly<Record<string, string>>;
}

/** A Cloud Scheduler job that publishes one sync request to the sync-requests topic. */
export class SyncRequestSchedule extends Construct {
  readonly job: CloudSchedulerJob;

  constructor(scope: Construct, id: string, props: SyncRequestScheduleProps) {
    super(scope, id);
    this.job = new CloudSchedulerJob(this, "job", {
      project: props.projectId,
      region: props.region,
      name: props.name,
      description: props.description,
      schedule: props.schedule,
      timeZone: props.timeZone,
      pubsubTarget: {
        topicName: props.topic.id,
        data: Buffer.from(JSON.stringify(props.message)).toString("base64"),
      },
      retryConfig: { retryCount: 3 },
    });
  }
}

type Placement = Pick<SyncRequestScheduleProps, "projectId" | "region" | "topic">;

/**
 * {"trigger":"daily"} every day at GW_SYNC_TIME ("HH:MM:SS"; Cloud Scheduler has minute resolution,
 * so the seconds are dropped) in the tenant's time zone.
 */
export function dailySyncSchedule(
  scope: Construct,
  placement: Placement,
  syncTime: string,
  timeZone: string,
) {
  return new SyncRequestSchedule(scope, "daily-sync-schedule", {
    ...placement,
    name: "gw3cx-daily-sync",
    description: `gw3cx full sync daily at ${syncTime} ${timeZone} (GW_SYNC_TIME)`,
    schedule: syncTimeToCron(syncTime),
    timeZone,
    message: DAILY_SYNC_MESSAGE,
  });
}

/**
 * {"trigger":"renewChannels"} every 3 hours: Google may grant Directory channels shorter lives than
 * a day, which the nightly run alone would let lapse.
 */
export function channelRenewalSchedule(scope: Construct, placement: Placement) {
  return new SyncRequestSchedule(scope, "channel-renewal-schedule", {
    ...placement,
    name: "gw3cx-renew-channels",
    description: "gw3cx: renew the Directory watch channels close to expiry",
    schedule: "17 */3 * * *",
    timeZone: "Etc/UTC",
    message: RENEW_CHANNELS_MESSAGE,
  });
}

/**
 * {"trigger":"reconcilePresence"} every minute: re-applies any presence boundary whose Cloud Tasks
 * wake-up was lost (a failed CreateTask, retries exhausted), so a lost timer costs at most a minute.
 * Cloud Scheduler's finest schedule; a job is billed per month, not per run.
 */
export function presenceReconcileSchedule(scope: Construct, placement: Placement) {
  return new SyncRequestSchedule(scope, "presence-reconcile-schedule", {
    ...placement,
    name: "gw3cx-reconcile-presence",
    description: "gw3cx: repair presence boundaries whose timer was lost",
    schedule: "* * * * *",
    timeZone: "Etc/UTC",
    message: RECONCILE_PRESENCE_MESSAGE,
  });
}

/**
 * {"trigger":"digest"} every day at mail.digestTime in the tenant's time zone (seconds dropped). The
 * job's retries may deliver it more than once; the daily-sync function sends one digest a day.
 */
export function dailyDigestSchedule(
  scope: Construct,
  placement: Placement,
  digestTime: string,
  timeZone: string,
) {
  return new SyncRequestSchedule(scope, "daily-digest-schedule", {
    ...placement,
    name: "gw3cx-daily-digest",
    description: `gw3cx daily digest of failures at ${digestTime} ${timeZone} (mail.digestTime)`,
    schedule: dailyTimeToCron(digestTime, "mail.digestTime"),
    timeZone,
    message: DAILY_DIGEST_MESSAGE,
  });
}
