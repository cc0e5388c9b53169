//! Table-driven tests of the schema searches over every catalog entry (one deal custom field).

use super::*;
use crate::catalog::TABLES;
use serde_json::json;

fn tables() -> Vec<TableSchema> {
    let custom = json!({
        "is_custom_field": true,
        "field_code": "0123456789abcdef0123456789abcdef01234567",
        "field_name": "Lead Source",
        "field_type": "varchar",
    });
    TABLES
        .iter()
        .map(|d| {
            let defs = if d.name == "Deals" {
                vec![custom.clone()]
            } else {
                vec![]
            };
            TableSchema::build(d, &defs)
        })
        .collect()
}

fn objects(all: &[TableSchema]) -> SchemaObjects<'_> {
    SchemaObjects {
        tables: all.iter().collect(),
    }
}

fn filter(text: Option<&str>) -> Filter {
    Filter(text.map(String::from))
}

fn scope(catalog: Option<&str>, schema: Option<&str>, metadata_id: bool) -> Scope {
    Scope::new(filter(catalog), filter(schema), metadata_id)
}

#[test]
fn tables_by_pattern_and_scope() {
    let all = tables();
    let objects = objects(&all);
    // (catalog, schema, table pattern, metadata id, catalog as pattern) -> names found
    let cases: &[(
        Option<&str>,
        Option<&str>,
        Option<&str>,
        bool,
        bool,
        &[&str],
    )] = &[
        (None, None, Some("Deals"), false, false, &["Deals"]),
        (
            None,
            None,
            Some("deals%"),
            false,
            false,
            &[
                "Deals",
                "DealsProducts",
                "DealsFollowers",
                "DealsParticipants",
                "DealsActivities",
                "DealsPersons",
                "DealsFiles",
                "DealsMailMessages",
                "DealsDiscounts",
                "DealsInstallments",
                "DealsSummary",
                "DealsPermittedUsers",
                "DealsChangelog",
                "DealsFlow",
                "DealsParticipantsChangelog",
                "DealsFollowersChangelog",
            ],
        ),
        (None, None, Some("Deal_"), false, false, &["Deals"]),
        (
            Some("Pipedrive"),
            Some("Pipedrive"),
            Some("Stages"),
            false,
            false,
            &["Stages"],
        ),
        (Some("Other"), None, Some("Stages"), false, false, &[]),
        (None, Some("Other"), Some("Stages"), false, false, &[]),
        (Some("Pipe%"), None, Some("Stages"), false, false, &[]),
        (
            Some("Pipe%"),
            None,
            Some("Stages"),
            false,
            true,
            &["Stages"],
        ),
        (None, None, Some("Deal%"), true, false, &[]),
        (None, None, Some("\"deals\""), true, false, &["Deals"]),
    ];
    for (catalog, schema, table, id, catalog_pattern, expected) in cases {
        let mut s = scope(*catalog, *schema, *id);
        if *catalog_pattern {
            s = s.catalog_pattern();
        }
        let found: Vec<_> = objects
            .tables(&s, &filter(*table))
            .iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(&found, expected, "{catalog:?} {schema:?} {table:?} id={id}");
    }
    let all_found = objects.tables(&scope(None, None, false), &Filter::any());
    assert_eq!(all_found.len(), TABLES.len());
    let kinds = |name: &str| all_found.iter().find(|t| t.name == name).map(|t| t.kind);
    assert_eq!(kinds("Deals"), Some(TableKind::Table));
    assert_eq!(kinds("Currencies"), Some(TableKind::View));
}

#[test]
fn columns_with_positions_and_custom_fields() {
    let all = tables();
    let objects = objects(&all);
    let deals = objects.columns(
        &scope(None, None, false),
        &filter(Some("Deals")),
        &Filter::any(),
    );
    let ordinals: Vec<_> = deals.iter().map(|c| c.ordinal).collect();
    assert_eq!(ordinals, (1..=deals.len()).collect::<Vec<_>>());
    let custom: Vec<_> = deals
        .iter()
        .filter(|c| c.custom)
        .map(|c| c.field.name().as_str())
        .collect();
    assert_eq!(custom, ["Lead Source"]);
    assert_eq!(deals[0].field.name(), "Id");
    // (table, column, schema argument) -> (table, column, ordinal) found
    let cases: &[(&str, &str, Option<&str>, &[(&str, &str)])] = &[
        ("Deals", "lead source", None, &[("Deals", "Lead Source")]),
        ("Deals", "Owner%", None, &[("Deals", "OwnerId")]),
        ("Stages", "Id", Some("Pipedrive"), &[("Stages", "Id")]),
        ("Stages", "Id", Some("Pipe%"), &[("Stages", "Id")]),
        ("Stages", "Id", Some("Other"), &[]),
        ("NoSuchTable", "%", None, &[]),
    ];
    for (table, column, schema, expected) in cases {
        let found: Vec<_> = objects
            .columns(
                &scope(None, *schema, false),
                &filter(Some(table)),
                &filter(Some(column)),
            )
            .iter()
            .map(|c| (c.table, c.field.name().as_str()))
            .collect();
        let expected: Vec<_> = expected.iter().map(|(t, c)| (*t, *c)).collect();
        assert_eq!(found, expected, "{table}.{column} in {schema:?}");
    }
    let owner = objects.columns(
        &scope(None, None, false),
        &filter(Some("Deals")),
        &filter(Some("OwnerId")),
    )[0];
    assert_eq!(
        owner.ordinal,
        1 + deals
            .iter()
            .position(|c| c.field.name() == "OwnerId")
            .unwrap()
    );
}

