// Observable Framework configuration. See docs/offline-build.md for why the DuckDB
// extensions and the web-font stylesheet are switched off: the site must build and
// run with no network, from node_modules only.
export default {
  root: "src",
  // MCA_OUTPUT builds elsewhere than dist/ (the tests use it to build a second site beside the first).
  output: process.env.MCA_OUTPUT ?? "dist",
  title: "Multilingual ≠ Multicultural",
  pages: [
    { name: "Overview", path: "/" },
    { name: "The survey and the value map", path: "/survey" },
    { name: "Alignment", path: "/alignment" },
    { name: "Self-consistency", path: "/consistency" },
    { name: "Dispersion", path: "/dispersion" },
    { name: "Prompt language", path: "/cross-effects" },
    { name: "Capability (RQ1)", path: "/capability" },
    { name: "US-centric bias (RQ2)", path: "/us-bias" },
    { name: "Whose opinions?", path: "/whose-opinions" },
    { name: "Personas", path: "/personas" },
    { name: "How often pro?", path: "/pro-share" },
    { name: "Unpublished analyses", path: "/unpublished" },
    { name: "Robustness", path: "/robustness" },
    { name: "Judges", path: "/judges" },
    { name: "Explore", path: "/explore" },
    { name: "Questions", path: "/questions" },
    { name: "Data & methods", path: "/data-methods" },
  ],
  head: '<link rel="icon" href="data:,">',
  footer:
    "The numbers come from the data source named at the top of each page, computed when the site was built or in your browser. The study this site reproduces and re-analyses: Rystrøm, Kirk &amp; Hale (2025), “Multilingual ≠ Multicultural”.",
  // No DuckDB extensions are downloaded at build time (the pages query workspace.duckdb, in DuckDB's own format).
  duckdb: { extensions: { json: null, parquet: null } },
  // The default global stylesheets include a web-font stylesheet from a CDN; use the theme only.
  globalStylesheets: [],
  // Framework's default stylesheet and the Air/Near Midnight themes (light/dark follows the system).
  style: "style.css",
  search: true,
  toc: false,
};
