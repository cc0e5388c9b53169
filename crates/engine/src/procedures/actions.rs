//! Procedures for API actions that are not row writes: merging deals, persons and
//! organizations; converting a lead to a deal and back; duplicating a deal or a product;
//! uploading and downloading files.

use super::{text, Args, Context, Output, Param, Procedure, Row};
use crate::error::EngineError;
use base64::Engine;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use pipedrive_api::{ApiVersion, Client, FilePart, Method};
use serde_json::{json, Value};
use std::time::Duration;

fn client(ctx: &Context) -> Result<&Client, EngineError> {
    ctx.client.as_ref().ok_or_else(|| {
        EngineError::api(
            pipedrive_api::ErrorKind::Unauthorized,
            "this connection has no access token yet; sign in first",
        )
    })
}

/// A whole-number argument (required ones were checked before).
fn id(args: &Args, name: &str) -> Result<i64, EngineError> {
    let given = args.get(name).unwrap_or_default().trim();
    given.parse().map_err(|_| {
        EngineError::type_mismatch(format!("@{name} must be a whole number, not '{given}'"))
    })
}

fn int(v: &Value) -> ScalarValue {
    ScalarValue::Int64(v.as_i64().or_else(|| v.as_str()?.parse().ok()))
}

fn opt_text(v: &Value) -> ScalarValue {
    ScalarValue::Utf8(match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    })
}

const fn required(name: &'static str, remarks: &'static str) -> Param {
    Param {
        name,
        required: true,
        remarks,
    }
}

const fn optional(name: &'static str, remarks: &'static str) -> Param {
    Param {
        name,
        required: false,
        remarks,
    }
}

const ID_OUTPUT: &[Output] = &[Output {
    name: "Id",
    data_type: DataType::Int64,
    remarks: "The id of the row that remains (or was made).",
}];

/// `PUT /{collection}/{Id}/merge {merge_with_id}` (v1: the only version offering merges).
async fn merge(ctx: &Context, args: Args, collection: &str) -> Result<Vec<Row>, EngineError> {
    let (from, into) = (id(&args, "Id")?, id(&args, "MergeWithId")?);
    let kept = client(ctx)?
        .write(
            Method::PUT,
            ApiVersion::V1,
            &format!("/{collection}/{from}/merge"),
            Some(&json!({ "merge_with_id": into })),
        )
        .await?;
    Ok(vec![vec![int(&kept["id"])]])
}

const MERGE_PARAMS: &[Param] = &[
    required("Id", "The row merged away (it is removed)."),
    required("MergeWithId", "The row it is merged into (it remains)."),
];

pub static MERGE_DEALS: Procedure = Procedure {
    name: "MergeDeals",
    remarks: "Merges deal @Id into deal @MergeWithId: its products, participants, followers, activities, notes and files move over and @Id is removed.",
    params: MERGE_PARAMS,
    outputs: ID_OUTPUT,
    run: |ctx, args| Box::pin(merge(ctx, args, "deals")),
};

pub static MERGE_PERSONS: Procedure = Procedure {
    name: "MergePersons",
    remarks: "Merges person @Id into person @MergeWithId: deals, activities, notes and leads of @Id move over and @Id is removed.",
    params: MERGE_PARAMS,
    outputs: ID_OUTPUT,
    run: |ctx, args| Box::pin(merge(ctx, args, "persons")),
};

pub static MERGE_ORGANIZATIONS: Procedure = Procedure {
    name: "MergeOrganizations",
    remarks: "Merges organization @Id into organization @MergeWithId: its persons, deals, activities, notes and leads move over and @Id is removed.",
    params: MERGE_PARAMS,
    outputs: ID_OUTPUT,
    run: |ctx, args| Box::pin(merge(ctx, args, "organizations")),
};

/// A copy of a row: `POST {path}` with the id in it; answers the copy's id.
async fn duplicate(
    ctx: &Context,
    args: Args,
    version: ApiVersion,
    collection: &str,
) -> Result<Vec<Row>, EngineError> {
    let original = id(&args, "Id")?;
    let copy = client(ctx)?
        .write(
            Method::POST,
            version,
            &format!("/{collection}/{original}/duplicate"),
            None,
        )
        .await?;
    Ok(vec![vec![int(&copy["id"])]])
}

pub static DUPLICATE_DEAL: Procedure = Procedure {
    name: "DuplicateDeal",
    remarks: "Makes a copy of deal @Id; answers the new deal's id.",
    params: &[required("Id", "The deal to copy.")],
    outputs: ID_OUTPUT,
    run: |ctx, args| Box::pin(duplicate(ctx, args, ApiVersion::V1, "deals")),
};

