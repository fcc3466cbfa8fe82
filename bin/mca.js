#!/usr/bin/env node
// The `mca` command: runs the TypeScript CLI in loaders/cli through tsx.
import { register } from "tsx/esm/api";

register();
await import("../loaders/cli/main.ts");
