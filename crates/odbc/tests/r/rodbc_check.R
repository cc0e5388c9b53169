# The driver through unixODBC with R's RODBC: run by tests/apps.rs as
#   Rscript rodbc_check.R DSN BASE_URL API_TOKEN
# Every value read through ODBC is compared with the raw value of the sandbox's REST API.

suppressPackageStartupMessages({
  library(RODBC)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3) {
  cat("usage: Rscript rodbc_check.R DSN BASE_URL API_TOKEN\n", file = stderr())
  quit(status = 2)
}
dsn <- args[1]
base <- sub("/$", "", args[2])
token <- args[3]

failures <- character(0)
fail <- function(check, message) {
  failures <<- c(failures, paste0(check, ": ", message))
  cat("FAILED ", check, ": ", message, "\n", sep = "", file = stderr())
}
# Runs one named check; an error fails it without stopping the others.
check <- function(name, body) {
  tryCatch(body(), error = function(e) fail(name, conditionMessage(e)))
}

# ---- the raw API values -------------------------------------------------------------------

api_get <- function(path) {
  con <- url(paste0(base, path), headers = c("x-api-token" = token))
  on.exit(close(con))
  text <- paste(readLines(con, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  fromJSON(text, simplifyVector = FALSE)
}

api_deals <- function() {
  deals <- list()
  cursor <- NULL
  repeat {
    path <- "/api/v2/deals?limit=500"
    if (!is.null(cursor)) path <- paste0(path, "&cursor=", URLencode(cursor, reserved = TRUE))
    page <- api_get(path)
    deals <- c(deals, page[["data"]])
    cursor <- page[["additional_data"]][["next_cursor"]]
    if (is.null(cursor) || identical(cursor, "")) break
  }
  deals
}

# The standard columns of Deals: name, API field, kind.
STANDARD <- list(
  c("Id", "id", "int"), c("Title", "title", "text"), c("OwnerId", "owner_id", "int"),
  c("PersonId", "person_id", "int"), c("OrgId", "org_id", "int"),
  c("PipelineId", "pipeline_id", "int"), c("StageId", "stage_id", "int"),
  c("Value", "value", "double"), c("Currency", "currency", "text"),
  c("AddTime", "add_time", "timestamp"), c("UpdateTime", "update_time", "timestamp"),
  c("StageChangeTime", "stage_change_time", "timestamp"), c("IsDeleted", "is_deleted", "bool"),
  c("IsArchived", "is_archived", "bool"), c("Status", "status", "text"),
  c("Probability", "probability", "double"), c("LostReason", "lost_reason", "text"),
  c("VisibleTo", "visible_to", "int"), c("CloseTime", "close_time", "timestamp"),
  c("WonTime", "won_time", "timestamp"), c("LostTime", "lost_time", "timestamp"),
  c("ExpectedCloseDate", "expected_close_date", "date"), c("LabelIds", "label_ids", "text"),
  c("Origin", "origin", "text"), c("OriginId", "origin_id", "text"), c("Channel", "channel", "int"),
  c("ChannelId", "channel_id", "text"), c("SourceLeadId", "source_lead_id", "text"),
  c("Arr", "arr", "double"), c("Mrr", "mrr", "double"), c("Acv", "acv", "double")
)

# The columns a custom field becomes: list of c(name suffix, kind, how its value is read).
custom_parts <- function(type) {
  switch(type,
    double = list(c("", "double", "plain")),
    int = list(c("", "int", "plain")),
    monetary = list(c("", "double", "amount"), c("Currency", "text", "currency")),
    date = list(c("", "date", "plain")),
    daterange = list(c("", "date", "start"), c("Until", "date", "until")),
    time = list(c("", "time", "plain")),
    timerange = list(c("", "time", "start"), c("Until", "time", "until")),
    enum = list(c("", "text", "label")),
    set = list(c("", "text", "labels")),
    address = list(c("", "text", "address")),
    text = list(c("", "text", "plain")),
    org = , people = , user = list(c("", "int", "plain")),
    boolean = list(c("", "bool", "plain")),
    varchar = , varchar_auto = , phone = , varchar_options = list(c("", "text", "plain")),
    list(c("", "json", "plain"))
  )
}

is_object <- function(v) is.list(v) && !is.null(names(v))

custom_value <- function(v, read, labels) {
  if (is.null(v)) return(NULL)
  switch(read,
    label = if (is.numeric(v) && length(v) == 1 && as.character(v) %in% names(labels)) labels[[as.character(v)]] else NULL,
    labels = {
      if (!is.list(v) || is_object(v)) return(NULL)
      ids <- vapply(v, function(i) if (is.numeric(i)) as.character(i) else "", "")
      paste(unlist(labels[ids[ids %in% names(labels)]]), collapse = ",")
    },
    amount = , address = if (is_object(v) && "value" %in% names(v)) v[["value"]] else v,
    currency = if (is_object(v)) v[["currency"]] else NULL,
    start = if (is_object(v)) v[["start"]] else NULL,
    until = if (is_object(v)) v[["until"]] else NULL,
    v
  )
}

# Every column of SELECT * FROM Deals: list(name, kind, value = function(deal) raw API value or NULL).
deal_columns <- function() {
  columns <- lapply(STANDARD, function(s) {
    field <- s[2]
    list(name = s[1], kind = s[3], value = function(d) d[[field]])
  })
  taken <- function(n) any(tolower(vapply(columns, function(c) c$name, "")) == tolower(n))
  for (f in api_get("/api/v2/dealFields?limit=500")[["data"]]) {
    if (!isTRUE(f[["is_custom_field"]])) next
    labels <- list()
    for (o in f[["options"]]) labels[[as.character(o[["id"]])]] <- o[["label"]]
    for (part in custom_parts(f[["field_type"]])) {
      wanted <- if (part[1] == "") f[["field_name"]] else paste(f[["field_name"]], part[1])
      name <- wanted
      i <- 2
      while (taken(name)) {
        name <- paste(wanted, i)
        i <- i + 1
      }
      columns[[length(columns) + 1]] <- local({
        key <- f[["field_code"]]
        read <- part[3]
        labs <- labels
        list(name = name, kind = part[2], value = function(d) custom_value(d[["custom_fields"]][[key]], read, labs))
      })
    }
  }
  columns
}

# ---- comparing a value read through ODBC with the API's --------------------------------------

# The API value as the text the driver shows for a text column.
api_text <- function(v) {
  if (is.character(v) && length(v) == 1) return(enc2utf8(v))
  if (is.list(v) && !is_object(v)) {
    return(paste(vapply(v, function(i) if (is.character(i)) enc2utf8(i) else as.character(toJSON(i, auto_unbox = TRUE)), ""), collapse = ","))
  }
  as.character(toJSON(v, auto_unbox = TRUE, digits = NA))
}

norm_time <- function(s) sub("\\.0*$", "", sub("Z$", "", sub("T", " ", s)))

shown <- function(s) {
  s <- enc2utf8(as.character(s))
  if (nchar(s, type = "bytes") > 200) s <- paste0(substr(s, 1, 60), "...")
  paste0('"', s, '"')
}

# How two different texts differ: their lengths and the first differing character.
text_difference <- function(want, got) {
  w <- utf8ToInt(want)
  g <- utf8ToInt(got)
  i <- 1
  while (i <= length(w) && i <= length(g) && w[i] == g[i]) i <- i + 1
  part <- function(x) {
    piece <- if (i <= length(x)) intToUtf8(x[i:min(length(x), i + 19)]) else ""
    paste0('"', piece, '"', if (length(x) > i + 19) "..." else "")
  }
  sprintf("expected %d characters, read %d; from character %d expected %s, read %s",
    length(w), length(g), i, part(w), part(g))
}

# NULL when the value read (got) is the API's (want), else what differs.
mismatch <- function(kind, got, want) {
  if (is.null(want)) {
    return(if (is.na(got)) NULL else paste("expected NULL, read", shown(got)))
  }
  if (is.na(got)) return(paste0("expected ", shown(api_text(want)), ", read NULL"))
  show <- function() paste0("expected ", shown(api_text(want)), ", read ", shown(got))
  switch(kind,
    int = {
      w <- if (is_object(want)) (if (!is.null(want[["value"]])) want[["value"]] else want[["id"]]) else want
      g <- suppressWarnings(as.numeric(trimws(as.character(got))))
      if (!is.na(g) && g == as.numeric(w)) NULL else show()
    },
    double = {
      g <- suppressWarnings(as.numeric(got))
      w <- as.numeric(want)
      if (!is.na(g) && abs(g - w) <= 1e-9 * max(1, abs(w))) NULL else show()
    },
    bool = {
      g <- tolower(as.character(got))
      truth <- if (g %in% c("1", "true")) TRUE else if (g %in% c("0", "false")) FALSE else NA
      if (identical(truth, isTRUE(want))) NULL else show()
    },
    timestamp = if (norm_time(as.character(got)) == norm_time(want)) NULL else show(),
    date = if (as.character(got) == substr(want, 1, 10)) NULL else show(),
    time = {
      w <- if (nchar(want) == 5) paste0(want, ":00") else want
      if (norm_time(as.character(got)) == w) NULL else show()
    },
    json = NULL, # shown as JSON text: only its NULL-ness is compared above
    {
      if (!is.character(got)) return(paste("expected a string, read", class(got)[1], shown(got)))
      w <- api_text(want)
      # RODBC hands the driver's bytes over unconverted: they must be the API's UTF-8 bytes
      if (identical(charToRaw(got), charToRaw(w))) return(NULL)
      if (!validUTF8(got)) {
        gb <- charToRaw(got)
        wb <- charToRaw(w)
        i <- 1
        while (i <= length(wb) && i <= length(gb) && wb[i] == gb[i]) i <- i + 1
        return(sprintf("expected %d bytes, read %d bytes that are not valid UTF-8; from byte %d expected %s, read %s",
          length(wb), length(gb), i, paste(wb[i:min(length(wb), i + 11)], collapse = ""),
          paste(gb[i:min(length(gb), i + 11)], collapse = "")))
      }
      text_difference(w, got)
    }
  )
}

# Which values read are plainly the API's (the others are compared by mismatch, which tells why).
plainly_equal <- function(kind, values, wants) {
  scalar <- function(test, na) vapply(wants, function(w) if (length(w) == 1 && test(w)) w else na, na)
  plain <- vapply(wants, is.null, TRUE) & is.na(values)
  got <- !is.na(values)
  if (kind == "text" && is.character(values)) {
    w <- enc2utf8(scalar(is.character, NA_character_))
    plain <- plain | (got & !is.na(w) & values == w)
  } else if (kind %in% c("int", "double")) {
    g <- suppressWarnings(as.numeric(values))
    w <- as.numeric(scalar(is.numeric, NA_real_))
    plain <- plain | (!is.na(g) & !is.na(w) & abs(g - w) <= 1e-9 * pmax(1, abs(w)))
  } else if (kind %in% c("timestamp", "date", "time")) {
    w <- scalar(is.character, NA_character_)
    w <- switch(kind,
      timestamp = norm_time(w),
      date = substr(w, 1, 10),
      time = ifelse(nchar(w) == 5, paste0(w, ":00"), w)
    )
    g <- if (kind == "date") as.character(values) else norm_time(as.character(values))
    plain <- plain | (got & !is.na(w) & g == w)
  } else if (kind == "bool") {
    g <- tolower(as.character(values))
    w <- scalar(is.logical, NA)
    plain <- plain | (g %in% c("1", "true") & w %in% TRUE) | (g %in% c("0", "false") & w %in% FALSE)
  }
  plain & !is.na(plain)
}

# Compares rows read through ODBC (a data frame) with the API's deals.
compare_rows <- function(check, frame, deals, columns) {
  ids <- vapply(deals, function(d) as.character(d[["id"]]), "")
  by_id <- setNames(deals, ids)
  if (nrow(frame) != length(deals)) {
    fail(check, sprintf("%d rows read, the API has %d deals", nrow(frame), length(deals)))
  }
  read_ids <- trimws(format(frame[["Id"]], scientific = FALSE, trim = TRUE))
  unknown <- setdiff(read_ids, ids)
  if (length(unknown)) fail(check, paste("rows whose Id is not a deal of the API:", paste(head(unknown, 5), collapse = ", ")))
  missing <- setdiff(ids, read_ids)
  if (length(missing)) fail(check, paste("deals not read:", paste(head(missing, 5), collapse = ", ")))
  # the deal of each row read (looked up once: a list's names are searched one by one)
  row_deals <- unname(by_id[match(read_ids, ids)])
  for (c in columns) {
    if (!(c$name %in% names(frame))) next
    values <- frame[[c$name]]
    if (is.character(values)) Encoding(values) <- "UTF-8"
    wants <- lapply(row_deals, function(deal) if (is.null(deal)) NULL else c$value(deal))
    problems <- character(0)
    # only the rows not plainly equal (vectorised, for speed) are compared one by one
    for (r in which(!plainly_equal(c$kind, values, wants))) {
      if (is.null(row_deals[[r]])) next
      m <- mismatch(c$kind, values[r], wants[[r]])
      if (!is.null(m)) problems <- c(problems, paste0("Id ", read_ids[r], ": ", m))
    }
    if (length(problems)) {
      fail(check, sprintf('column "%s": %d values differ from the API, e.g. %s',
        c$name, length(problems), paste(head(problems, 3), collapse = "; ")))
    }
  }
}

# A query's rows as a data frame of the values as read (as.is: no conversion by RODBC), or an
# error carrying RODBC's messages.
query <- function(channel, sql) {
  result <- sqlQuery(channel, sql, as.is = TRUE, stringsAsFactors = FALSE, errors = TRUE)
  if (!is.data.frame(result)) stop(paste(c(sql, result), collapse = " | "))
  result
}

# ---- the checks ------------------------------------------------------------------------------

deals <- api_deals()
columns <- deal_columns()
ids <- vapply(deals, function(d) d[["id"]], 0)
title_lengths <- vapply(deals, function(d) length(utf8ToInt(d[["title"]])), 0)
longest <- deals[[which.max(title_lengths)]]
cat(sprintf("API: %d deals, %d columns, longest title %d characters (deal %d)\n",
  length(deals), length(columns), max(title_lengths), longest[["id"]]))

channel <- NULL
check("connect", function() {
  channel <<- odbcConnect(dsn)
  if (!inherits(channel, "RODBC")) stop("odbcConnect did not connect")
})
if (is.null(channel) || !inherits(channel, "RODBC")) {
  cat(length(failures), "check(s) failed\n", file = stderr())
  quit(status = 1)
}

check("SELECT * FROM Deals", function() {
  frame <- query(channel, "SELECT * FROM Deals")
  wanted <- vapply(columns, function(c) c$name, "")
  if (!identical(enc2utf8(names(frame)), enc2utf8(wanted))) {
    fail("SELECT * FROM Deals", paste0("columns ", paste(names(frame), collapse = "|"),
      ", expected ", paste(wanted, collapse = "|")))
  }
  compare_rows("SELECT * FROM Deals", frame, deals, columns)
  row <- which(trimws(format(frame[["Id"]], scientific = FALSE, trim = TRUE)) == as.character(longest[["id"]]))
  title <- frame[["Title"]][row]
  if (is.character(title)) Encoding(title) <- "UTF-8"
  m <- if (length(row) == 1) mismatch("text", title, longest[["title"]]) else "not read"
  if (!is.null(m)) fail("the longest title", sprintf("deal %d: %s", longest[["id"]], m))
})

# RODBC has no parameter markers for queries (its only binding of parameters, in
# sqlSave/sqlUpdate, is for INSERT and UPDATE and discards any result): a user of RODBC puts the
# value into the statement's text, as done here.
check("query by Id", function() {
  probe <- unique(c(1, 2, 3, 7, longest[["id"]], ids[length(ids)]))
  for (id in probe[probe %in% ids]) {
    frame <- query(channel, sprintf("SELECT Id, Title FROM Deals WHERE Id = %d", as.integer(id)))
    if (nrow(frame) != 1) {
      fail("query by Id", sprintf("Id = %d: %d rows", id, nrow(frame)))
      next
    }
    title <- frame[["Title"]][1]
    if (is.character(title)) Encoding(title) <- "UTF-8"
    m <- mismatch("int", frame[["Id"]][1], id)
    if (is.null(m)) m <- mismatch("text", title, deals[[which(ids == id)]][["title"]])
    if (!is.null(m)) fail("query by Id", sprintf("Id = %d: %s", id, m))
  }
})

check("odbcClose", function() {
  withCallingHandlers(
    if (!isTRUE(odbcClose(channel))) stop("odbcClose answered FALSE"),
    warning = function(w) stop(conditionMessage(w))
  )
})

if (length(failures)) {
  cat(length(failures), "check(s) failed\n", file = stderr())
  quit(status = 1)
}
cat("R RODBC: all checks passed\n")
