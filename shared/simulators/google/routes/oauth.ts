import { jsonBody, ok, type Route } from "../http-kit.js";

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
      const authorization = request.headers.authorization;
      const bearer = /^Bearer\s+(\S+)$/i.exec(
        Array.isArray(authorization) ? (authorization[0] ?? "") : (authorization ?? ""),
      )?.[1];
      const body = jsonBody<{ payload?: unknown }>(request);
      return ok(request, context.tenant.auth.signJwt(bearer, request.params.account ?? "", body.payload));
    },
  },
];
