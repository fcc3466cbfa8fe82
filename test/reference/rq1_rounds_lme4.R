#!/usr/bin/env Rscript
# lme4 reference fits of the RQ1 mixed model at several bootstrap round counts.
#
# Run from the repository root (/work/main):
#   Rscript test/reference/rq1_rounds_lme4.R
# Reads test/reference/fixtures/rq1_rounds_<R>_seed<S>.csv (make_rq1_rounds.ts) and
# writes test/reference/expected/rq1_rounds_lme4.json.
#
# Model: REML, random intercept per `model`, with the fixed effects
#   interaction     alignment ~ 0 + consistency:language + multilingual:family:language
#   normal          alignment ~ 0 + consistency + multilingual:family:language
#   no_consistency  alignment ~ 0 + multilingual:family:language
#
# The REML profile over theta = sqrt(group_var / resid_var) can be bimodal for these
# data, so a default fit may stop at a local mode. For every case and variant:
#   default_fit  lmer(..., REML = TRUE) with lme4's default control (nloptwrap);
#   modes        every local minimum of lme4's REML deviance function
#                (lmer(..., devFunOnly = TRUE)) over theta on a grid (theta = 0 and
#                THETA_GRID_N log-spaced points from 1e-5 to 1e3), each refined by
#                optimize() on log theta between its grid neighbours (tol 1e-12), best
#                first; each mode's full fit (coef, se, variances) is built from the
#                deviance function's state at the refined theta with mkMerMod (lme4's
#                modular API, exactly what lmer does after its optimizer);
#   multistart   lmer(..., start = list(theta = t0)) for t0 in MULTISTART_THETA, with the
#                default optimizer (nloptwrap) and with bobyqa, and which mode each reached;
#   global_fit   the fit at the best mode (or at a better multistart end, if one were higher).
#
# Numbers are written with "%.17g" (exact round trip); non-finite -> null.

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(file_arg)) dirname(normalizePath(file_arg)) else "test/reference"
fix_dir <- file.path(here, "fixtures")
out_dir <- file.path(here, "expected")
source(file.path(here, "rq1_lme4_helpers.R"))

versions <- list(R = R.version.string,
                 lme4 = as.character(packageVersion("lme4")),
                 Matrix = as.character(packageVersion("Matrix")),
                 minqa = as.character(packageVersion("minqa")),
                 nloptr = as.character(packageVersion("nloptr")),
                 jsonlite = as.character(packageVersion("jsonlite")))

cases <- list(c(10, 1), c(20, 1), c(30, 1), c(50, 1), c(100, 1), c(20, 2), c(50, 2))
formulas <- list(
  interaction    = alignment ~ 0 + consistency:language + multilingual:family:language + (1 | model),
  normal         = alignment ~ 0 + consistency + multilingual:family:language + (1 | model),
  no_consistency = alignment ~ 0 + multilingual:family:language + (1 | model)
)
THETA_GRID_N <- 2001                       # log10 step 0.004 between 1e-5 and 1e3
theta_grid <- c(0, 10^seq(-5, 3, length.out = THETA_GRID_N))
MULTISTART_THETA <- c(0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30)
SAME_MODE_LOG_THETA <- 5e-4                # |log theta1 - log theta2| below this: one mode


read_case <- function(rounds, seed) {
  name <- sprintf("rq1_rounds_%d_seed%d.csv", rounds, seed)
  d <- read.csv(file.path(fix_dir, name), stringsAsFactors = FALSE)
  # factor levels in C-locale (byte) order, which is what patsy uses
  for (v in c("family", "language", "model")) {
    d[[v]] <- factor(d[[v]], levels = sort(unique(d[[v]]), method = "radix"))
  }
  list(name = name, d = d)
}


