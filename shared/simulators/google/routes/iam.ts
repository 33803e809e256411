import { jsonBody, ok, query, type Route, type RouteContext, type SimRequest } from "../http-kit.js";
import type { SimAccountKey, SimCloudAccount } from "../iam-keys-state.js";
import { apiError, notImplemented } from "../wire.js";

/**
 * iam.googleapis.com v1 service-account keys (create, list, delete), as the operator calls them
 * with their own credentials. Paths take an email or unique id, and "-" for the project.
 */
const ACCOUNT_PATH = String.raw`^\/v1\/projects\/(?<project>[^/]+)\/serviceAccounts\/(?<account>[^/:]+)`;

function operator(request: SimRequest, context: RouteContext): void {
  const authorization = request.headers.authorization;
  const bearer = /^Bearer\s+(\S+)$/i.exec(
    Array.isArray(authorization) ? (authorization[0] ?? "") : (authorization ?? ""),
  )?.[1];
  if (!bearer) {
    throw apiError(401, "required", "Request is missing required authentication credential.");
  }
  const iam = context.tenant.iamKeys;
  const seeded = [...context.tenant.auth.serviceAccounts.values()].some((a) => a.sourceToken === bearer);
  if (!iam.operatorTokens.has(bearer) && !seeded) {
    throw apiError(401, "authError", "Request had invalid authentication credentials.");
  }
}

/** The simulator implements no response field selection here: refused rather than ignored. */
function noFields(request: SimRequest): void {
  if (query(request, "fields") !== undefined) throw notImplemented("fields");
}

function accountOf(request: SimRequest, context: RouteContext): SimCloudAccount {
  operator(request, context);
  noFields(request);
  return context.tenant.iamKeys.resolve(request.params.project ?? "", request.params.account ?? "");
}

const keyResource = (account: SimCloudAccount, key: SimAccountKey) => ({
  name: `projects/${account.projectId}/serviceAccounts/${account.email}/keys/${key.id}`,
  validAfterTime: key.validAfterTime,
  validBeforeTime: key.validBeforeTime,
  keyAlgorithm: "KEY_ALG_RSA_2048",
  keyOrigin: "GOOGLE_PROVIDED",
  keyType: key.keyType,
});

export const iamRoutes: Route[] = [
  {
    method: "POST",
    path: new RegExp(`${ACCOUNT_PATH}\\/keys$`),
    operation: "iam.projects.serviceAccounts.keys.create",
    params: { implemented: [] },
    handle(request, context) {
      const account = accountOf(request, context);
      const body = jsonBody<{ privateKeyType?: string; keyAlgorithm?: string }>(request);
      const type = body.privateKeyType ?? "TYPE_GOOGLE_CREDENTIALS_FILE";
      if (type !== "TYPE_GOOGLE_CREDENTIALS_FILE") throw notImplemented("privateKeyType", `=${type}`);
      const algorithm = body.keyAlgorithm ?? "KEY_ALG_RSA_2048";
      if (algorithm !== "KEY_ALG_RSA_2048") throw notImplemented("keyAlgorithm", `=${algorithm}`);
      const { key, privateKeyData } = context.tenant.iamKeys.createKey(account);
      return ok(request, { ...keyResource(account, key), privateKeyType: type, privateKeyData });
    },
  },
  {
    method: "GET",
    path: new RegExp(`${ACCOUNT_PATH}\\/keys$`),
    operation: "iam.projects.serviceAccounts.keys.list",
    params: { implemented: ["keyTypes"] },
    handle(request, context) {
      const account = accountOf(request, context);
      const types = request.url.searchParams.getAll("keyTypes");
      for (const type of types) {
        if (type !== "USER_MANAGED" && type !== "SYSTEM_MANAGED") {
          throw apiError(400, "badRequest", `Invalid value at 'key_types' (${type})`, {
            parameter: "keyTypes",
          });
        }
      }
      const keys = [...account.keys.values()].filter((k) => types.length === 0 || types.includes(k.keyType));
      return ok(request, keys.length === 0 ? {} : { keys: keys.map((k) => keyResource(account, k)) });
    },
  },
  {
    method: "DELETE",
    path: new RegExp(`${ACCOUNT_PATH}\\/keys\\/(?<key>[^/]+)$`),
    operation: "iam.projects.serviceAccounts.keys.delete",
    params: { implemented: [] },
    handle(request, context) {
      const account = accountOf(request, context);
      context.tenant.iamKeys.deleteKey(account, request.params.key ?? "");
      return ok(request, {});
    },
  },
];