#[test]
fn columns_of_a_named_table_only() {
    let all = tables();
    let objects = objects(&all);
    let s = scope(None, None, false);
    let cases: &[(Option<&str>, usize)] = &[
        (Some("stages"), 1),
        (Some("Stage%"), 0),
        (None, 0),
        (Some("DealFieldsOptions"), 1),
    ];
    for (table, expected) in cases {
        let found = objects.columns_of(&s, &filter(*table), &filter(Some("Id")));
        assert_eq!(found.len(), *expected, "{table:?}");
    }
    assert!(objects
        .columns_of(
            &scope(None, Some("Pipe%"), false),
            &filter(Some("Stages")),
            &Filter::any()
        )
        .is_empty());
}

#[test]
fn keys_need_a_table_name() {
    let all = tables();
    let objects = objects(&all);
    let cases: &[(Option<&str>, Option<&str>, &[(&str, &str)])] = &[
        (Some("Deals"), None, &[("Deals", "Id")]),
        (Some("deals"), Some("Pipedrive"), &[("Deals", "Id")]),
        (Some("Deal%"), None, &[]),
        (None, None, &[]),
        (Some("Deals"), Some("Other"), &[]),
        // a name other drivers use
        (Some("RolesSetting"), None, &[("RolesSettings", "RoleId")]),
        (Some("rolessetting"), None, &[("RolesSettings", "RoleId")]),
    ];
    for (table, schema, expected) in cases {
        let found: Vec<_> = objects
            .keys(&scope(None, *schema, false), &filter(*table))
            .iter()
            .map(|k| (k.table, k.column))
            .collect();
        assert_eq!(&found, expected, "{table:?} in {schema:?}");
    }
    let key = objects.keys(&scope(None, None, false), &filter(Some("Deals")))[0];
    assert!(!key.field.is_nullable());
}

#[test]
fn references_both_ways_in_order() {
    let all = tables();
    let objects = objects(&all);
    let s = scope(None, None, false);
    let deals = objects.references(&s, &Filter::any(), &filter(Some("Deals")));
    let pairs: Vec<_> = deals
        .iter()
        .map(|r| (r.column.as_str(), r.key_table))
        .collect();
    assert!(pairs.contains(&("PersonId", "Persons")), "{pairs:?}");
    assert!(pairs.contains(&("OrgId", "Organizations")), "{pairs:?}");
    assert!(
        !pairs.iter().any(|(c, _)| *c == "Id"),
        "a table's own key references nothing"
    );
    let keys: Vec<_> = deals.iter().map(|r| (r.key_table, r.key_column)).collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "ordered by the key's table: {keys:?}"
    );

    let to_persons = objects.references(&s, &filter(Some("persons")), &Filter::any());
    assert!(to_persons
        .iter()
        .all(|r| r.key_table == "Persons" && r.key_column == "Id"));
    let from: Vec<_> = to_persons
        .iter()
        .map(|r| (r.table, r.column.as_str()))
        .collect();
    assert!(from.contains(&("Deals", "PersonId")), "{from:?}");
    assert!(
        from.windows(2).all(|w| w[0] <= w[1]),
        "ordered by the referencing table: {from:?}"
    );

    let pair = objects.references(&s, &filter(Some("Persons")), &filter(Some("Deals")));
    assert_eq!(pair.len(), 1);
    assert_eq!(pair[0].column, "PersonId");
    assert!(objects
        .references(&s, &filter(Some("Deals")), &filter(Some("Currencies")))
        .is_empty());
}

#[test]
fn procedures_and_their_columns() {
    let s = scope(None, None, false);
    let names = |f: Option<&str>| -> Vec<&str> {
        procedures(&s, &filter(f)).iter().map(|p| p.name).collect()
    };
    assert_eq!(names(None).len(), PROCEDURES.len() + FUNCTIONS.len());
    assert_eq!(
        names(Some("GetOAuth%")),
        ["GetOAuthAuthorizationURL", "GetOAuthAccessToken"]
    );
    assert!(procedures(&scope(Some("Other"), None, false), &Filter::any()).is_empty());
    let url = &procedures(&s, &filter(Some("GetOAuthAuthorizationURL")))[0];
    assert_eq!((url.inputs, url.function), (3, false));
    // table functions: their arguments are the inputs, their columns the results
    let search = &procedures(&s, &filter(Some("DealsSearch")))[0];
    assert_eq!((search.inputs, search.function), (6, true));
    assert!(search.remarks.contains("SELECT * FROM DealsSearch(Term, "));
    let columns = procedure_columns(&s, &filter(Some("DealsSearch")), &Filter::any());
    let term = &columns[0];
    assert_eq!(
        (
            term.role,
            term.field.name().as_str(),
            term.field.is_nullable()
        ),
        (ProcedureColumnRole::Input, "Term", false)
    );
    assert!(columns
        .iter()
        .any(|c| c.role == ProcedureColumnRole::Result && c.field.name() == "ResultScore"));

    let columns = procedure_columns(
        &s,
        &filter(Some("GetOAuthAuthorizationURL")),
        &Filter::any(),
    );
    let seen: Vec<_> = columns
        .iter()
        .map(|c| (c.role, c.field.name().as_str(), c.ordinal))
        .collect();
    use ProcedureColumnRole::*;
    assert_eq!(
        seen,
        [
            (Input, "CallbackURL", 1),
            (Input, "State", 2),
            (Input, "Scope", 3),
            (Result, "URL", 1)
        ]
    );
    // positions count every parameter, also those the column pattern leaves out
    let scope_only = procedure_columns(
        &s,
        &filter(Some("GetOAuthAuthorizationURL")),
        &filter(Some("Scope")),
    );
    assert_eq!(scope_only.len(), 1);
    assert_eq!(scope_only[0].ordinal, 3);
}
