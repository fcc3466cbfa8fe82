# Reference values for the normal and Student-t distribution functions from R's
# stats package (Rmath), accurate to double precision. scipy's t.ppf is accurate only
# to about 1e-9 relative (see README), so quantiles are tested against these.
# Numbers are written with 17 significant digits, so every double round-trips.
# Run from the repository root:
#   Rscript test/reference/distributions_reference.R
num <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ", "), "]")
xs <- c(-40, -8, -5, -3.3, -1.96, -1, 0, 0.5, 1.644854, 2.5, 6, 9)
ps <- c(1e-300, 1e-100, 1e-10, 0.0005, 0.001, 0.025, 0.05, 0.3, 0.5, 0.8, 0.975, 0.999, 0.9995, 1 - 1e-10)
dfs <- c(1, 2, 3, 5, 10, 30, 200, 15920)
tx <- c(-40, -4, -2, -0.5, 0, 1, 2.1, 3.5, 12)
tp <- ps[ps >= 1e-10]
blocks <- sapply(dfs, function(df) sprintf(
  '    {"df": %s, "x": %s, "cdf": %s, "p": %s, "ppf": %s}',
  df, num(tx), num(pt(tx, df)), num(tp), num(qt(tp, df))
))
json <- paste0(
  "{\n",
  sprintf('  "source": "R %s.%s stats::pnorm/qnorm/pt/qt",\n', R.version$major, R.version$minor),
  sprintf('  "norm_cdf": {"x": %s, "value": %s},\n', num(xs), num(pnorm(xs))),
  sprintf('  "norm_ppf": {"p": %s, "value": %s},\n', num(ps), num(qnorm(ps))),
  '  "t": [\n', paste(blocks, collapse = ",\n"), "\n  ]\n}\n"
)
writeLines(json, "test/reference/expected/distributions_r.json", sep = "")
