#!/usr/bin/env Rscript
# lme4 reference fits for the mixed-model fixtures with missing values, empty
# groups, a group of one observation and empty factor levels/cells
# (mixed_nan.csv, mixed_empty.csv; see make_fixtures.py).
#
# Run from the repository root (/work/main), after missing_reference.py:
#   Rscript test/reference/missing_lme4.R
# Writes test/reference/expected/missing_lme4.json.
#
# lmer's defaults are used on purpose, as a user would call it:
#  * na.action = na.omit: rows with NA in a variable of the formula (or the
#    grouping factor) are dropped; other columns do not matter.
#  * lFormula builds the model frame with drop.unused.levels = TRUE, so a
#    factor level that only occurs on dropped rows gets no column, and a group
#    whose rows are all dropped is not a group.
#  * control = lmerControl(check.rankX = "message+drop.cols"): an all-zero
#    (or otherwise rank-deficient) fixed-effect column is dropped with the
#    message "fixed-effect model matrix is rank deficient so dropping 1
#    column / coefficient", and the model is fitted without it.
# The factors are built with all the levels in the CSV (C-locale order), so
# the drops above really happen inside lme4.

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(file_arg)) dirname(normalizePath(file_arg)) else "test/reference"
fix_dir <- file.path(here, "fixtures")
out_dir <- file.path(here, "expected")

versions <- list(R = R.version.string,
                 lme4 = as.character(packageVersion("lme4")),
                 Matrix = as.character(packageVersion("Matrix")))

# JSON writer with full double precision (as in lme4_reference.R).
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

read_fixture <- function(name, reference = list()) {
  d <- read.csv(file.path(fix_dir, name), stringsAsFactors = FALSE)
  for (v in intersect(c("cat", "lang", "group", "src"), names(d))) {
    d[[v]] <- factor(d[[v]], levels = sort(unique(d[[v]]), method = "radix"))
    if (!is.null(reference[[v]])) d[[v]] <- relevel(d[[v]], reference[[v]])
  }
  d
}

# lme4 column name -> patsy column name.  Each ":"-part is a numeric variable
# or <factor><level>; patsy writes a factor as f[level] when it is coded with
# all its levels in that term and f[T.level] under treatment coding.  Both
# spellings are tried and the one among statsmodels' design names (which
# include any dropped column; `C(lang, Treatment(...))` renamed to `lang`) is kept; the parts are put in the written order
# of the term, by permutation.
to_patsy <- function(nm, d, sm_names) {
  if (nm == "(Intercept)") return("Intercept")
  facs <- names(d)[vapply(d, is.factor, logical(1))]
  parts <- strsplit(nm, ":", fixed = TRUE)[[1]]
  alts <- lapply(parts, function(p) {
    for (f in facs) {
      lev <- substring(p, nchar(f) + 1)
      if (startsWith(p, f) && lev %in% levels(d[[f]])) {
        return(c(sprintf("%s[%s]", f, lev), sprintf("%s[T.%s]", f, lev)))
      }
    }
    p
  })
  perms <- function(v) {
    if (length(v) <= 1) return(list(v))
    out <- list()
    for (i in seq_along(v)) for (r in perms(v[-i])) out[[length(out) + 1]] <- c(v[i], r)
    out
  }
  hits <- character(0)
  for (ord in perms(seq_along(parts))) {
    combos <- expand.grid(alts[ord], stringsAsFactors = FALSE)
    for (k in seq_len(nrow(combos))) {
      cand <- paste(unlist(combos[k, ]), collapse = ":")
      if (cand %in% sm_names) hits <- c(hits, cand)
    }
  }
  hits <- unique(hits)
  if (length(hits) != 1) stop("cannot map lme4 column ", nm, " (", length(hits), " matches)")
  hits
}

sm_all <- fromJSON(file.path(out_dir, "missing_statsmodels.json"), simplifyVector = TRUE)

cases <- list(
  nan_interaction = list(fixture = "mixed_nan.csv", form = y ~ 0 + x1:lang + x2:cat:lang + (1 | group)),
  nan_treatment   = list(fixture = "mixed_nan.csv", form = y ~ x1 + lang + x2:cat + (1 | group)),
  empty_level     = list(fixture = "mixed_empty.csv", form = y ~ x1 + x2 + src + (1 | group)),
  empty_cell      = list(fixture = "mixed_empty.csv", form = y ~ 0 + x1:lang + x2:cat:lang + (1 | group)),
  # lang's reference level is Dutch, so the empty (olmo, Dutch) cell makes the
  # design rank deficient without any all-zero column
  empty_ref_cell  = list(fixture = "mixed_empty.csv", form = y ~ x1 + cat * lang + (1 | group),
                         reference = list(lang = "Dutch"))
)

