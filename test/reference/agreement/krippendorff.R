# Krippendorff's alpha (nominal) for every dataset in datasets_long.csv, written by
# agreement_reference.py. Base R only, from the coincidence matrix (Krippendorff 2011,
# "Computing Krippendorff's Alpha-Reliability", section C): units with fewer than two
# values are not pairable. Writes alpha_r.csv; NA where alpha is undefined.
long <- read.csv("datasets_long.csv", colClasses = c("character", "integer", "integer", "character"))
alpha_of <- function(d) {
  values <- sort(unique(d$value))
  o <- matrix(0, length(values), length(values), dimnames = list(values, values))
  for (u in split(d$value, d$unit)) {
    m <- length(u)
    if (m < 2) next
    for (a in seq_len(m)) for (b in seq_len(m)) if (a != b) {
      o[u[a], u[b]] <- o[u[a], u[b]] + 1 / (m - 1)
    }
  }
  n_c <- rowSums(o)
  n <- sum(n_c)
  if (n < 2) return(NA)
  d_o <- 1 - sum(diag(o)) / n                          # observed disagreement
  d_e <- 1 - sum(n_c * (n_c - 1)) / (n * (n - 1))       # expected disagreement
  if (d_e <= 0) return(NA)
  1 - d_o / d_e
}
names <- unique(long$dataset)
alphas <- vapply(names, function(nm) alpha_of(long[long$dataset == nm, ]), numeric(1))
write.csv(data.frame(dataset = names, alpha = sprintf("%.17g", alphas)), "alpha_r.csv", row.names = FALSE, quote = FALSE)
print(data.frame(dataset = names, alpha = alphas))
