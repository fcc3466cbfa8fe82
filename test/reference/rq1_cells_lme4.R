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
json_num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
json_str <- function(x) {
  vapply(x, function(s) if (is.na(s)) "null" else
         as.character(toJSON(s, auto_unbox = TRUE)), character(1), USE.NAMES = FALSE)
}
to_json <- function(x, indent = 0) {
  pad <- strrep(" ", indent + 1)
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    inner <- vapply(x, to_json, character(1), indent = indent + 1)
    if (!is.null(names(x))) {
      body <- paste0(pad, json_str(names(x)), ": ", inner, collapse = ",\n")
      return(paste0("{\n", body, "\n", strrep(" ", indent), "}"))
    }
    body <- paste0(pad, inner, collapse = ",\n")
    return(paste0("[\n", body, "\n", strrep(" ", indent), "]"))
  }
  if (is.null(x)) return("null")
  as_array <- inherits(x, "AsIs") || length(x) != 1
  vals <- if (is.logical(x)) ifelse(is.na(x), "null", ifelse(x, "true", "false"))
          else if (is.numeric(x)) json_num(as.numeric(x))
          else json_str(as.character(x))
  if (as_array) paste0("[", paste(vals, collapse = ", "), "]") else vals
}
# ---- lme4 column name -> patsy name (as lme4_reference.R) -------------------
#   consistency:languageDanish              -> consistency:language[Danish]
#   languageDanish:multilingual:familygemma -> multilingual:family[gemma]:language[Danish]
written_terms <- function(form) {
  rhs <- paste(deparse(form[[3]]), collapse = " ")
  terms <- trimws(strsplit(rhs, "+", fixed = TRUE)[[1]])
  terms <- terms[!grepl("|", terms, fixed = TRUE) & !terms %in% c("0", "1", "(1")]
  lapply(terms, function(t) trimws(strsplit(t, ":", fixed = TRUE)[[1]]))
}

to_patsy <- function(nm, d, wterms) {
  if (nm == "(Intercept)") return("Intercept")
  facs <- names(d)[vapply(d, is.factor, logical(1))]
  parts <- strsplit(nm, ":", fixed = TRUE)[[1]]
  vars <- parts
  labs <- parts
  for (i in seq_along(parts)) {
    for (f in facs) {
      if (startsWith(parts[i], f)) {
        lev <- substring(parts[i], nchar(f) + 1)
        if (lev %in% levels(d[[f]])) {
          vars[i] <- f
          labs[i] <- sprintf("%s[%s]", f, lev)
          break
        }
      }
    }
  }
  for (wt in wterms) {
    if (length(wt) == length(vars) && setequal(wt, vars)) {
      return(paste(labs[match(wt, vars)], collapse = ":"))
    }
  }
  stop("no written term matches column ", nm)
}

# The numbers of one merMod.
summarise <- function(fit) {
  vc <- as.data.frame(VarCorr(fit))
  gv <- vc$vcov[vc$grp == "model"][1]
  rv <- sigma(fit)^2
  ll <- logLik(fit)
  list(
    coef = unname(fixef(fit)),
    se = unname(sqrt(diag(as.matrix(vcov(fit))))),
    group_var = gv,
    resid_var = rv,
    theta = unname(getME(fit, "theta")),
    gamma = gv / rv,
    REMLcrit = REMLcrit(fit),
    logLik = as.numeric(ll)
  )
}

# A merMod at a given theta: set the deviance function's state there, then mkMerMod.
fit_at_theta <- function(form, d, theta) {
  lmod <- lFormula(form, data = d, REML = TRUE)
  devfun <- do.call(mkLmerDevfun, lmod)
  dev <- devfun(theta)
  opt <- list(par = theta, fval = dev, conv = 0, feval = NA_integer_,
              message = "theta from grid + optimize()")
  mkMerMod(environment(devfun), opt, lmod$reTrms, fr = lmod$fr)
}


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
