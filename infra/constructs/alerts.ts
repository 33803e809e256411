import { LoggingMetric } from "@cdktf/provider-google/lib/logging-metric/index.js";
import { MonitoringAlertPolicy } from "@cdktf/provider-google/lib/monitoring-alert-policy/index.js";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel/index.js";
import { Construct } from "constructs";
import type { LogEventName } from "../../shared/logging/log-events.js";

/** A named log event gw3cx writes that a person must act on. */
export interface LogEventAlert {
  /** Resource id and the log-based metric's name suffix, e.g. "user-sync-held". */
  id: string;
  /** The log event (jsonPayload.event) that counts. */
  event: LogEventName;
  /** Only lines of this Cloud Run service (the function's name); any gw3cx function when unset. */
  serviceName?: string;
  displayName: string;
  /** What happened and what to do, in Markdown, mailed with the alert. */
  documentation: string;
}

export interface AlertsProps {
  projectId: string;
  /** alerts.email: where alerts are mailed; unset, they only open in Cloud Monitoring. */
  email?: string;
  logEvents: readonly LogEventAlert[];
  /** The dead-letter hold subscriptions' names: one alert each while it keeps a message. */
  holdSubscriptions: readonly string[];
}

/** How often Cloud Monitoring adds up a metric before comparing it: 5 minutes. */
const ALIGNMENT_PERIOD = "300s";

/** The log filter of one event: structured JSON on stdout lands in jsonPayload (shared/logging/logger.ts). */
export function logEventFilter(alert: Pick<LogEventAlert, "event" | "serviceName">): string {
  const service = alert.serviceName ? ` AND resource.labels.service_name="${alert.serviceName}"` : "";
  return `resource.type="cloud_run_revision"${service} AND jsonPayload.event="${alert.event}"`;
}

/**
 * The log events that open an alert. `nightlyService` is the daily-sync function, the only one
 * that runs the nightly reconcile (a manual `gw3cx sync` fails in front of the person who ran it).
 */
export function gw3cxLogEventAlerts(nightlyService: string): LogEventAlert[] {
  return [
    {
      id: "user-sync-held",
      event: "userSyncHeld",
      displayName: "gw3cx: a user sync run is held by the safeguard",
      documentation: [
        "A run would disable more users than the safeguard allows, so nothing was applied; the held-run",
        "notice lists the users. Check them with `gw3cx status --state firestore` (or the status page);",
        "if they are right, `gw3cx sync --approve RUN` applies the run, else fix the Workspace side.",
      ].join(" "),
    },
    {
      id: "nightly-sync-failed",
      event: "userSyncFailed",
      serviceName: nightlyService,
      displayName: "gw3cx: the nightly user sync failed",
      documentation: [
        "The nightly full reconcile stopped with an error (the log line has it). Run",
        "`gw3cx doctor --state firestore` to check settings, delegation and the PBX, and",
        "`gw3cx status --state firestore` for the run; the next nightly run tries again.",
      ].join(" "),
    },
  ];
}

/**
 * Alerts on what gw3cx cannot fix by itself: a log-based metric and an alert policy per named log
 * event (a held run, a failed nightly run), and a policy per dead-letter hold subscription while
 * it keeps a message. The subscription's backlog, rather than a log line, catches every dead
 * letter: those Pub/Sub forwards itself after the last delivery attempt are never logged by gw3cx.
 */
export class Alerts extends Construct {
  readonly channel?: MonitoringNotificationChannel;
  readonly policies: MonitoringAlertPolicy[] = [];

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    const { projectId } = props;
    if (props.email) {
      this.channel = new MonitoringNotificationChannel(this, "email", {
        project: projectId,
        displayName: "gw3cx alerts",
        type: "email",
        labels: { email_address: props.email },
      });
    }
    const notificationChannels = this.channel ? [this.channel.name] : [];

    for (const alert of props.logEvents) {
      const metric = new LoggingMetric(this, `${alert.id}-metric`, {
        project: projectId,
        name: `gw3cx-${alert.id}`,
        description: `gw3cx log lines with event ${alert.event}`,
        filter: logEventFilter(alert),
        metricDescriptor: { metricKind: "DELTA", valueType: "INT64", unit: "1" },
      });
      this.policies.push(
        new MonitoringAlertPolicy(this, `${alert.id}-alert`, {
          project: projectId,
          displayName: alert.displayName,
          combiner: "OR",
          severity: "ERROR",
          notificationChannels,
          documentation: { mimeType: "text/markdown", content: alert.documentation },
          conditions: [
            {
              displayName: `${alert.event} logged`,
              conditionThreshold: {
                filter: `metric.type="logging.googleapis.com/user/${metric.name}" AND resource.type="cloud_run_revision"`,
                comparison: "COMPARISON_GT",
                thresholdValue: 0,
                duration: "0s",
                aggregations: [
                  {
                    alignmentPeriod: ALIGNMENT_PERIOD,
                    perSeriesAligner: "ALIGN_DELTA",
                    crossSeriesReducer: "REDUCE_SUM",
                  },
                ],
              },
            },
          ],
        }),
      );
    }

    for (const hold of props.holdSubscriptions) {
      this.policies.push(
        new MonitoringAlertPolicy(this, `${hold}-alert`, {
          project: projectId,
          displayName: `gw3cx: dead letters kept on ${hold}`,
          combiner: "OR",
          severity: "WARNING",
          notificationChannels,
          documentation: { mimeType: "text/markdown", content: deadLetterDocumentation(hold) },
          conditions: [
            {
              displayName: `${hold} not empty`,
              conditionThreshold: {
                filter: `metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages" AND resource.type="pubsub_subscription" AND resource.labels.subscription_id="${hold}"`,
                comparison: "COMPARISON_GT",
                thresholdValue: 0,
                duration: "0s",
                aggregations: [{ alignmentPeriod: ALIGNMENT_PERIOD, perSeriesAligner: "ALIGN_MAX" }],
              },
            },
          ],
        }),
      );
    }
  }
}

function deadLetterDocumentation(subscription: string): string {
  return [
    `A message could not be handled and is kept on the Pub/Sub subscription \`${subscription}\` (7 days).`,
    "Run `gw3cx status --state firestore` to see the dead letters and why each failed, and",
    "`gw3cx doctor --state firestore` to check settings, access and the PBX. Once the cause is fixed,",
    `empty the subscription (\`gcloud pubsub subscriptions seek ${subscription} --time=$(date -u +%FT%TZ)\`);`,
    "the alert closes when it is empty.",
  ].join(" ");
}
