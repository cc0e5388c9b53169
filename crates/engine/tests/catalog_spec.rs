//! Every table entry holds against the official OpenAPI specs: its endpoints exist, every
//! column's JSON path is in the response schema, every pushed parameter and sort is accepted.

use pipedrive_api::ApiVersion;
use pipedrive_engine::catalog::{
    ChildFetch, Push, TableDef, FUNCTIONS, NO_KEY, PARENT_RECORD, TABLES,
};
use serde_json::Value;
use std::path::PathBuf;

fn spec(name: &str) -> Value {
    let dir = std::env::var_os("PIPEDRIVE_SPECS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_MANIFEST_DIR")
                .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
                .join("../../../shared/pipedrive-api")
        });
    let text = std::fs::read_to_string(dir.join(name)).expect("spec readable");
    serde_yaml::from_str(&text).expect("spec parses")
}

/// The spec of an API version.
fn of_version<'a>(version: ApiVersion, v1: &'a Value, v2: &'a Value) -> &'a Value {
    match version {
        ApiVersion::V1 => v1,
        ApiVersion::V2 => v2,
    }
}

fn resolve<'a>(root: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            root,
            r.trim_start_matches("#/")
                .split('/')
                .fold(root, |v, k| &v[k]),
        ),
        None => v,
    }
}

/// The properties of an object schema, allOf branches merged.
fn properties<'a>(root: &'a Value, schema: &'a Value) -> Vec<(&'a String, &'a Value)> {
    let schema = resolve(root, schema);
    let mut out: Vec<(&String, &Value)> = schema["properties"]
        .as_object()
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    // allOf merges; oneOf/anyOf offer shapes, any of whose keys a record may have
    for key in ["allOf", "oneOf", "anyOf"] {
        for branch in schema[key].as_array().into_iter().flatten() {
            out.extend(properties(root, branch));
        }
    }
    out
}

fn child<'a>(root: &'a Value, schema: &'a Value, key: &str) -> Option<&'a Value> {
    properties(root, schema)
        .into_iter()
        .find(|(k, _)| k.as_str() == key)
        .map(|(_, v)| resolve(root, v))
}

/// Every table, view and table function.
fn entries() -> impl Iterator<Item = &'static &'static TableDef> {
    TABLES.iter().chain(FUNCTIONS)
}