fit_case <- function(key, spec) {
  d <- read_fixture(spec$fixture, if (is.null(spec$reference)) list() else spec$reference)
  sm <- sm_all$mixed[[key]]
  msgs <- character(0)
  fit <- withCallingHandlers(
    lmer(spec$form, data = d, REML = TRUE,
         control = lmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 1e5))),
    message = function(m) {
      msgs <<- c(msgs, conditionMessage(m))
      invokeRestart("muffleMessage")
    })
  fe <- fixef(fit)
  se <- sqrt(diag(as.matrix(vcov(fit))))
  vc <- as.data.frame(VarCorr(fit))
  dropped <- attr(getME(fit, "X"), "col.dropped")
  patsy <- vapply(names(fe), to_patsy, character(1), d = d, sm_names = sm$design_names)
  dropped_patsy <- if (length(dropped)) vapply(names(dropped), to_patsy, character(1), d = d,
                                                sm_names = sm$design_names) else character(0)
  rows_kept <- as.integer(rownames(model.frame(fit))) - 1L
  re <- ranef(fit)$group
  ll <- logLik(fit)
  out <- list(
    source = "lme4::lmer",
    fixture = spec$fixture,
    formula = paste(deparse(spec$form), collapse = " "),
    reml = TRUE,
    messages = I(msgs),
    optimizer_messages = I(as.character(unlist(fit@optinfo$conv$lme4$messages))),
    is_singular = isSingular(fit),
    n = nobs(fit),
    rows_kept = I(rows_kept),
    n_groups = unname(ngrps(fit)["group"]),
    group_levels = I(levels(fit@flist$group)),
    dropped_columns = I(unname(dropped_patsy)),
    names = unname(names(fe)),
    patsy_name = unname(patsy),
    coef = unname(fe),
    se = unname(se),
    group_var = vc$vcov[vc$grp == "group"][1],
    resid_var = sigma(fit)^2,
    theta = unname(getME(fit, "theta")),
    REMLcrit = REMLcrit(fit),
    logLik = as.numeric(ll),
    random_effects = setNames(as.list(re[, 1]), rownames(re))
  )
  # Cross-checks against statsmodels' tightly converged fit.
  t <- sm$tight_fit
  idx <- match(sm$exog_names, patsy)
  devfun <- suppressMessages(lmer(spec$form, data = d, REML = TRUE, devFunOnly = TRUE))
  theta_sm <- sqrt(t$group_var / t$scale)
  out$check_statsmodels <- list(
    names_match = !anyNA(idx) && length(idx) == length(patsy),
    same_rows = identical(as.integer(rows_kept), as.integer(sm$rows_kept)),
    same_dropped_columns = identical(sort(unname(dropped_patsy)), sort(as.character(sm$dropped_columns))),
    coef_max_abs_diff = max(abs(fe[idx] - t$coef)),
    group_var_rel_diff = abs(out$group_var / t$group_var - 1),
    REML_logLik_at_statsmodels_theta = -devfun(theta_sm) / 2,
    statsmodels_llf_minus_lme4_at_same_theta = t$llf - (-devfun(theta_sm) / 2),
    statsmodels_llf_minus_lme4 = t$llf - out$logLik
  )
  c <- out$check_statsmodels
  cat(sprintf("%-16s n=%d groups=%d dropped=[%s] names=%s rows=%s max|dcoef|=%.2g dllf(same theta)=%.2g dllf=%.2g\n",
              key, out$n, out$n_groups, paste(dropped_patsy, collapse = ","), c$names_match,
              c$same_rows, c$coef_max_abs_diff, c$statsmodels_llf_minus_lme4_at_same_theta,
              c$statsmodels_llf_minus_lme4))
  stopifnot(c$names_match, c$same_rows, c$same_dropped_columns, c$coef_max_abs_diff < 1e-6,
            abs(c$statsmodels_llf_minus_lme4_at_same_theta) < 1e-9)
  out
}

res <- list(source = "lme4::lmer (missing values, empty groups and cells)", versions = versions)
res$mixed <- lapply(setNames(names(cases), names(cases)), function(k) fit_case(k, cases[[k]]))
path <- file.path(out_dir, "missing_lme4.json")
writeLines(to_json(res), path)
cat("wrote", path, "\n")
