#!/usr/bin/env Rscript
# lme4 reference fits of the recommended RQ1 model: one observation per (model,
# language), REML, random intercept per model, with an intercept per language (the
# recommended formula), per family x language (a variant), or none (the study's formula
# on one estimate per cell).
#
# Run from the repository root (/work/main), after make_rq1_cells.ts:
#   Rscript test/reference/rq1_cells_lme4.R
# Reads test/reference/fixtures/rq1_cells.csv, writes test/reference/expected/rq1_cells_lme4.json.
# The REML profile over theta is searched on a grid (theta = 0 and 2001 log-spaced points
# from 1e-5 to 1e3); the best grid point is refined by optimize() on log theta, and the
# fit at that theta is built with lme4's modular API (as rq1_rounds_lme4.R does). The
# default lmer fit is recorded beside it. Numbers are written with "%.17g".

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(file_arg)) dirname(normalizePath(file_arg)) else "test/reference"
source(file.path(here, "rq1_lme4_helpers.R"))

d <- read.csv("test/reference/fixtures/rq1_cells.csv", stringsAsFactors = FALSE)
for (v in c("family", "language", "model")) d[[v]] <- factor(d[[v]], levels = sort(unique(d[[v]]), method = "radix"))

formulas <- list(
  language_intercepts        = alignment ~ 0 + language + consistency:language + multilingual:family:language + (1 | model),
  family_language_intercepts = alignment ~ 0 + family:language + consistency:language + multilingual:family:language + (1 | model),
  no_intercept               = alignment ~ 0 + consistency:language + multilingual:family:language + (1 | model)
)
theta_grid <- c(0, 10^seq(-5, 3, length.out = 2001))

out <- list(versions = list(R = R.version.string, lme4 = as.character(packageVersion("lme4"))), n = nrow(d))
for (name in names(formulas)) {
  form <- formulas[[name]]
  lmod <- lFormula(form, data = d, REML = TRUE)
  devfun <- do.call(mkLmerDevfun, lmod)
  dev <- vapply(theta_grid, function(t) devfun(t), numeric(1))
  k <- which.min(dev)
  best <- theta_grid[k]
  if (k > 1 && k < length(theta_grid)) {
    lo <- log(max(theta_grid[k - 1], 1e-6)); hi <- log(theta_grid[k + 1])
    o <- optimize(function(lt) devfun(exp(lt)), c(lo, hi), tol = 1e-12)
    if (o$objective < dev[k]) best <- exp(o$minimum)
  }
  fit <- fit_at_theta(form, d, best)
  default <- lmer(form, data = d, REML = TRUE)
  wterms <- written_terms(form)
  out[[name]] <- list(
    patsy_name = unname(vapply(names(fixef(fit)), to_patsy, character(1), d = d, wterms = wterms)),
    global_fit = summarise(fit),
    default_fit = summarise(default)
  )
}
writeLines(to_json(out), "test/reference/expected/rq1_cells_lme4.json")
cat("wrote test/reference/expected/rq1_cells_lme4.json\n")
