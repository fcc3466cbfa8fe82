/**
 * The page-side components in Node. They import `npm:` specifiers, which Observable
 * Framework resolves in the browser: esbuild bundles them here with the installed packages
 * in their place. A jsdom window stands in for the page (vitest's jsdom environment would
 * break esbuild, so it is set up by hand, after the build).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const npmSpecifiers: Plugin = {
  name: "npm-specifiers",
  setup(b) {
    b.onResolve({ filter: /^npm:/ }, async (args) => {
      const resolved = await b.resolve(args.path.slice(4), { kind: args.kind, resolveDir: args.resolveDir });
      return { path: resolved.path };
    });
    // Sources import siblings as .js, as TypeScript's NodeNext resolution wants.
    b.onResolve({ filter: /^\.{1,2}\/.*\.js$/ }, async (args) => {
      if (args.pluginData === "ts") return undefined;
      const ts = await b.resolve(args.path.replace(/\.js$/, ".ts"), { kind: args.kind, resolveDir: args.resolveDir, pluginData: "ts" });
      return ts.errors.length ? undefined : { path: ts.path };
    });
  },
};

type JsdomWindow = Window & typeof globalThis;

/** A jsdom page at `url`, installed as the globals the components use (DOM classes included); canvas is a stub. */
export async function installDom(url = "http://localhost/"): Promise<JsdomWindow> {
  const jsdom = "jsdom";
  const { JSDOM } = (await import(jsdom)) as { JSDOM: new (html: string, options?: { url: string }) => { window: JsdomWindow } };
  const { window } = new JSDOM("<!doctype html><html><body></body></html>", { url });
  Object.assign(globalThis, { window, document: window.document, navigator: window.navigator, location: window.location, history: window.history });
  for (const name of Object.getOwnPropertyNames(window)) {
    if (/^[A-Z]/.test(name) && !(name in globalThis)) Object.assign(globalThis, { [name]: (window as unknown as Record<string, unknown>)[name] });
  }
  // jsdom has no canvas; Plot paints a ramp legend's gradient on one.
  Object.assign(window.HTMLCanvasElement.prototype, { getContext: () => ({ fillStyle: "", fillRect() {} }), toDataURL: () => "data:," });
  return window;
}

/** Bundles a module text (e.g. `export * from "./src/components/x.ts"`), installs the DOM at `url`, and imports the bundle. */
export async function loadComponents<T>(contents: string, url?: string): Promise<T> {
  const bundle = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
    plugins: [npmSpecifiers],
  });
  await installDom(url);
  const file = join(mkdtempSync(join(tmpdir(), "components-")), "components.mjs");
  writeFileSync(file, bundle.outputFiles[0]!.text);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
}

/** `export * from` each named component of src/components/. */
export const exportsOf = (names: readonly string[]) => names.map((c) => `export * from "./src/components/${c}.ts";`).join("\n");