#[test]
fn every_table_entry_exists_in_the_specs() {
    let (v1, v2) = (spec("openapi-v1.yaml"), spec("openapi-v2.yaml"));
    let mut problems = vec![];
    for t in entries() {
        let root = of_version(t.version, &v1, &v2);
        let op = &root["paths"][t.path]["get"];
        if op.is_null() {
            problems.push(format!("{}: GET {} is not in the spec", t.name, t.path));
            continue;
        }
        if let Some(get) = t.get_path {
            if root["paths"][get]["get"].is_null() {
                problems.push(format!("{}: GET {get} is not in the spec", t.name));
            }
        }
        let body = &op["responses"]["200"]["content"]["application/json"]["schema"];
        let data = child(root, body, "data");
        let list = match t.rows_at {
            Some(key) => data.and_then(|d| child(root, d, key)),
            None => data,
        };
        // a one-row answer's data is the record itself
        // a one-row answer's data is the record itself; so is a list's whose spec describes
        // `data` as one record rather than an array of them (the timeline's periods)
        let described_as_one =
            list.is_some_and(|d| d["type"] != "array" && d.get("items").is_none());
        let record = match t.one_row || described_as_one {
            true => list,
            false => list.and_then(|d| d.get("items")).map(|i| resolve(root, i)),
        };
        // a list of bare values the spec shows only by its example (a deal's permitted users)
        let example = &op["responses"]["200"]["content"]["application/json"]["example"]["data"];
        let bare_example = example
            .as_array()
            .is_some_and(|items| !items.is_empty() && items.iter().all(|v| v.is_number()));
        if record.is_none() && t.scalars.is_some() && bare_example {
            continue;
        }
        let Some(mut record) = record else {
            problems.push(format!("{}: no list item schema", t.name));
            continue;
        };
        // a record of one key (a deal's id) holds the row
        if t.keyed {
            match properties(root, record).as_slice() {
                [(_, row)] => record = resolve(root, row),
                _ => {
                    problems.push(format!("{}: records are not of one key", t.name));
                    continue;
                }
            }
        }
        // exploded rows are the elements of an array in each record
        let item = match t.explode {
            Some(key) => match child(root, record, key).and_then(|a| a.get("items")) {
                Some(items) => resolve(root, items),
                None => {
                    problems.push(format!("{}: records have no '{key}' list", t.name));
                    continue;
                }
            },
            None => record,
        };
        for col in t.columns {
            // a child's parent key is added from the request when the records lack it
            let injected = t.parent.is_some_and(|p| {
                let one = matches!(
                    p.fetch,
                    ChildFetch::PerParent | ChildFetch::Batched { max: 1, .. }
                );
                p.column == col.name && one
            });
            // so is the value of a required parameter the rows were listed under
            let listed_under = t.each.is_some_and(|e| e.column == col.name);
            if injected || listed_under {
                continue;
            }
            // bare values (user ids) are given their key by the driver
            if t.scalars == Some(col.path) {
                if !matches!(
                    record["type"].as_str(),
                    Some("integer" | "number" | "string")
                ) {
                    problems.push(format!("{}: the list's items are not bare values", t.name));
                }
                continue;
            }
            let (mut schema, path) = match col.path.strip_prefix(PARENT_RECORD) {
                Some(rest) => (record, rest.trim_start_matches('.')),
                None => (item, col.path),
            };
            for key in path.split('.') {
                // an object the spec leaves open (a found item of any kind) holds any key
                if schema["type"] == "object" && properties(root, schema).is_empty() {
                    break;
                }
                match child(root, schema, key) {
                    Some(s) => schema = s,
                    None => {
                        problems.push(format!(
                            "{}.{}: '{}' is not in the record schema",
                            t.name, col.name, col.path
                        ));
                        break;
                    }
                }
            }
        }
        let params: Vec<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(root, p))
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str())
            .collect();
        if let Some(parent) = t.parent {
            if let ChildFetch::Batched { param, .. } = parent.fetch {
                if !params.contains(&param) {
                    problems.push(format!("{}: GET {} takes no {param}", t.name, t.path));
                }
            }
            if pipedrive_engine::catalog::table(parent.table).is_none() {
                problems.push(format!(
                    "{}: parent {} is not a table",
                    t.name, parent.table
                ));
            }
        }
        for arg in t.args {
            // a placeholder of the path ({id}) is written into it
            if arg.param.starts_with('{') && t.path.contains(arg.param) {
                continue;
            }
            if !params.contains(&arg.param) {
                problems.push(format!(
                    "{}: argument {} is no parameter of GET {}",
                    t.name, arg.name, t.path
                ));
            }
        }
        // what the API requires is given: by an argument, or in the path
        for p in op["parameters"].as_array().into_iter().flatten() {
            let p = resolve(root, p);
            let required = p["required"] == true && p["in"] == "query";
            let name = p["name"].as_str().unwrap_or_default();
            let by_parent = t.parent.is_some_and(
                |p| matches!(p.fetch, ChildFetch::Batched { param, .. } if param == name),
            );
            let each_value = t.each.is_some_and(|e| e.param == name);
            let by_arg = t.args.iter().any(|a| a.required && a.param == name);
            if required && !by_parent && !each_value && !by_arg {
                problems.push(format!(
                    "{}: GET {} requires {name}, no required argument gives it",
                    t.name, t.path
                ));
            }
        }
        for push in t.pushdown {
            if !params.contains(&push.param()) {
                problems.push(format!(
                    "{}: parameter {} is not accepted by GET {}",
                    t.name,
                    push.param(),
                    t.path
                ));
            }
            if t.column(push.column()).is_none() {
                problems.push(format!(
                    "{}: pushdown names unknown column {}",
                    t.name,
                    push.column()
                ));
            }
            if let Push::OneOf(_, param, allowed) = push {
                let p = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| resolve(root, p))
                    .find(|p| p["name"] == *param);
                let enum_values: Vec<&str> = p
                    .and_then(|p| p["schema"]["enum"].as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                for a in *allowed {
                    if !enum_values.contains(a) {
                        problems.push(format!("{}: {param}={a} is not an allowed value", t.name));
                    }
                }
            }
        }
        for (col, value) in t.sorts {
            let sort_by = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| resolve(root, p))
                .find(|p| p["name"] == "sort_by");
            let allowed: Vec<&str> = sort_by
                .and_then(|p| p["schema"]["enum"].as_array())
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if !allowed.contains(value) || t.column(col).is_none() {
                problems.push(format!("{}: sort {col} -> {value} is not offered", t.name));
            }
        }
        if t.key != NO_KEY && t.column(t.key).is_none() {
            problems.push(format!("{}: key {} is not a column", t.name, t.key));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The request body properties of an operation (JSON or form), allOf/anyOf branches merged.
fn body_properties<'a>(root: &'a Value, op: &'a Value) -> Vec<&'a String> {
    let body = resolve(root, &op["requestBody"]);
    let mut out = vec![];
    for media in body["content"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        let mut stack = vec![resolve(root, &media["schema"])];
        while let Some(s) = stack.pop() {
            out.extend(properties(root, s).into_iter().map(|(k, _)| k));
            for key in ["anyOf", "oneOf", "allOf"] {
                stack.extend(
                    s[key]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|b| resolve(root, b)),
                );
            }
        }
    }
    out
}