variant_reference <- function(form, d) {
  wterms <- written_terms(form)

  # 1. Default fit.
  msgs <- character(0)
  fit0 <- withCallingHandlers(lmer(form, data = d, REML = TRUE),
                              warning = function(w) { msgs <<- c(msgs, conditionMessage(w)); invokeRestart("muffleWarning") },
                              message = function(m) { msgs <<- c(msgs, conditionMessage(m)); invokeRestart("muffleMessage") })
  names_r <- names(fixef(fit0))
  patsy <- vapply(names_r, to_patsy, character(1), d = d, wterms = wterms)
  default <- summarise(fit0)
  default$optimizer <- fit0@optinfo$optimizer
  default$optimizer_messages <- I(as.character(c(unlist(fit0@optinfo$conv$lme4$messages), msgs)))
  default$is_singular <- isSingular(fit0)

  # 2. Profile deviance on the grid, local minima, refinement.
  devfun <- lmer(form, data = d, REML = TRUE, devFunOnly = TRUE)
  dev <- vapply(theta_grid, function(t) devfun(t), numeric(1))
  modes <- list()
  m <- length(theta_grid)
  for (i in seq_len(m)) {
    left <- if (i > 1) dev[i - 1] else Inf
    right <- if (i < m) dev[i + 1] else Inf
    if (!(dev[i] < left && dev[i] <= right)) next
    if (i == 1) {                             # boundary theta = 0
      th <- 0
      dv <- dev[1]
    } else if (i == m) {
      th <- theta_grid[m]
      dv <- dev[m]
    } else {
      lo <- log(if (i == 2) 1e-8 else theta_grid[i - 1])
      hi <- log(theta_grid[i + 1])
      o <- optimize(function(lt) devfun(exp(lt)), c(lo, hi), tol = 1e-12)
      th <- exp(o$minimum)
      dv <- o$objective
    }
    modes[[length(modes) + 1]] <- list(theta = th, REMLcrit = dv, grid_theta = theta_grid[i],
                                       at_grid_edge = i == 1 || i == m)
  }
  modes <- modes[order(vapply(modes, function(x) x$REMLcrit, numeric(1)))]
  mode_fits <- lapply(modes, function(md) {
    f <- fit_at_theta(form, d, md$theta)
    s <- summarise(f)
    stopifnot(abs(s$REMLcrit - md$REMLcrit) < 1e-9)
    c(s, list(grid_theta = md$grid_theta, at_grid_edge = md$at_grid_edge))
  })
  mode_of <- function(th) {
    if (th == 0) return(if (any(vapply(mode_fits, function(x) x$theta == 0, logical(1))))
                          which(vapply(mode_fits, function(x) x$theta == 0, logical(1)))[1] - 1 else NA)
    dist <- vapply(mode_fits, function(x) abs(log(th / x$theta)), numeric(1))
    j <- which.min(dist)
    if (dist[j] < 0.025) j - 1 else NA       # 0-based, as the JSON index
  }

  # 3. Multi-start lmer refits.
  multistart <- list()
  best_ms <- NULL
  for (opt_name in c("nloptwrap", "bobyqa")) {
    for (t0 in MULTISTART_THETA) {
      f <- suppressWarnings(suppressMessages(
        lmer(form, data = d, REML = TRUE, start = list(theta = t0),
             control = lmerControl(optimizer = opt_name, calc.derivs = FALSE))))
      s <- summarise(f)
      multistart[[length(multistart) + 1]] <- list(
        optimizer = opt_name, start_theta = t0, theta = s$theta, group_var = s$group_var,
        logLik = s$logLik, mode = mode_of(s$theta))
      if (is.null(best_ms) || s$logLik > best_ms$logLik) best_ms <- s
    }
  }
  global <- mode_fits[[1]]
  global$source <- "grid + optimize() on lme4's REML deviance function, fit built with mkMerMod"
  if (best_ms$logLik > global$logLik + 1e-9) {
    # Never happened; kept so that a better multistart optimum would win.
    global <- best_ms
    global$source <- "best multistart lmer fit"
  }
  default$mode <- mode_of(default$theta)
  default$logLik_minus_global <- default$logLik - global$logLik
  default$reached_global_mode <- identical(default$mode, 0)

  list(
    formula = paste(deparse(form), collapse = " "),
    n = nrow(d),
    n_groups = nlevels(d$model),
    k_fe = length(names_r),
    names = unname(names_r),
    patsy_name = unname(patsy),
    default_fit = default,
    global_fit = global,
    n_modes = length(mode_fits),
    modes = lapply(mode_fits, function(x) list(
      group_var = x$group_var, resid_var = x$resid_var, theta = x$theta, gamma = x$gamma,
      logLik = x$logLik, REMLcrit = x$REMLcrit, grid_theta = x$grid_theta,
      at_grid_edge = x$at_grid_edge)),
    multistart = multistart
  )
}

out_cases <- list()
for (cs in cases) {
  rc <- read_case(cs[1], cs[2])
  key <- sprintf("%d_seed%d", cs[1], cs[2])
  entry <- list(fixture = rc$name, rounds = cs[1], seed = cs[2])
  for (v in names(formulas)) {
    r <- variant_reference(formulas[[v]], rc$d)
    entry[[v]] <- r
    cat(sprintf("%-10s %-15s modes=%d default gv=%.6g ll=%.6f (mode %s) | global gv=%.6g ll=%.6f | %s\n",
                key, v, r$n_modes, r$default_fit$group_var, r$default_fit$logLik,
                format(r$default_fit$mode), r$global_fit$group_var, r$global_fit$logLik,
                paste(vapply(r$modes, function(x) sprintf("[%.4g %.4f]", x$group_var, x$logLik), ""),
                      collapse = " ")))
  }
  out_cases[[key]] <- entry
}

out <- list(
  source = "lme4::lmer (REML), rq1_rounds_lme4.R",
  versions = versions,
  groups = "model",
  theta_grid = list(zero = TRUE, from = 1e-5, to = 1e3, n_log_spaced = THETA_GRID_N),
  multistart_theta = I(MULTISTART_THETA),
  note = paste("theta = sqrt(group_var / resid_var), gamma = theta^2; logLik is the REML log-likelihood",
               "(-REMLcrit/2). default_fit is lmer(REML = TRUE) with default control. modes are the local",
               "minima of the REML deviance over theta, best first; global_fit is modes[0] with coefficients",
               "and SEs. `mode` in default_fit / multistart is the 0-based index of the mode reached",
               "(null: none within 2.5% in theta). patsy_name maps lme4's column names to patsy's."),
  cases = out_cases
)
path <- file.path(out_dir, "rq1_rounds_lme4.json")
writeLines(to_json(out), path)
cat("wrote", path, "\n")