pub static DUPLICATE_PRODUCT: Procedure = Procedure {
    name: "DuplicateProduct",
    remarks: "Makes a copy of product @Id; answers the new product's id.",
    params: &[required("Id", "The product to copy.")],
    outputs: ID_OUTPUT,
    run: |ctx, args| Box::pin(duplicate(ctx, args, ApiVersion::V2, "products")),
};

/// How long a conversion job is waited for.
const CONVERSION_WAIT: Duration = Duration::from_secs(60);

/// Starts a conversion job and waits for its end; answers the job and the new row's id.
async fn convert(
    ctx: &Context,
    from: &str,
    id: String,
    to: &str,
    made: &str,
) -> Result<Vec<Row>, EngineError> {
    let client = client(ctx)?;
    let job = client
        .write(
            Method::POST,
            ApiVersion::V2,
            &format!("/{from}/{id}/convert/{to}"),
            None,
        )
        .await?;
    let conversion = job["conversion_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(200);
    loop {
        let status = client
            .get(
                ApiVersion::V2,
                &format!("/{from}/{id}/convert/status/{conversion}"),
            )
            .await?;
        let state = status["status"].as_str().unwrap_or_default().to_string();
        if !matches!(state.as_str(), "not_started" | "running")
            || started.elapsed() > CONVERSION_WAIT
        {
            return Ok(vec![vec![
                text(conversion),
                text(state),
                opt_text(&status[made]),
            ]]);
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(2));
    }
}

const fn conversion_outputs(made: &'static str, remarks: &'static str) -> [Output; 3] {
    [
        Output {
            name: "ConversionId",
            data_type: DataType::Utf8,
            remarks: "The conversion job.",
        },
        Output {
            name: "Status",
            data_type: DataType::Utf8,
            remarks: "completed, failed or rejected (running if it did not end within a minute).",
        },
        Output {
            name: made,
            data_type: DataType::Utf8,
            remarks,
        },
    ]
}

const LEAD_TO_DEAL_OUTPUTS: [Output; 3] = conversion_outputs("DealId", "The new deal's id.");
const DEAL_TO_LEAD_OUTPUTS: [Output; 3] = conversion_outputs("LeadId", "The new lead's id.");

pub static CONVERT_LEAD_TO_DEAL: Procedure = Procedure {
    name: "ConvertLeadToDeal",
    remarks: "Converts lead @LeadId into a deal (the lead is removed) and waits for the conversion to end.",
    params: &[required("LeadId", "The lead (its UUID).")],
    outputs: &LEAD_TO_DEAL_OUTPUTS,
    run: |ctx, args| {
        Box::pin(async move {
            let lead = args.get("LeadId").unwrap_or_default().trim().to_string();
            convert(ctx, "leads", lead, "deal", "deal_id").await
        })
    },
};

pub static CONVERT_DEAL_TO_LEAD: Procedure = Procedure {
    name: "ConvertDealToLead",
    remarks: "Converts deal @DealId into a lead (the deal is deleted) and waits for the conversion to end.",
    params: &[required("DealId", "The deal.")],
    outputs: &DEAL_TO_LEAD_OUTPUTS,
    run: |ctx, args| {
        Box::pin(async move {
            let deal = id(&args, "DealId")?.to_string();
            convert(ctx, "deals", deal, "lead", "lead_id").await
        })
    },
};

const FILE_OUTPUTS: &[Output] = &[
    Output {
        name: "Id",
        data_type: DataType::Int64,
        remarks: "The file's id.",
    },
    Output {
        name: "FileName",
        data_type: DataType::Utf8,
        remarks: "The file's name.",
    },
    Output {
        name: "FileSize",
        data_type: DataType::Int64,
        remarks: "Its size in bytes.",
    },
    Output {
        name: "LocalPath",
        data_type: DataType::Utf8,
        remarks: "Where it was read from or written to, on this machine.",
    },
    Output {
        name: "Content",
        data_type: DataType::LargeUtf8,
        remarks: "DownloadFile without @LocalPath: the content, base64-encoded.",
    },
];

/// Where a file is attached: (procedure parameter, API field).
const ATTACH_TO: &[(&str, &str)] = &[
    ("DealId", "deal_id"),
    ("PersonId", "person_id"),
    ("OrgId", "org_id"),
    ("ProductId", "product_id"),
    ("ActivityId", "activity_id"),
    ("LeadId", "lead_id"),
    ("ProjectId", "project_id"),
];

async fn upload(ctx: &Context, args: Args) -> Result<Vec<Row>, EngineError> {
    let path = args.get("LocalPath");
    let (bytes, default_name) = match (path, args.get("Content")) {
        (Some(p), None) => {
            let bytes = std::fs::read(p).map_err(|e| {
                EngineError::api(
                    pipedrive_api::ErrorKind::Config,
                    format!("@LocalPath {p} cannot be read ({e})"),
                )
            })?;
            let name = std::path::Path::new(p)
                .file_name()
                .map(|n| n.to_string_lossy().to_string());
            (bytes, name)
        }
        (None, Some(content)) => {
            let bytes = match args
                .get("ContentEncoding")
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                None | Some("text") => content.as_bytes().to_vec(),
                Some("base64") => base64::engine::general_purpose::STANDARD
                    .decode(content.trim())
                    .map_err(|e| {
                        EngineError::type_mismatch(format!("@Content is not base64 ({e})"))
                    })?,
                Some(other) => {
                    return Err(EngineError::type_mismatch(format!(
                        "@ContentEncoding is text or base64, not '{other}'"
                    )))
                }
            };
            (bytes, None)
        }
        _ => {
            return Err(EngineError::syntax(
                "UploadFile needs either @LocalPath (a file on this machine) or @Content",
            ))
        }
    };
    let name = args
        .get("FileName")
        .map(String::from)
        .or(default_name)
        .ok_or_else(|| EngineError::syntax("UploadFile with @Content needs @FileName"))?;
    let mut fields = vec![];
    for (param, field) in ATTACH_TO {
        if let Some(v) = args.get(param) {
            fields.push((field.to_string(), v.trim().to_string()));
        }
    }
    let file = FilePart { name, bytes };
    let made = client(ctx)?
        .upload(ApiVersion::V1, "/files", &fields, &file)
        .await?;
    Ok(vec![vec![
        int(&made["id"]),
        opt_text(&made["file_name"]),
        int(&made["file_size"]),
        ScalarValue::Utf8(path.map(String::from)),
        ScalarValue::Utf8(None),
    ]])
}

