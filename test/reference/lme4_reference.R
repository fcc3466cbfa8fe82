#!/usr/bin/env Rscript
# lme4 reference fits for the mixed-model fixtures.
#
# Run from the repository root (/work/main):
#   Rscript test/reference/lme4_reference.R
# Writes test/reference/expected/lme4_<fixture>_<formula>.json
#
# Each file holds lme4's fixed-effect names, a `patsy_name` for each term
# (patsy/statsmodels naming convention, e.g. x2:cat[gemma]:lang[Danish]),
# coef, se (sqrt(diag(vcov))), group variance, residual variance (sigma^2),
# REML criterion, REML logLik, n, n_groups.  If the statsmodels JSON for the
# same fit exists it also evaluates lme4's REML deviance function at
# statsmodels' variance ratio (so both log-likelihood definitions can be
# compared at identical parameters) and checks the name mapping.

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(file_arg)) dirname(normalizePath(file_arg)) else "test/reference"
fix_dir <- file.path(here, "fixtures")
out_dir <- file.path(here, "expected")
dir.create(out_dir, showWarnings = FALSE)

versions <- list(R = R.version.string,
                 lme4 = as.character(packageVersion("lme4")),
                 Matrix = as.character(packageVersion("Matrix")),
                 jsonlite = as.character(packageVersion("jsonlite")))

formulas <- list(
  interaction = y ~ 0 + x1:lang + x2:cat:lang + (1 | group),
  normal      = y ~ 0 + x1 + x2:cat:lang + (1 | group),
  no_x1       = y ~ 0 + x2:cat:lang + (1 | group)
)
small_formulas <- list(intercept = y ~ x + (1 | group))

# Minimal JSON writer with full double precision ("%.17g": exact round trip;
# jsonlite caps output at 15 significant digits).  Non-finite -> null.
# Length-1 atomic vectors become scalars unless wrapped in I() (-> array).
json_num <- function(x) {
  ifelse(is.finite(x), sprintf("%.17g", x), "null")
}
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

read_fixture <- function(name) {
  d <- read.csv(file.path(fix_dir, paste0(name, ".csv")),
                stringsAsFactors = FALSE)
  # factor levels in C-locale (byte) order, which is what patsy uses
  for (v in intersect(c("cat", "lang", "group"), names(d))) {
    d[[v]] <- factor(d[[v]], levels = sort(unique(d[[v]]), method = "radix"))
  }
  d
}

# lme4/R column name -> patsy column name
#   (Intercept)              -> Intercept
#   x1:langDanish            -> x1:lang[Danish]
#   langDanish:x2:catgemma   -> x2:cat[gemma]:lang[Danish]
# R orders the variables inside an interaction column by their first
# appearance in the whole formula (hence "langDanish:x2:catgemma" when
# x1:lang precedes x2:cat:lang), whereas patsy keeps the order in which the
# term is written.  So each column is split into (variable, level) parts and
# re-ordered to the written order of the matching term of the formula.
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
  vars <- character(length(parts))
  labs <- character(length(parts))
  for (i in seq_along(parts)) {
    p <- parts[i]
    vars[i] <- p
    labs[i] <- p
    for (f in facs) {
      if (startsWith(p, f)) {
        lev <- substring(p, nchar(f) + 1)
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

fit_one <- function(fixture, key, form) {
  d <- read_fixture(fixture)
  ctrl <- lmerControl(optimizer = "bobyqa",
                      optCtrl = list(maxfun = 1e5))
  fit <- lmer(form, data = d, REML = TRUE, control = ctrl)
  fe <- fixef(fit)
  se <- sqrt(diag(as.matrix(vcov(fit))))
  vc <- as.data.frame(VarCorr(fit))
  group_var <- vc$vcov[vc$grp == "group"][1]
  resid_var <- sigma(fit)^2
  ll <- logLik(fit)               # REML log-likelihood since REML = TRUE
  names_r <- names(fe)
  patsy <- vapply(names_r, to_patsy, character(1), d = d,
                  wterms = written_terms(form))
  re <- ranef(fit)$group
  out <- list(
    source = "lme4::lmer",
    versions = versions,
    fixture = paste0(fixture, ".csv"),
    formula_key = key,
    formula = paste(deparse(form), collapse = " "),
    reml = TRUE,
    optimizer = "bobyqa",
    optimizer_messages = I(as.character(unlist(fit@optinfo$conv$lme4$messages))),
    is_singular = isSingular(fit),
    n = nobs(fit),
    n_groups = unname(ngrps(fit)["group"]),
    k_fe = length(fe),
    names = unname(names_r),
    patsy_name = unname(patsy),
    coef = unname(fe),
    se = unname(se),
    group_var = group_var,
    resid_var = resid_var,
    theta = unname(getME(fit, "theta")),
    REMLcrit = REMLcrit(fit),
    logLik = as.numeric(ll),
    logLik_df = attr(ll, "df"),
    random_effects = setNames(as.list(re[, 1]), rownames(re))
  )

  # Cross-check against statsmodels output if it exists.
  sm_file <- file.path(out_dir, sprintf("statsmodels_%s_%s.json", fixture, key))
  if (file.exists(sm_file)) {
    sm <- fromJSON(sm_file)
    devfun <- lmer(form, data = d, REML = TRUE, control = ctrl,
                   devFunOnly = TRUE)
    theta_sm <- sqrt(sm$group_var / sm$scale)
    idx <- match(sm$exog_names, patsy)
    out$check_statsmodels <- list(
      names_match = !anyNA(idx) && length(idx) == length(patsy),
      coef_max_abs_diff = max(abs(fe[idx] - sm$coef)),
      theta_statsmodels = theta_sm,
      REML_logLik_at_statsmodels_theta = -devfun(theta_sm) / 2,
      statsmodels_llf = sm$llf,
      statsmodels_llf_minus_lme4_at_same_theta = sm$llf - (-devfun(theta_sm) / 2)
    )
    cat(sprintf("%-18s %-12s names_match=%s max|coef diff|=%.3g  llf(sm)-lme4(theta_sm)=%.3g\n",
                fixture, key, out$check_statsmodels$names_match,
                out$check_statsmodels$coef_max_abs_diff,
                out$check_statsmodels$statsmodels_llf_minus_lme4_at_same_theta))
    if (fixture == "mixed_balanced") {
      stopifnot(out$check_statsmodels$names_match,
                out$check_statsmodels$coef_max_abs_diff < 1e-4)
    }
  }
  path <- file.path(out_dir, sprintf("lme4_%s_%s.json", fixture, key))
  writeLines(to_json(out), path)
  cat("wrote", path, "\n")
  invisible(out)
}

for (fixture in c("mixed_unbalanced", "mixed_balanced")) {
  for (key in names(formulas)) fit_one(fixture, key, formulas[[key]])
}
for (key in names(small_formulas)) fit_one("mixed_small", key, small_formulas[[key]])
