/**
 * The SQL box against a stand-in for DuckDB-WASM, in jsdom: a `?sql=` link only fills the
 * box; DuckDB is locked down (no external access, no extensions, configuration locked)
 * before the reader's first query, and a box whose lockdown fails runs nothing; the URL's
 * `sql` is written only after a query succeeds; Cancel and the timeout stop a query (DuckDB's
 * cancel, else the worker is terminated and the next run reopens it); INSTALL and LOAD are
 * refused with a plain message. The real DuckDB is in test/e2e/sql-security.test.ts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadComponents } from "../helpers/components.js";
import type * as ArrowModule from "apache-arrow";
import type * as SqlBox from "../../src/components/sqlBox.js";

// Arrow comes from the same bundle as the box, so the stand-in's batches are the box's kind.
const c = await loadComponents<typeof SqlBox & { Arrow: typeof ArrowModule }>(
  'export * from "./src/components/sqlBox.ts";\nexport * as Arrow from "npm:apache-arrow";',
  "http://localhost/explore",
);
const { Arrow } = c;

const DEFAULT = "SELECT 1 AS one";
const table = (n: number) => Arrow.tableFromArrays({ n: Int32Array.from({ length: n }, (_, i) => i) });

/**
 * A stand-in for DuckDB-WASM: it records every statement, honours (or, with `ignoreSettings`,
 * silently ignores) the lockdown settings, and understands a few queries: SLOW runs until
 * cancelled, STUCK ignores the cancel, FAIL fails, two statements go through query() only.
 */
class FakeDuckDB {
  statements: string[] = [];
  opened = 0;
  terminated = 0;
  cancels = 0;
  sources: string[][] = [];
  constructor(readonly options: { ignoreSettings?: boolean } = {}) {}
  client(): SqlBox.DuckDBClientLike {
    return {
      of: async (sources) => {
        this.opened++;
        this.sources.push(Object.keys(sources));
        const settings = { external: true, autoload: true, locked: false };
        let cancelPending: (() => void) | null = null;
        let alive = true;
        const never = new Promise<never>(() => {});
        const connection: SqlBox.ConnectionLike = {
          query: async (sql) => {
            if (!alive) return never;
            this.statements.push(sql);
            const set = /^SET (\w+) = (\w+)$/.exec(sql);
            if (set) {
              if (settings.locked) throw new Error(`Cannot change configuration option "${set[1]}" - the configuration has been locked`);
              if (!this.options.ignoreSettings) {
                const value = set[2] === "true";
                if (set[1] === "enable_external_access") settings.external = value;
                if (set[1] === "autoload_known_extensions") settings.autoload = value;
                if (set[1] === "lock_configuration") settings.locked = value;
              }
              return Object.assign([], { numRows: 0 }) as never;
            }
            if (sql.includes("current_setting")) return Object.assign([{ ...settings }], { numRows: 1 }) as never;
            if (sql.includes("STUCK")) return never;
            return table(2) as never;
          },
          send: async (sql) => {
            if (!alive) return never;
            if (/;\s*\S/.test(sql)) throw new Error("Invalid Error: PendingQuery can only take a single statement");
            if (/^SET /.test(sql)) {
              await connection.query(sql);
              return [] as never;
            }
            this.statements.push(sql);
            if (sql.includes("FAIL")) throw new Error("Catalog Error: Table with name nope does not exist!");
            if (sql.includes("STUCK")) return never;
            if (sql.includes("SLOW")) return new Promise<never>((_, reject) => (cancelPending = () => reject(new Error("query was canceled"))));
            return table(3).batches as unknown as AsyncIterable<ArrowModule.RecordBatch>;
          },
          cancelSent: async () => {
            this.cancels++;
            cancelPending?.();
            return cancelPending !== null;
          },
          close: async () => {},
        };
        return {
          _db: {
            connect: async () => connection,
            terminate: async () => {
              alive = false;
              this.terminated++;
            },
          },
        };
      },
    };
  }
}