#[test]
fn every_write_endpoint_and_writable_column_exists_in_the_specs() {
    use pipedrive_engine::catalog::Verb;
    let (v1, v2) = (spec("openapi-v1.yaml"), spec("openapi-v2.yaml"));
    let mut problems = vec![];
    for t in TABLES {
        let Some(w) = t.writes else { continue };
        let root = of_version(w.version, &v1, &v2);
        // paths name their parameters differently in the spec: compare the shapes
        let shape = |p: &str| -> String {
            p.split('/')
                .map(|s| if s.starts_with('{') { "{}" } else { s })
                .collect::<Vec<_>>()
                .join("/")
        };
        let op = |method: &str, path: &str| -> Option<&Value> {
            root["paths"]
                .as_object()?
                .iter()
                .find(|(p, _)| shape(p) == shape(path))
                .and_then(|(_, ops)| ops.get(method))
        };
        let mut bodies = vec![];
        let endpoints = [
            ("post", w.insert),
            (
                match w.update {
                    Some((Verb::Put, _)) => "put",
                    _ => "patch",
                },
                w.update.map(|(_, p)| p),
            ),
            ("delete", w.delete),
        ];
        for (method, path) in endpoints {
            let Some(path) = path else { continue };
            match op(method, path) {
                Some(o) => bodies.extend(body_properties(root, o)),
                None => problems.push(format!(
                    "{}: {} {path} is not in the spec",
                    t.name,
                    method.to_uppercase()
                )),
            }
        }
        if let Some((path, _)) = w.bulk_delete {
            let takes_ids = op("delete", path).is_some_and(|o| {
                o["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| resolve(root, p)["name"] == "ids")
            });
            if !takes_ids {
                problems.push(format!("{}: DELETE {path}?ids= is not in the spec", t.name));
            }
        }
        for name in w.columns.iter().chain(w.required) {
            let Some(col) = t.column(name) else {
                problems.push(format!("{}: writable {name} is not a column", t.name));
                continue;
            };
            // a parent key goes in the path, not the body
            if t.parent.is_some_and(|p| p.column == col.name) {
                continue;
            }
            let top = col.path.split('.').next().unwrap_or_default();
            if !bodies.iter().any(|b| b.as_str() == top) {
                problems.push(format!(
                    "{}.{}: '{top}' is not in the write bodies",
                    t.name, col.name
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_get_a_table_makes_has_the_token_cost_of_the_specs() {
    use pipedrive_engine::catalog::get_cost;
    let (v1, v2) = (spec("openapi-v1.yaml"), spec("openapi-v2.yaml"));
    let mut problems = vec![];
    for t in entries() {
        let root = of_version(t.version, &v1, &v2);
        for path in [Some(t.path), t.get_path].into_iter().flatten() {
            let specified = root["paths"][path]["get"]["x-token-cost"].as_u64();
            let kept = get_cost(t.version, path);
            if specified.is_none() || kept != specified {
                problems.push(format!(
                    "{}: GET {path} costs {specified:?} in the spec, {kept:?} in token_costs.rs",
                    t.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// GET operations of the specs no table uses, with the reason.
const EXCLUDED: &[(&str, &str, &str)] = &[
    ("v1", "/files/{id}/download", "a file's bytes, not records"),
    ("v1", "/oauth/authorize", "the OAuth sign-in page, not data"),
    (
        "v2",
        "/deals/{id}/products",
        "the same rows as DealsProducts reads through /deals/products, 100 deals a request",
    ),
    (
        "v1",
        "/deals/summary/archived",
        "deprecated with the v1 deal lists (out of support since 2026-08-01)",
    ),
    (
        "v1",
        "/deals/timeline/archived",
        "deprecated with the v1 deal lists (out of support since 2026-08-01)",
    ),
    (
        "v1",
        "/pipelines/{id}/deals",
        "deprecated: the same rows as Deals WHERE PipelineId = n, one request (pipeline_id)",
    ),
    (
        "v1",
        "/stages/{id}/deals",
        "deprecated: the same rows as Deals WHERE StageId = n, one request (stage_id)",
    ),
    (
        "v1",
        "/legacyTeams",
        "deprecated by Pipedrive: legacy teams",
    ),
    (
        "v1",
        "/legacyTeams/{id}/users",
        "deprecated by Pipedrive: legacy teams",
    ),
    (
        "v1",
        "/legacyTeams/user/{id}",
        "deprecated by Pipedrive: legacy teams",
    ),
    (
        "v1",
        "/projects/boards",
        "the v1 twin of v2 /boards, which Boards reads",
    ),
    (
        "v1",
        "/projects/phases",
        "the v1 twin of v2 /phases, which Phases reads",
    ),
    (
        "v2",
        "/tasks",
        "the same rows as Tasks, which reads v1 /tasks: the v2 list names a task's state \
         is_done and is_milestone while the v2 writes take done and milestone, so through v2 \
         a task read could not be marked done by UPDATE; v1 reads and writes the same names",
    ),
    (
        "v1",
        "/filters/helpers",
        "the operators and date shortcuts filters accept: the API's own reference, the same for \
         every company, and its answer has no schema of records",
    ),
];

/// Every GET that lists records: all GETs but the reads of one row by its key (the last
/// segment a parameter, the answer not a list).
fn list_operations(version: &'static str, root: &Value) -> Vec<(&'static str, String)> {
    let mut out = vec![];
    for (path, ops) in root["paths"].as_object().into_iter().flatten() {
        let Some(op) = ops.get("get") else { continue };
        let body = &op["responses"]["200"]["content"]["application/json"]["schema"];
        let data_is_list = child(root, body, "data").is_some_and(|d| d["type"] == "array");
        let by_key = path.ends_with('}');
        if !by_key || data_is_list {
            out.push((version, path.clone()));
        }
    }
    out
}

#[test]
fn every_list_operation_of_the_specs_is_reachable_or_excluded_with_a_reason() {
    let (v1, v2) = (spec("openapi-v1.yaml"), spec("openapi-v2.yaml"));
    let reachable = |version: &str, path: &str| {
        entries().any(|t| {
            let v = match t.version {
                ApiVersion::V1 => "v1",
                ApiVersion::V2 => "v2",
            };
            v == version && (t.path == path || t.get_path == Some(path))
        })
    };
    let ops: Vec<(&str, String)> = list_operations("v1", &v1)
        .into_iter()
        .chain(list_operations("v2", &v2))
        .collect();
    let (mut reached, mut superseded, mut excluded) = (0, 0, 0);
    let mut problems = vec![];
    for (version, path) in &ops {
        let is_excluded = EXCLUDED.iter().any(|(v, p, _)| v == version && p == path);
        let twin = *version == "v1" && reachable("v2", path);
        if is_excluded && (reachable(version, path) || twin) {
            problems.push(format!(
                "{version} {path} is reachable: take it off EXCLUDED"
            ));
        }
        if reachable(version, path) {
            reached += 1;
        } else if twin {
            // the same list in API v2, which the tables use
            superseded += 1;
        } else if is_excluded {
            excluded += 1;
        } else {
            problems.push(format!("{version} {path}: neither reachable nor excluded"));
        }
    }
    println!(
        "{} list operations: {reached} reachable, {superseded} as their v2 twin, \
         {excluded} excluded",
        ops.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Names other drivers give Pipedrive's tables and views, which reports and SQL already use.
const OTHER_DRIVERS_NAMES: &[&str] = &[
    "Activities",
    "ActivityTypes",
    "CallLogs",
    "DealFields",
    "Deals",
    "DealsFollowers",
    "DealsParticipants",
    "DealsProducts",
    "Files",
    "Filters",
    "Goals",
    "LeadLabels",
    "Leads",
    "NoteComments",
    "Notes",
    "OrganizationFields",
    "Organizations",
    "OrganizationsFollowers",
    "PersonFields",
    "PersonFollowers",
    "Persons",
    "Pipelines",
    "ProductFields",
    "Products",
    "ProductsFollowers",
    "Projects",
    "Roles",
    "RolesAssignments",
    "RolesSetting",
    "Stages",
    "Tasks",
    "Users",
    "MailThreads",
    "DealsMailMessages",
    "ActivitiesAttendees",
    "ActivitiesParticipants",
    "ActivityFieldsOptions",
    "Currencies",
    "CurrentUsers",
    "DealFieldsOptions",
    "DealsPermittedUsers",
    "PersonsPermittedUsers",
    "DealsActivities",
    "DealsFiles",
    "DealsPersons",
    "OrganizationRelationships",
    "DealsSummary",
    "DealsTimeline",
];

#[test]
fn the_names_other_drivers_use_resolve() {
    use pipedrive_engine::catalog::{function, table};
    // a name resolves to a table or view, or to a table function (`DealsTimeline(...)`)
    let resolves = |n: &str| table(n).is_some() || function(n).is_some();
    let missing: Vec<&str> = OTHER_DRIVERS_NAMES
        .iter()
        .copied()
        .filter(|n| !resolves(n))
        .collect();
    assert!(missing.is_empty(), "no table for {missing:?}");
    // in any case, as SQL writes them
    assert_eq!(table("rolessetting").map(|t| t.name), Some("RolesSettings"));
    assert_eq!(
        table("DEALFIELDSOPTIONS").map(|t| t.name),
        Some("DealFieldOptions")
    );
}