pub static UPLOAD_FILE: Procedure = Procedure {
    name: "UploadFile",
    remarks: "Uploads a file (from @LocalPath, or @Content) and attaches it to the deal, person, organization, product, activity, lead or project given.",
    params: &[
        optional("LocalPath", "A file on this machine to upload."),
        optional("Content", "The content itself, when there is no @LocalPath."),
        optional("ContentEncoding", "text (the default) or base64: how @Content is written."),
        optional("FileName", "The name in Pipedrive; the local file's name when not given."),
        optional("DealId", "Attach to this deal."),
        optional("PersonId", "Attach to this person."),
        optional("OrgId", "Attach to this organization."),
        optional("ProductId", "Attach to this product."),
        optional("ActivityId", "Attach to this activity."),
        optional("LeadId", "Attach to this lead (UUID)."),
        optional("ProjectId", "Attach to this project."),
    ],
    outputs: FILE_OUTPUTS,
    run: |ctx, args| Box::pin(upload(ctx, args)),
};

async fn download(ctx: &Context, args: Args) -> Result<Vec<Row>, EngineError> {
    let file = id(&args, "Id")?;
    let client = client(ctx)?;
    let about = client
        .get(ApiVersion::V1, &format!("/files/{file}"))
        .await?;
    let bytes = client
        .download(ApiVersion::V1, &format!("/files/{file}/download"))
        .await?;
    let path = args.get("LocalPath").map(String::from);
    let content = match &path {
        Some(p) => {
            std::fs::write(p, &bytes).map_err(|e| {
                EngineError::api(
                    pipedrive_api::ErrorKind::Config,
                    format!("@LocalPath {p} cannot be written ({e})"),
                )
            })?;
            None
        }
        None => Some(base64::engine::general_purpose::STANDARD.encode(&bytes)),
    };
    Ok(vec![vec![
        ScalarValue::Int64(Some(file)),
        opt_text(&about["file_name"]),
        ScalarValue::Int64(Some(bytes.len() as i64)),
        ScalarValue::Utf8(path),
        ScalarValue::Utf8(content),
    ]])
}

pub static DOWNLOAD_FILE: Procedure = Procedure {
    name: "DownloadFile",
    remarks:
        "Downloads file @Id: to @LocalPath on this machine, or as base64 in the Content column.",
    params: &[
        required("Id", "The file."),
        optional(
            "LocalPath",
            "Where to write it; without it the content is answered.",
        ),
    ],
    outputs: FILE_OUTPUTS,
    run: |ctx, args| Box::pin(download(ctx, args)),
};
