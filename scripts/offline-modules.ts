/**
 * Offline module cache for Observable Framework.
 *
 * Framework resolves `npm:` imports (and its implicit ones: Plot, Inputs, d3, htl,
 * DuckDB-WASM behind `sql`, Arrow and parquet-wasm behind `FileAttachment.parquet()`)
 * by downloading them from the jsDelivr CDN into `src/.observablehq/cache/_npm/` at
 * build time. It skips the download when the file is already in that cache. This
 * script fills the cache from the packages that `npm ci` installed in node_modules,
 * so `npm run build` needs no network and the built site makes no request outside
 * its own origin. See docs/offline-build.md.
 *
 * Each module is an esbuild ES-module bundle of the installed package. Packages that
 * must be a single shared instance in the page (apache-arrow) are kept external and
 * imported by relative path, so DuckDB-WASM and the page share one Arrow.
 *
 * Usage: tsx scripts/offline-modules.ts [--check]
 */
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const cacheRoot = join(repoRoot, "src", ".observablehq", "cache", "_npm");

/** A module Framework may request, and how to produce it from node_modules. */
interface ModuleSpec {
  /** npm package name. */
  name: string;
  /** Bundle the package's ES entry point as `_esm.js` (Framework's `+esm`). */
  esm?: boolean;
  /** Entry to bundle instead of the package's default entry (relative to the package). */
  entry?: string;
  /** Source of an adapter module to bundle as the entry instead (resolved from the repository root). */
  adapter?: string;
  /** Files copied verbatim (relative to the package root), e.g. wasm and workers. */
  files?: string[];
  /** Packages kept external and shared (imported from their own cached bundle). */
  shared?: string[];
  /**
   * A package this site does not ship, which Framework's client still names
   * (e.g. react-dom, used only by JSX pages). Its version folder holds modules
   * that throw a clear error, so the build resolves offline and a page that
   * needs the package fails loudly instead of fetching from a CDN.
   */
  unsupported?: { version: string; files: string[]; reason: string };
}

function notBundled(name: string, files: string[] = ["_esm.js"]): ModuleSpec {
  return {
    name,
    unsupported: {
      version: "0.0.0-not-bundled",
      files,
      reason: "this package is not part of the site's offline module cache",
    },
  };
}

/**
 * Everything the site imports through Framework. Add a package here (and to
 * package.json) before importing it as `npm:<name>` in a page.
 */
export const MODULES: ModuleSpec[] = [
  { name: "apache-arrow", esm: true },
  { name: "@observablehq/plot", esm: true },
  { name: "@observablehq/inputs", esm: true },
  { name: "d3", esm: true },
  { name: "d3-dsv", esm: true },
  { name: "htl", esm: true },
  { name: "isoformat", esm: true },
  {
    name: "parquet-wasm",
    esm: true,
    // Framework's FileAttachment.parquet() calls the default init with a URL string on every
    // call: parquet-wasm 0.8 deprecates that with a console warning, and a page reading seven
    // tables would fetch and compile the 5 MB module seven times. Initialise once, with an object.
    adapter: [
      'import init from "parquet-wasm/esm/parquet_wasm.js";',
      'export * from "parquet-wasm/esm/parquet_wasm.js";',
      "let ready;",
      "export default (input) =>",
      '  (ready ??= init(typeof input === "string" || input instanceof URL ? { module_or_path: input } : input));',
    ].join("\n"),
    files: ["esm/parquet_wasm_bg.wasm"],
  },
  {
    name: "@duckdb/duckdb-wasm",
    esm: true,
    entry: "dist/duckdb-browser.mjs",
    shared: ["apache-arrow"],
    files: ["dist/duckdb-mvp.wasm", "dist/duckdb-eh.wasm", "dist/duckdb-browser-mvp.worker.js", "dist/duckdb-browser-eh.worker.js"],
  },
  { name: "topojson-client", esm: true },
  // Framework's client names these in its list of recommended libraries; this site
  // does not use them. They resolve to modules that fail with a clear message.
  ...["lodash", "echarts", "leaflet", "mapbox-gl", "react", "@observablehq/sample-datasets"].map((name) => notBundled(name)),
  notBundled("react-dom", ["client._esm.js"]),
];

function packageDir(name: string): string {
  const dir = join(repoRoot, "node_modules", name);
  if (!existsSync(join(dir, "package.json"))) {
    throw new Error(`offline-modules: ${name} is not installed in node_modules; run \`npm ci\` first`);
  }
  return dir;
}

async function packageVersion(name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(packageDir(name), "package.json"), "utf8"));
  return pkg.version as string;
}

function moduleDir(name: string, version: string): string {
  return join(cacheRoot, `${name}@${version}`);
}

async function bundle(spec: ModuleSpec, versions: Map<string, string>): Promise<string> {
  const dir = packageDir(spec.name);
  const outDir = moduleDir(spec.name, versions.get(spec.name)!);
  const shared = spec.shared ?? [];
  const result = await build({
    ...(spec.adapter
      ? { stdin: { contents: spec.adapter, resolveDir: repoRoot, sourcefile: `${spec.name}-adapter.js` } }
      : { entryPoints: [spec.entry ? join(dir, spec.entry) : spec.name] }),
    absWorkingDir: repoRoot,
    bundle: true,
    format: "esm",
    platform: "browser",
    mainFields: ["browser", "module", "main"],
    conditions: ["browser", "import", "module"],
    target: ["es2022"],
    minify: true,
    write: false,
    logLevel: "error",
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [
      {
        name: "shared-modules",
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            const hit = shared.find((s) => args.path === s || args.path.startsWith(`${s}/`));
            if (!hit) return undefined;
            const target = join(moduleDir(hit, versions.get(hit)!), "_esm.js");
            let rel = relative(outDir, target).split("\\").join(posix.sep);
            if (!rel.startsWith(".")) rel = `./${rel}`;
            return { path: rel, external: true };
          });
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

/** A stamp of the inputs, so an up-to-date cache is left alone. */
async function stamp(spec: ModuleSpec, versions: Map<string, string>): Promise<string> {
  const h = createHash("sha256");
  h.update(JSON.stringify(spec));
  for (const name of [spec.name, ...(spec.shared ?? [])]) h.update(`${name}@${versions.get(name)}`);
  h.update(await readFile(fileURLToPath(import.meta.url)));
  return h.digest("hex");
}

export async function fillOfflineCache(log: (line: string) => void = console.log): Promise<void> {
  const versions = new Map<string, string>();
  for (const spec of MODULES) {
    versions.set(spec.name, spec.unsupported?.version ?? (await packageVersion(spec.name)));
  }
  for (const spec of MODULES) {
    const version = versions.get(spec.name)!;
    const dir = moduleDir(spec.name, version);
    const stampFile = join(dir, ".offline-stamp");
    const want = await stamp(spec, versions);
    if (existsSync(stampFile) && (await readFile(stampFile, "utf8")) === want) continue;
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    if (spec.esm) await writeFile(join(dir, "_esm.js"), await bundle(spec, versions));
    for (const file of spec.unsupported?.files ?? []) {
      const message = `${spec.name}: ${spec.unsupported!.reason}. Add it to scripts/offline-modules.ts.`;
      await writeFile(join(dir, file), `throw new Error(${JSON.stringify(message)});\n`);
    }
    for (const file of spec.files ?? []) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await copyFile(join(packageDir(spec.name), file), join(dir, file));
    }
    await writeFile(stampFile, want);
    log(`offline-modules: ${spec.name}@${version} → ${relative(repoRoot, dir)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await fillOfflineCache();
}
