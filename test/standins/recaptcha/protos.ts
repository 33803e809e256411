import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as ProtoLoader from "@grpc/proto-loader";

function packageRoot(resolveFrom: NodeJS.Require, name: string): string {
  let dir = dirname(resolveFrom.resolve(name));
  while (!existsSync(join(dir, "package.json")) || !dir.endsWith(name.split("/").pop() as string)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of ${name}`);
    dir = parent;
  }
  return dir;
}

/**
 * gRPC and the reCAPTCHA Enterprise service definition as the real client ships them: the .proto
 * in @google-cloud/recaptcha-enterprise, its Google imports from its google-gax, and the
 * @grpc/grpc-js and @grpc/proto-loader that google-gax uses. Nothing is fetched.
 */
export function loadRecaptchaService(): { grpc: typeof GrpcJs; service: GrpcJs.ServiceDefinition } {
  const fromHere = createRequire(import.meta.url);
  const root = packageRoot(fromHere, "@google-cloud/recaptcha-enterprise");
  const fromPackage = createRequire(join(root, "package.json"));
  const gaxRoot = packageRoot(fromPackage, "google-gax");
  const fromGax = createRequire(join(gaxRoot, "package.json"));
  const grpc = fromGax("@grpc/grpc-js") as typeof GrpcJs;
  const protoLoader = fromGax("@grpc/proto-loader") as typeof ProtoLoader;
  const definition = protoLoader.loadSync("google/cloud/recaptchaenterprise/v1/recaptchaenterprise.proto", {
    includeDirs: [join(root, "build", "protos"), join(gaxRoot, "build", "protos")],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const service = definition["google.cloud.recaptchaenterprise.v1.RecaptchaEnterpriseService"];
  if (!service) throw new Error("RecaptchaEnterpriseService is not in the shipped protos");
  return { grpc, service: service as GrpcJs.ServiceDefinition };
}
