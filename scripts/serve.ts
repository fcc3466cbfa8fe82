/**
 * A static file server for the built site (dist/), as a host would serve it: clean URLs
 * (/alignment) map to .html files, as GitHub Pages and Netlify do and a plain
 * `python3 -m http.server` does not. `npm run serve [-- --port N] [-- DIR]` serves dist/;
 * the browser tests and the benchmarks use `serveDir`.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "../loaders/paths.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".parquet": "application/octet-stream",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".csv": "text/csv",
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
  /** Bytes sent per request path since the last reset. */
  bytes: Map<string, number>;
}

/** The decoded path, or null when its percent-encoding is malformed. */
export function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

export async function serveDir(root: string, port = 0): Promise<StaticServer> {
  const bytes = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const decoded = decodePath(url.pathname);
    if (decoded === null) {
      // A malformed escape (/%E0%A4%A) is the client's error, never the server's end.
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("bad request: malformed percent-encoding in the path");
      return;
    }
    let path = normalize(decoded).replace(/^(\.\.[/\\])+/, "");
    let file = join(root, path);
    if (path.endsWith("/")) file = join(file, "index.html");
    else if (!existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`;
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    const size = statSync(file).size;
    bytes.set(url.pathname, (bytes.get(url.pathname) ?? 0) + size);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    bytes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--port");
  const port = at >= 0 ? Number(args[at + 1]) : Number(process.env.PORT ?? 3000);
  const dir = resolve(args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--port") ?? join(REPO_ROOT, "dist"));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: --port must be a port number, got "${args[at + 1]}"`);
    process.exit(2);
  }
  if (!existsSync(join(dir, "index.html"))) {
    console.error(`serve: ${dir} holds no built site (no index.html); run \`npm run build\` first`);
    process.exit(1);
  }
  const s = await serveDir(dir, port);
  console.log(`Serving ${dir} at ${s.url}/ (Ctrl-C stops)`);
}
