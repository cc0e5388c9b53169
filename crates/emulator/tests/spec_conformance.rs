//! Every route the sandbox serves answers in the shape the official OpenAPI specs describe.
//!
//! The specs' schemas are turned into JSON Schema (refs inlined, OpenAPI `nullable` as a
//! `null` type) and checked with the `jsonschema` validator. A `null` where the spec omits
//! `nullable` is how the live API answers (e.g. `won_time` of an open deal); those are counted
//! apart. Any other error is a violation and fails the test.

#[path = "spec_conformance/calls.rs"]
mod calls;
mod common;

use calls::{calls, follow_ups};
use common::{small, start, Api};
use pipedrive_sandbox::entities::ApiVersion;
use pipedrive_sandbox::routes::{self, Method, ROUTES};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

fn spec(name: &str) -> Value {
    // ../shared/pipedrive-api beside the clone, unless PIPEDRIVE_SPECS_DIR says otherwise
    let dir = std::env::var_os("PIPEDRIVE_SPECS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_MANIFEST_DIR")
                .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
                .join("../../../shared/pipedrive-api")
        });
    let path = dir.join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_yaml::from_str(&text).expect("spec parses")
}

/// OpenAPI 3.0 schema -> JSON Schema draft 4: `$ref`s inlined, `nullable` as a null type.
/// With `all_nullable`, every typed schema also admits null (the live API's behaviour).
fn convert(root: &Value, schema: &Value, depth: usize, all_nullable: bool) -> Value {
    assert!(depth < 64, "schema nests too deep");
    match schema {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                let target = r
                    .trim_start_matches("#/")
                    .split('/')
                    .fold(root, |v, k| &v[k]);
                return convert(root, target, depth + 1, all_nullable);
            }
            let mut out = Map::new();
            for (k, v) in map {
                match k.as_str() {
                    "example" | "examples" | "description" | "nullable" | "discriminator"
                    | "xml" | "readOnly" | "writeOnly" | "deprecated" => {}
                    "properties" | "patternProperties" => {
                        let props = v.as_object().map(|p| {
                            p.iter()
                                .map(|(name, s)| {
                                    (name.clone(), convert(root, s, depth + 1, all_nullable))
                                })
                                .collect()
                        });
                        out.insert(k.clone(), Value::Object(props.unwrap_or_default()));
                    }
                    _ => {
                        out.insert(k.clone(), convert(root, v, depth + 1, all_nullable));
                    }
                }
            }
            if all_nullable || map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                }
                if let Some(Value::Array(e)) = out.get_mut("enum") {
                    e.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| convert(root, v, depth + 1, all_nullable))
                .collect(),
        ),
        other => other.clone(),
    }
}

struct Specs {
    v1: Value,
    v2: Value,
    v1_old: Value,
}

impl Specs {
    /// The response schema for an operation and status, from the newest spec that has the path.
    /// The strict schema and its null-tolerant twin.
    fn schema(
        &self,
        version: ApiVersion,
        template: &str,
        method: Method,
        status: u16,
    ) -> Option<(String, Value, Value)> {
        let candidates: &[(&str, &Value)] = match version {
            ApiVersion::V2 => &[("v2", &self.v2)],
            ApiVersion::V1 => &[("v1", &self.v1), ("v1 (2026-01-14)", &self.v1_old)],
        };
        let (name, root) = candidates
            .iter()
            .find(|(_, s)| s["paths"].get(template).is_some())?;
        let op = &root["paths"][template][method.as_str().to_lowercase()];
        let schema = &op["responses"][status.to_string()]["content"]["application/json"]["schema"];
        (!schema.is_null()).then(|| {
            (
                name.to_string(),
                convert(root, schema, 0, false),
                convert(root, schema, 0, true),
            )
        })
    }
}

