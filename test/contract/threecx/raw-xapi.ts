/** Raw HTTP against a simulator, for what gw3cx's client cannot express. */
import type { ThreeCxSimulator } from "../../../shared/simulators/threecx/simulator.js";

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function formToken(sim: ThreeCxSimulator, clientId: string, secret: string): Promise<string> {
  const response = await fetch(`${sim.url}/connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: clientId,
      client_secret: secret,
      grant_type: "client_credentials",
    }),
  });
  if (response.status !== 200) throw new Error(`token: HTTP ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function rawXapi(
  sim: ThreeCxSimulator,
  bearer: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RawAnswer> {
  const response = await fetch(`${sim.url}/xapi/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

/** The first detail of an OData error body. */
export function detailOf(
  body: unknown,
): { code: string; target: string | null; message: string } | undefined {
  return (body as { error?: { details?: { code: string; target: string | null; message: string }[] } })?.error
    ?.details?.[0];
}
