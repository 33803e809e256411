export type Severity = "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";

export interface LogEventDefinition {
  severity: Severity;
  message: string;
}
