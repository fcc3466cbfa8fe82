# Helpers shared by rq1_rounds_lme4.R and rq1_cells_lme4.R: a JSON writer with exact
# numbers ("%.17g", non-finite -> null), lme4's column names in patsy's spelling, the
# numbers of one fit, and the fit at a given theta (lme4's modular API). Sourced, not run.
# ---- JSON writer (as in lme4_reference.R) -----------------------------------
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
