#!/usr/bin/env node
// The `gw3cx` bin. The CLI is TypeScript run by tsx (no build step), so this shim registers
// tsx's loader and then runs the entry; it works from any directory, wherever it is linked.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
