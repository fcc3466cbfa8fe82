/** `npm run serve` (and the tests' server): a malformed URL is a 400, never the server's end. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodePath, serveDir } from "../../scripts/serve.js";

describe("serveDir", () => {
  it("answers a malformed percent-encoding with 400 and keeps serving", async () => {
    const dir = mkdtempSync(join(tmpdir(), "serve-"));
    writeFileSync(join(dir, "index.html"), "<p>hi</p>");
    writeFileSync(join(dir, "alignment.html"), "<p>a</p>");
    const s = await serveDir(dir);
    try {
      expect((await fetch(`${s.url}/%E0%A4%A`)).status).toBe(400);
      expect((await fetch(`${s.url}/%`)).status).toBe(400);
      expect(await (await fetch(`${s.url}/alignment`)).text()).toBe("<p>a</p>");
      expect((await fetch(`${s.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it("decodes paths, or says they are malformed", () => {
    expect(decodePath("/a%20b")).toBe("/a b");
    expect(decodePath("/%E0%A4%A")).toBeNull();
  });
});
