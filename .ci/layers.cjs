/**
 * The layer rules of DESIGN.md, checked by dependency-cruiser in `npm run lint`:
 * functions, cli and runtime compose; use cases take ports; adapters implement ports; the domain is
 * pure. `shared/errors.ts` (Gw3cxError) is the one module every layer may use.
 */
const product = "^(functions|shared|infra)/";
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "shared/domain holds the product's rules: it imports only the domain (and errors.ts).",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: { path: product, pathNot: "^shared/(domain/|errors\\.ts$)" },
    },
    {
      name: "domain-does-no-io",
      comment: "No Node I/O modules and no client libraries in the domain: pure libraries only.",
      severity: "error",
      from: { path: "^shared/domain/" },
      to: {
        dependencyTypes: ["core", "npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown"],
        pathNot: "node_modules/(libphonenumber-js|zod)/",
      },
    },
    {
      name: "ports-name-only-the-domain",
      comment:
        "A port is an interface in the domain's terms: it imports the domain, other ports and errors.ts.",
      severity: "error",
      from: { path: "^shared/ports/" },
      to: { path: product, pathNot: "^shared/(domain/|ports/|errors\\.ts$)" },
    },
    {
      name: "use-cases-never-reach-an-adapter",
      comment: "A use case gets its adapters as ports, from functions/, cli or runtime.",
      severity: "error",
      from: { path: "^shared/usecases/" },
      to: { path: "^(shared/(adapters|runtime|cli|simulators)/|functions/|infra/)" },
    },
    {
      name: "use-cases-use-no-client-library",
      comment: "Google and 3CX are reached through ports only.",
      severity: "error",
      from: { path: "^shared/usecases/" },
      to: { path: "node_modules/(@google-cloud|@googleapis|google-auth-library|better-sqlite3)/" },
    },
    {
      name: "adapters-never-call-a-use-case",
      severity: "error",
      from: { path: "^shared/adapters/" },
      to: { path: "^(shared/(usecases|runtime|cli|simulators)/|functions/|infra/)" },
    },
    {
      name: "only-composition-roots-pick-adapters",
      comment: "functions/, shared/cli and shared/runtime compose adapters into use cases.",
      severity: "error",
      from: { path: product, pathNot: "^(functions/|shared/(cli|runtime|adapters)/|infra/)" },
      to: { path: "^shared/adapters/" },
    },
    {
      name: "runtime-is-composed-only-by-entry-points",
      severity: "error",
      from: { path: product, pathNot: "^(functions/|shared/(cli|runtime)/)" },
      to: { path: "^shared/runtime/" },
    },
    {
      name: "simulators-are-the-local-demo-only",
      comment: "The simulators serve `npm start` and the tests; no function or library layer loads them.",
      severity: "error",
      from: { path: product, pathNot: "^shared/(cli|simulators)/" },
      to: { path: "^shared/simulators/" },
    },
    {
      name: "simulators-stand-alone",
      comment: "A simulator is a stand-in for Google or 3CX: it shares no code with the product it tests.",
      severity: "error",
      from: { path: "^shared/simulators/" },
      to: { path: product, pathNot: "^shared/simulators/" },
    },
    {
      name: "product-never-imports-tests",
      severity: "error",
      from: { path: product },
      to: { path: "^(test|scripts)/" },
    },
    {
      name: "no-cycles",
      severity: "error",
      from: { path: product },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