function mount(fake: FakeDuckDB, url = "/explore", timeoutMs?: number) {
  history.replaceState(null, "", url);
  // The page's shared database: the fake DuckDB, its tables made by `setup` (here: one view), then locked down.
  const database = c.lockedDatabase(
    async () => (await fake.client().of({ responses: table(5) }))._db,
    async (_db, connection) => void (await connection.query("CREATE VIEW responses_view AS SELECT 1")),
  );
  const box = c.sqlBox({ database, defaultSql: DEFAULT, ...(timeoutMs ? { timeoutMs } : {}) });
  document.body.replaceChildren(box);
  const [run, cancel] = [...box.querySelectorAll("button")] as [HTMLButtonElement, HTMLButtonElement];
  const textarea = box.querySelector("textarea")!;
  const status = () => box.querySelector(".sql-status")!.textContent ?? "";
  const output = () => box.querySelector(".sql-output")!.textContent ?? "";
  const idle = async (timeout = 8_000) => {
    const start = Date.now();
    await new Promise((r) => setTimeout(r, 0));
    while (box.hasAttribute("aria-busy")) {
      if (Date.now() - start > timeout) throw new Error("the box stayed busy");
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const query = async (sql: string) => {
    textarea.value = sql;
    run.click();
    await idle();
  };
  return { box, run, cancel, textarea, status, output, idle, query };
}
const sqlInUrl = () => new URLSearchParams(location.search).get("sql");
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => history.replaceState(null, "", "/explore"));

describe("a shared ?sql= link", () => {
  it("fills the box and runs nothing, not even DuckDB's start, until Run is clicked", async () => {
    const fake = new FakeDuckDB();
    const crafted = "SELECT * FROM read_text('http://127.0.0.1:9/?d=secret')";
    const box = mount(fake, `/explore?sql=${encodeURIComponent(crafted)}`);
    await wait(50);
    expect(box.textarea.value).toBe(crafted);
    expect(fake.opened).toBe(0);
    expect(fake.statements).toEqual([]);
    expect(box.output()).toBe("");
    expect(box.status()).toMatch(/came with the link.*Nothing runs until you do/);
    await box.query("SELECT 2");
    expect(fake.opened).toBe(1);
    expect(fake.statements.at(-1)).toBe("SELECT 2");
  });
});

describe("DuckDB's lockdown", () => {
  it("turns external access and extension loading off and locks the configuration before the first query", async () => {
    const fake = new FakeDuckDB();
    const box = mount(fake);
    await box.query("SELECT count(*) FROM responses");
    expect(fake.sources).toEqual([["responses"]]);
    const user = fake.statements.indexOf("SELECT count(*) FROM responses");
    // The tables are set up first (attached while external access is on), then the lockdown, then the reader's query.
    expect(fake.statements[0]).toBe("CREATE VIEW responses_view AS SELECT 1");
    expect(fake.statements.slice(1, 5)).toEqual([...c.LOCKDOWN]);
    expect(c.LOCKDOWN).toEqual([
      "SET enable_external_access = false",
      "SET autoinstall_known_extensions = false",
      "SET autoload_known_extensions = false",
      "SET lock_configuration = true",
    ]);
    // Checked once by the lockdown, and again by the box on its own connection.
    expect(fake.statements[5]).toMatch(/current_setting\('enable_external_access'\)/);
    expect(fake.statements[6]).toMatch(/current_setting\('enable_external_access'\)/);
    expect(user).toBe(7);
    // The settings cannot be turned back on, and the box shows DuckDB's refusal.
    await box.query("SET enable_external_access = true");
    expect(box.output()).toMatch(/The query failed: .*configuration has been locked/);
  });

  it("a database whose lockdown does not take is ended, and runs nothing", async () => {
    const fake = new FakeDuckDB({ ignoreSettings: true });
    const box = mount(fake);
    await box.query("SELECT 42");
    expect(fake.statements).not.toContain("SELECT 42");
    expect(fake.terminated).toBe(1);
    expect(box.output()).toMatch(/could not be locked down, so it runs nothing/);
  });

  it("refuses INSTALL and LOAD with a plain message, before DuckDB", async () => {
    const fake = new FakeDuckDB();
    const box = mount(fake);
    for (const sql of ["INSTALL httpfs", "  -- x\n load httpfs", "SELECT 1; FORCE /* */ INSTALL spatial"]) {
      await box.query(sql);
      expect(box.output(), sql).toMatch(/(INSTALL|LOAD) is turned off here/);
    }
    expect(fake.opened).toBe(0);
    expect(c.statementHeads("SELECT 'a;INSTALL x' AS \"load\"; /* c */ install httpfs; -- INSTALL\nLOAD 'x'")).toEqual(["SELECT", "INSTALL HTTPFS", "LOAD"]);
    expect(c.statementHeads("SELECT 'it''s; LOAD x'")).toEqual(["SELECT"]);
    expect(c.refusal("SELECT * FROM installs")).toBeNull();
  });
});

describe("the URL's sql", () => {
  it("is written only after a query succeeds", async () => {
    const fake = new FakeDuckDB();
    const box = mount(fake);
    await box.query("SELECT * FROM FAIL");
    expect(box.output()).toMatch(/The query failed: Catalog Error/);
    expect(sqlInUrl()).toBeNull();
    await box.query("SELECT n FROM responses");
    expect(sqlInUrl()).toBe("SELECT n FROM responses");
    expect(box.status()).toMatch(/^3 rows in/);
    // A failure afterwards leaves the last query that ran.
    await box.query("SELECT * FROM FAIL");
    expect(sqlInUrl()).toBe("SELECT n FROM responses");
    // The default query is left out of the URL.
    await box.query(DEFAULT);
    expect(sqlInUrl()).toBeNull();
  });

  it("runs several statements (which DuckDB's send refuses) through query", async () => {
    const fake = new FakeDuckDB();
    const box = mount(fake);
    await box.query("SET VARIABLE v = 1; SELECT getvariable('v')");
    expect(box.status()).toMatch(/^2 rows in/);
  });
});

describe("stopping a query", () => {
  it("Cancel stops it with DuckDB's cancel: the box says so, keeps the database and runs the next query", async () => {
    const fake = new FakeDuckDB();
    const box = mount(fake);
    box.textarea.value = "SELECT count(*) FROM SLOW";
    box.run.click();
    await wait(30);
    expect(box.cancel.disabled).toBe(false);
    expect(box.run.disabled).toBe(true);
    box.cancel.click();
    await box.idle();
    expect(box.status()).toBe("Cancelled.");
    expect(box.output()).toBe("The query was cancelled.");
    expect(fake.cancels).toBe(1);
    expect(fake.terminated).toBe(0);
    expect(sqlInUrl()).toBeNull();
    expect(box.cancel.disabled).toBe(true);
    await box.query("SELECT 3");
    expect(box.status()).toMatch(/^3 rows in/);
    expect(fake.opened).toBe(1);
  });

  it("the timeout stops a query that ignores the cancel by ending DuckDB's worker; the next run reopens it", async () => {
    const fake = new FakeDuckDB();
    const box = mount(fake, "/explore", 200);
    expect(box.box.querySelector(".sql-note")!.textContent).toContain("stop after 0.2 s");
    box.textarea.value = "SELECT count(*) FROM STUCK";
    const started = Date.now();
    box.run.click();
    await box.idle(c.STOP_GRACE_MS + 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(box.status()).toBe("Stopped after 0.2 s: the query ran too long.");
    expect(fake.cancels).toBe(1);
    expect(fake.terminated).toBe(1);
    expect(sqlInUrl()).toBeNull();
    await box.query("SELECT 4");
    expect(box.status()).toMatch(/^3 rows in/);
    expect(fake.opened).toBe(2);
  });

  it("says it stops queries after 30 s by default", () => {
    const box = mount(new FakeDuckDB());
    expect(c.SQL_TIMEOUT_MS).toBe(30_000);
    expect(box.box.querySelector(".sql-note")!.textContent).toContain("stop after 30 s");
  });
});
