import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as ProtoLoader from "@grpc/proto-loader";

/** The folder holding a package's package.json, found from its main file (exports may hide the rest). */
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
 * gRPC and one service definition as Google's own client ships them: the .proto files in the client
 * package, their Google imports from its google-gax, and the @grpc/grpc-js and @grpc/proto-loader that
 * google-gax itself uses, so a stand-in speaks exactly what the client does. Nothing is fetched.
 */
export function loadShippedService(
  clientPackage: string,
  protoFile: string,
  serviceName: string,
): { grpc: typeof GrpcJs; service: GrpcJs.ServiceDefinition } {
  const root = packageRoot(createRequire(import.meta.url), clientPackage);
  const gaxRoot = packageRoot(createRequire(join(root, "package.json")), "google-gax");
  const fromGax = createRequire(join(gaxRoot, "package.json"));
  const grpc = fromGax("@grpc/grpc-js") as typeof GrpcJs;
  const protoLoader = fromGax("@grpc/proto-loader") as typeof ProtoLoader;
  const definition = protoLoader.loadSync(protoFile, {
    includeDirs: [join(root, "build", "protos"), join(gaxRoot, "build", "protos")],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const service = definition[serviceName];
  if (!service) throw new Error(`${serviceName} is not in the protos ${clientPackage} ships`);
  return { grpc, service: service as GrpcJs.ServiceDefinition };
}
