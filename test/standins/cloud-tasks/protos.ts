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
 * gRPC and the CloudTasks service definition as the real client ships them: the .proto files in
 * @google-cloud/tasks, their Google imports from its google-gax, and the @grpc/grpc-js and
 * @grpc/proto-loader that google-gax itself uses. Nothing is fetched.
 */
export function loadCloudTasksService(): {
  grpc: typeof GrpcJs;
  service: GrpcJs.ServiceDefinition;
} {
  const fromHere = createRequire(import.meta.url);
  const tasksRoot = packageRoot(fromHere, "@google-cloud/tasks");
  const fromTasks = createRequire(join(tasksRoot, "package.json"));
  const gaxRoot = packageRoot(fromTasks, "google-gax");
  const fromGax = createRequire(join(gaxRoot, "package.json"));
  const grpc = fromGax("@grpc/grpc-js") as typeof GrpcJs;
  const protoLoader = fromGax("@grpc/proto-loader") as typeof ProtoLoader;
  const definition = protoLoader.loadSync("google/cloud/tasks/v2/cloudtasks.proto", {
    includeDirs: [join(tasksRoot, "build", "protos"), join(gaxRoot, "build", "protos")],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const service = definition["google.cloud.tasks.v2.CloudTasks"];
  if (!service) throw new Error("google.cloud.tasks.v2.CloudTasks is not in the shipped protos");
  return { grpc, service: service as GrpcJs.ServiceDefinition };
}
