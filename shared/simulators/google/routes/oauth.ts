import { jsonBody, ok, type Route, type SimRequest } from "../http-kit.js";

function bearerOf(request: SimRequest): string | undefined {
  const authorization = request.headers.authorization;
  return /^Bearer\s+(\S+)$/i.exec(
    Array.isArray(authorization) ? (authorization[0] ?? "") : (authorization ?? ""),
  )?.[1];
}

export const oauthRoutes: Route[] = [
  {
    method: "POST",
    path: /^\/token$/,
    operation: "oauth.token",
    handle(request, context) {
      const form = new URLSearchParams(request.body.toString("utf8"));
      return { status: 200, body: context.tenant.auth.exchange(form) };
    },
  },
  {
    method: "POST",
    path: /^\/v1\/projects\/-\/serviceAccounts\/(?<account>[^/:]+):signJwt$/,
    operation: "iamcredentials.signJwt",
    params: { implemented: [] },
    response: "iamSignJwt",
    handle(request, context) {
      const body = jsonBody<{ payload?: unknown }>(request);
      return ok(
        request,
        context.tenant.auth.signJwt(bearerOf(request), request.params.account ?? "", body.payload),
      );
    },
  },
  {
    method: "GET",
    path: /^\/v1\/projects\/(?<project>[^/]+)\/serviceAccounts\/(?<account>[^/:]+)$/,
    operation: "iam.projects.serviceAccounts.get",
    params: { implemented: [] },
    response: "iamServiceAccount",
    handle(request, context) {
      return ok(
        request,
        context.tenant.auth.describeServiceAccount(bearerOf(request), request.params.account ?? ""),
      );
    },
  },
];
