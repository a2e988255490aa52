# Read a Research API export file into R: download its signed link, check the file against
# the SHA-256 the API gave for it, and read it with arrow. No R package of this project is
# needed; the signed link needs no token (it expires: GET the export again for a fresh one).
#
#   install.packages(c("arrow", "digest"))
#   source("clients/r/read_export.R")
#   videos <- read_export(url = Sys.getenv("EXPORT_URL"), sha256 = Sys.getenv("EXPORT_SHA256"))
#
# `research-api export status EXPORT_ID` prints each file's url and sha256.

read_export <- function(url, sha256, destination = tempfile(fileext = ".parquet")) {
  utils::download.file(url, destination, mode = "wb", quiet = TRUE)
  actual <- digest::digest(file = destination, algo = "sha256")
  if (!identical(tolower(actual), tolower(sha256))) {
    unlink(destination)
    stop(sprintf("SHA-256 mismatch: %s, expected %s", actual, sha256))
  }
  name <- sub("\\?.*$", "", url)
  if (grepl("\\.parquet$", name)) {
    arrow::read_parquet(destination)
  } else if (grepl("\\.csv$", name)) {
    arrow::read_csv_arrow(destination)
  } else {
    arrow::read_json_arrow(destination)
  }
}
