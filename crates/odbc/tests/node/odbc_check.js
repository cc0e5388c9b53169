// The driver through unixODBC with Node's odbc package: run by tests/apps.rs as
//   node odbc_check.js DSN BASE_URL API_TOKEN
// Every value read through ODBC is compared with the raw value of the sandbox's REST API.
"use strict";

const odbc = require("odbc");

const [dsn, base, token] = process.argv.slice(2);
if (!dsn || !base || !token) {
  console.error("usage: node odbc_check.js DSN BASE_URL API_TOKEN");
  process.exit(2);
}

const failures = [];
function fail(check, message) {
  failures.push(`${check}: ${message}`);
  console.error(`FAILED ${check}: ${message}`);
}
function errorText(e) {
  const details = (e && e.odbcErrors) || [];
  return [String(e && e.message ? e.message : e)]
    .concat(details.map((d) => `[${d.state}] ${d.message}`))
    .join(" ");
}
// Runs one named check; an exception fails it without stopping the others.
async function check(name, body) {
  try {
    await body();
  } catch (e) {
    fail(name, errorText(e));
  }
}

// ---- the raw API values -------------------------------------------------------------------

async function apiGet(path) {
  const res = await fetch(base.replace(/\/$/, "") + path, { headers: { "x-api-token": token } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.json();
}

async function apiDeals() {
  const deals = [];
  let cursor = null;
  do {
    const page = await apiGet(
      "/api/v2/deals?limit=500" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")
    );
    deals.push(...page.data);
    cursor = page.additional_data && page.additional_data.next_cursor;
  } while (cursor);
  return deals;
}

// The standard columns of Deals: name, API field, kind.
const STANDARD = [
  ["Id", "id", "int"], ["Title", "title", "text"], ["OwnerId", "owner_id", "int"],
  ["PersonId", "person_id", "int"], ["OrgId", "org_id", "int"],
  ["PipelineId", "pipeline_id", "int"], ["StageId", "stage_id", "int"],
  ["Value", "value", "double"], ["Currency", "currency", "text"],
  ["AddTime", "add_time", "timestamp"], ["UpdateTime", "update_time", "timestamp"],
  ["StageChangeTime", "stage_change_time", "timestamp"], ["IsDeleted", "is_deleted", "bool"],
  ["IsArchived", "is_archived", "bool"], ["Status", "status", "text"],
  ["Probability", "probability", "double"], ["LostReason", "lost_reason", "text"],
  ["VisibleTo", "visible_to", "int"], ["CloseTime", "close_time", "timestamp"],
  ["WonTime", "won_time", "timestamp"], ["LostTime", "lost_time", "timestamp"],
  ["ExpectedCloseDate", "expected_close_date", "date"], ["LabelIds", "label_ids", "text"],
  ["Origin", "origin", "text"], ["OriginId", "origin_id", "text"], ["Channel", "channel", "int"],
  ["ChannelId", "channel_id", "text"], ["SourceLeadId", "source_lead_id", "text"],
  ["Arr", "arr", "double"], ["Mrr", "mrr", "double"], ["Acv", "acv", "double"],
];

// The columns a custom field becomes: [name suffix, kind, how its value is read].
function customParts(type) {
  switch (type) {
    case "double": return [["", "double", "plain"]];
    case "int": return [["", "int", "plain"]];
    case "monetary": return [["", "double", "amount"], ["Currency", "text", "currency"]];
    case "date": return [["", "date", "plain"]];
    case "daterange": return [["", "date", "start"], ["Until", "date", "until"]];
    case "time": return [["", "time", "plain"]];
    case "timerange": return [["", "time", "start"], ["Until", "time", "until"]];
    case "enum": return [["", "text", "label"]];
    case "set": return [["", "text", "labels"]];
    case "address": return [["", "text", "address"]];
    case "text": return [["", "text", "plain"]];
    case "org": case "people": case "user": return [["", "int", "plain"]];
    case "boolean": return [["", "bool", "plain"]];
    case "varchar": case "varchar_auto": case "phone": case "varchar_options":
      return [["", "text", "plain"]];
    default: return [["", "json", "plain"]];
  }
}

// Every column of SELECT * FROM Deals: {name, kind, value(deal) -> raw API value or null}.
async function dealColumns() {
  const columns = STANDARD.map(([name, field, kind]) => ({
    name, kind, value: (d) => (d[field] === undefined ? null : d[field]),
  }));
  const taken = (n) => columns.some((c) => c.name.toLowerCase() === n.toLowerCase());
  const fields = (await apiGet("/api/v2/dealFields?limit=500")).data;
  for (const f of fields.filter((f) => f.is_custom_field === true)) {
    const labels = new Map((f.options || []).map((o) => [o.id, o.label]));
    for (const [suffix, kind, read] of customParts(f.field_type)) {
      const wanted = suffix ? `${f.field_name} ${suffix}` : f.field_name;
      let name = wanted;
      for (let i = 2; taken(name); i++) name = `${wanted} ${i}`;
      columns.push({ name, kind, value: (d) => customValue((d.custom_fields || {})[f.field_code], read, labels) });
    }
  }
  return columns;
}

function customValue(v, read, labels) {
  if (v === undefined || v === null) return null;
  const isObject = typeof v === "object" && !Array.isArray(v);
  const member = (k) => (isObject && v[k] !== undefined ? v[k] : null);
  switch (read) {
    case "label": return Number.isInteger(v) && labels.has(v) ? labels.get(v) : null;
    case "labels":
      return Array.isArray(v) ? v.filter((id) => labels.has(id)).map((id) => labels.get(id)).join(",") : null;
    case "amount": case "address": return isObject && "value" in v ? v.value : v;
    case "currency": return member("currency");
    case "start": return member("start");
    case "until": return member("until");
    default: return v;
  }
}

// ---- comparing a value read through ODBC with the API's --------------------------------------

function normTime(s) {
  return String(s).replace("T", " ").replace(/Z$/, "").replace(/\.0*$/, "");
}

// The API value as the text the driver shows for a text column.
function apiText(v) {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map((i) => (typeof i === "string" ? i : JSON.stringify(i))).join(",");
  return JSON.stringify(v);
}

// How two different texts differ: their lengths and the first differing character.
function textDifference(want, got) {
  const w = [...want], g = [...got];
  let i = 0;
  while (i < w.length && i < g.length && w[i] === g[i]) i++;
  const part = (chars) => JSON.stringify(chars.slice(i, i + 20).join("")) + (chars.length > i + 20 ? "..." : "");
  return `expected ${w.length} characters, read ${g.length}; from character ${i + 1} expected ${part(w)}, read ${part(g)}`;
}

// null when `got` is `want`, else what differs.
function mismatch(kind, got, want) {
  if (want === null || want === undefined) {
    return got === null || got === undefined ? null : `expected NULL, read ${JSON.stringify(String(got))}`;
  }
  if (got === null || got === undefined) return `expected ${JSON.stringify(apiText(want))}, read NULL`;
  const show = () => `expected ${JSON.stringify(apiText(want)).slice(0, 200)}, read ${JSON.stringify(String(got)).slice(0, 200)}`;
  switch (kind) {
    case "int": {
      const w = typeof want === "object" ? want.value ?? want.id : want;
      return String(got).trim() === String(w) ? null : show();
    }
    case "double": {
      const g = Number(got), w = Number(want);
      return Math.abs(g - w) <= 1e-9 * Math.max(1, Math.abs(w)) ? null : show();
    }
    case "bool": {
      const g = String(got).toLowerCase();
      const truth = g === "1" || g === "true" ? true : g === "0" || g === "false" ? false : undefined;
      return truth === Boolean(want) ? null : show();
    }
    case "timestamp": return normTime(got) === normTime(want) ? null : show();
    case "date": return String(got) === String(want).slice(0, 10) ? null : show();
    case "time": {
      const w = String(want).length === 5 ? `${want}:00` : String(want);
      return normTime(got) === w ? null : show();
    }
    case "json": return null; // shown as JSON text: only its NULL-ness is compared above
    default: {
      if (typeof got !== "string") return `expected a string, read ${typeof got} ${String(got)}`;
      return got === apiText(want) ? null : textDifference(apiText(want), got);
    }
  }
}

// Compares rows read through ODBC (objects keyed by column name) with the API's deals.
function compareRows(check, rows, deals, columns) {
  const byId = new Map(deals.map((d) => [d.id, d]));
  if (rows.length !== deals.length) fail(check, `${rows.length} rows read, the API has ${deals.length} deals`);
  const seen = new Set();
  const perColumn = new Map();
  for (const row of rows) {
    const id = Number(row.Id);
    const deal = byId.get(id);
    if (!deal) {
      fail(check, `row with Id ${row.Id} is not a deal of the API`);
      continue;
    }
    seen.add(id);
    for (const c of columns) {
      if (!(c.name in row)) continue;
      const m = mismatch(c.kind, row[c.name], c.value(deal));
      if (m) {
        const list = perColumn.get(c.name) || [];
        list.push(`Id ${id}: ${m}`);
        perColumn.set(c.name, list);
      }
    }
  }
  for (const d of deals) if (!seen.has(d.id)) { fail(check, `deal ${d.id} was not read`); break; }
  for (const [name, list] of perColumn) {
    fail(check, `column ${JSON.stringify(name)}: ${list.length} values differ from the API, e.g. ${list.slice(0, 3).join("; ")}`);
  }
}

// ---- the checks ------------------------------------------------------------------------------

(async () => {
  const deals = await apiDeals();
  const columns = await dealColumns();
  const byId = new Map(deals.map((d) => [d.id, d]));
  const longest = deals.reduce((a, d) => ([...d.title].length > [...a.title].length ? d : a));
  console.log(`API: ${deals.length} deals, ${columns.length} columns, longest title ${[...longest.title].length} characters (deal ${longest.id})`);

  let conn;
  await check("connect", async () => {
    conn = await odbc.connect(`DSN=${dsn}`);
  });
  if (!conn) {
    console.error(`${failures.length} check(s) failed`);
    process.exit(1);
  }

  await check("query with a ? parameter", async () => {
    const ids = [...new Set([1, 2, 3, 7, longest.id, deals[deals.length - 1].id])].filter((id) => byId.has(id));
    for (const id of ids) {
      const rows = await conn.query("SELECT Id, Title FROM Deals WHERE Id = ?", [id]);
      if (rows.length !== 1) {
        fail("query with a ? parameter", `Id = ${id}: ${rows.length} rows`);
        continue;
      }
      const m = mismatch("int", rows[0].Id, id) || mismatch("text", rows[0].Title, byId.get(id).title);
      if (m) fail("query with a ? parameter", `Id = ${id}: ${m}`);
    }
  });

  await check("SELECT * FROM Deals", async () => {
    const rows = await conn.query("SELECT * FROM Deals");
    const names = rows.columns.map((c) => c.name);
    const wanted = columns.map((c) => c.name);
    if (names.join("|") !== wanted.join("|")) {
      fail("SELECT * FROM Deals", `columns ${JSON.stringify(names)}, expected ${JSON.stringify(wanted)}`);
    }
    compareRows("SELECT * FROM Deals", rows, deals, columns);
    const row = rows.find((r) => Number(r.Id) === longest.id);
    const m = row ? mismatch("text", row.Title, longest.title) : "not read";
    if (m) fail("the longest title", `deal ${longest.id}: ${m}`);
  });

  await check("cursor mode", async () => {
    const cursor = await conn.query("SELECT Id, Title FROM Deals", { cursor: true, fetchSize: 300 });
    const rows = [];
    for (;;) {
      const batch = await cursor.fetch();
      rows.push(...batch);
      if (batch.length === 0 || cursor.noData) break;
    }
    await cursor.close();
    compareRows("cursor mode", rows, deals, columns.filter((c) => c.name === "Id" || c.name === "Title"));
  });

  await check("connection.close()", async () => {
    await conn.close();
  });

  if (failures.length) {
    console.error(`${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log("node odbc: all checks passed");
})().catch((e) => {
  console.error(`FAILED: ${errorText(e)}`);
  process.exit(1);
});
