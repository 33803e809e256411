/**
 * The secrets a local stack's settings refer to when it runs the bundled simulators. They are the
 * simulators' public constants (shared/simulators/demo/demo-organisation.ts), not real credentials, and
 * they are handed over in the environment only: local.json carries the `env:NAME` references and
 * never the values. The names match the references startDemoSimulators puts into its settings.
 */
export async function localDemoCredentialsEnv(): Promise<Record<string, string>> {
  // Loaded only when a local stack is used: the simulators are the local demo, never part of a deployment.
  const { demoCredentialsEnv } = await import("../simulators/demo/demo-organisation.js");
  return demoCredentialsEnv();
}