/// Where the specs contradict what the API answers: (operation, where in the answer: its
/// beginning and end, why). Errors there are not violations.
const SPEC_ERRATA: &[(&str, &str, &str, &str)] = &[
    (
        "/deals/timeline",
        "at /data",
        "at /data",
        "the schema and example show one period, but `amount` asks for several: the answer is \
         a list of such periods",
    ),
    (
        "/deals/{id}/discounts/{discount_id}",
        "at /data/id",
        "at /data/id",
        "a discount's id is a uuid (the path parameter and the list say so); the deletion \
         answer's schema types the id it echoes as an integer",
    ),
    (
        "/products/search",
        "at /data/items/",
        "/item/code",
        "a product's code is text (SKU-00042), as everywhere else; the search answer's schema \
     types it as an integer",
    ),
];

#[tokio::test]
async fn every_route_answers_as_the_official_specs_describe() {
    let specs = Specs {
        v1: spec("openapi-v1.yaml"),
        v2: spec("openapi-v2.yaml"),
        v1_old: spec("openapi-v1-2026-01-14.yaml"),
    };
    let sandbox = start(small());
    let api = Api::new(&sandbox);
    // ids the calls need that only exist at run time
    let leads = api.ok("/api/v1/leads?limit=2").await;
    let lead = leads["data"][0]["id"].as_str().unwrap().to_string();
    let other_lead = leads["data"][1]["id"].as_str().unwrap().to_string();
    let label = api.ok("/api/v1/leadLabels").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let goal = api.ok("/api/v1/goals/find").await["data"]["goals"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let call_log = api.ok("/api/v1/callLogs").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let fields = api.ok("/api/v2/dealFields?limit=500").await;
    let field = fields["data"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|f| f["is_custom_field"] == true)
        .unwrap()["field_code"]
        .as_str()
        .unwrap()
        .to_string();
    // a user who does not follow deal 4 yet, to add and remove as a follower
    let owner = api.ok("/api/v2/deals/4").await["data"]["owner_id"]
        .as_i64()
        .unwrap();
    let user = owner % 5 + 1;

    let mut covered = BTreeSet::new();
    let mut violations = Vec::new();
    let mut faithful_nulls: HashMap<String, usize> = HashMap::new();
    let mut validated = 0;
    // the participant created above is deleted by id, found at run time
    let mut all = calls(&lead, &other_lead, &label, &field, &goal, &call_log, user);
    let mut i = 0;
    while i < all.len() {
        let (method, path, body) = all[i].clone();
        i += 1;
        let (version, rest) = if let Some(r) = path.strip_prefix("/api/v2") {
            (ApiVersion::V2, r)
        } else {
            (ApiVersion::V1, path.strip_prefix("/api/v1").unwrap())
        };
        let rest_path = rest.split('?').next().unwrap();
        let (route, _) = routes::find(version, method, rest_path)
            .unwrap_or_else(|| panic!("no route for {} {path}", method.as_str()));
        covered.insert((
            route.version.prefix(),
            route.method.as_str(),
            route.template,
        ));
        let http_method = reqwest::Method::from_bytes(method.as_str().as_bytes()).unwrap();
        let (status, answer) = api.call(http_method, &path, body).await;
        all.extend(follow_ups(method, &path, &answer));
        let expected_error = path.contains("999999");
        assert_eq!(
            status.is_success(),
            !expected_error,
            "{} {path} -> {status}: {answer}",
            method.as_str()
        );
        if route.op == routes::Op::Download {
            // the bytes of the file, not JSON
            assert!(
                answer.as_str().is_some_and(|t| !t.is_empty()),
                "{path}: {answer}"
            );
            continue;
        }
        let Some((spec_name, schema, tolerant)) =
            specs.schema(version, route.template, method, status.as_u16())
        else {
            assert!(
                expected_error,
                "{spec_path}: the spec has no {status} answer for {} {}",
                method.as_str(),
                route.template,
                spec_path = version.prefix()
            );
            continue;
        };
        let strict = jsonschema::draft4::new(&schema)
            .unwrap_or_else(|e| panic!("schema of {} {}: {e}", method.as_str(), route.template));
        let lenient = jsonschema::draft4::new(&tolerant).expect("tolerant schema compiles");
        validated += 1;
        // errors that remain when nulls are allowed are violations; the rest are faithful nulls
        let real: Vec<String> = lenient
            .iter_errors(&answer)
            .map(|e| format!("at {}: {e}", e.instance_path()))
            .collect();
        if real.is_empty() {
            let nulls = strict.iter_errors(&answer).count();
            if nulls > 0 {
                *faithful_nulls
                    .entry(format!("{} {}", method.as_str(), route.template))
                    .or_default() += nulls;
            }
        }
        for error in real {
            let place = error.split(':').next().unwrap_or_default();
            if SPEC_ERRATA.iter().any(|(t, under, end, _)| {
                *t == route.template && place.starts_with(under) && place.ends_with(end)
            }) {
                continue;
            }
            let short: String = error.chars().take(300).collect();
            violations.push(format!(
                "[{spec_name}] {} {} -> {status} {short}",
                method.as_str(),
                path
            ));
        }
    }
    let missing: Vec<String> = ROUTES
        .iter()
        .filter(|r| !covered.contains(&(r.version.prefix(), r.method.as_str(), r.template)))
        .map(|r| format!("{} {}{}", r.method.as_str(), r.version.prefix(), r.template))
        .collect();
    assert!(missing.is_empty(), "routes not exercised: {missing:#?}");
    assert!(
        violations.is_empty(),
        "{} spec violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
    assert!(validated >= ROUTES.len(), "validated {validated} answers");
    eprintln!(
        "validated {validated} answers of {} routes; nulls where the spec omits nullable: {}",
        ROUTES.len(),
        faithful_nulls.len()
    );
}

/// Query parameters every list understands besides its entity's filters.
const LIST_PARAMETERS: &[&str] = &[
    "limit",
    "cursor",
    "start",
    "sort_by",
    "sort_direction",
    "sort",
    "include_fields",
    "custom_fields",
    "filter_id",
    "include_option_labels",
    "include_labels",
    "include_product_data",
];

#[test]
fn every_list_parameter_of_the_specs_is_understood() {
    let specs = Specs {
        v1: spec("openapi-v1.yaml"),
        v2: spec("openapi-v2.yaml"),
        v1_old: spec("openapi-v1-2026-01-14.yaml"),
    };
    let mut missing = vec![];
    for route in ROUTES.iter().filter(|r| r.method == Method::Get) {
        let (routes::Op::List(name) | routes::Op::ListArchived(name)) = route.op else {
            continue;
        };
        let roots: Vec<&Value> = match route.version {
            ApiVersion::V2 => vec![&specs.v2],
            ApiVersion::V1 => vec![&specs.v1, &specs.v1_old],
        };
        let op = roots
            .iter()
            .map(|r| &r["paths"][route.template]["get"])
            .find(|op| !op.is_null())
            .expect("operation");
        let entity = pipedrive_sandbox::entities::entity(name);
        for p in op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
        {
            let param = p["name"].as_str().unwrap();
            if !LIST_PARAMETERS.contains(&param) && entity.filter(param).is_none() {
                missing.push(format!(
                    "{}{} ?{param}",
                    route.version.prefix(),
                    route.template
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "list parameters the sandbox ignores: {missing:#?}"
    );
}

#[test]
fn token_costs_match_the_specs() {
    let specs = Specs {
        v1: spec("openapi-v1.yaml"),
        v2: spec("openapi-v2.yaml"),
        v1_old: spec("openapi-v1-2026-01-14.yaml"),
    };
    for route in ROUTES {
        let roots: Vec<&Value> = match route.version {
            ApiVersion::V2 => vec![&specs.v2],
            ApiVersion::V1 => vec![&specs.v1, &specs.v1_old],
        };
        let op = roots
            .iter()
            .map(|r| &r["paths"][route.template][route.method.as_str().to_lowercase()])
            .find(|op| !op.is_null())
            .unwrap_or_else(|| {
                panic!("{} {} is in no spec", route.method.as_str(), route.template)
            });
        assert_eq!(
            op["x-token-cost"].as_u64(),
            Some(route.cost as u64),
            "{} {}",
            route.method.as_str(),
            route.template
        );
        let created = op["responses"].get("201").is_some();
        assert_eq!(
            created,
            route.created,
            "{} {}: success status",
            route.method.as_str(),
            route.template
        );
    }
}
