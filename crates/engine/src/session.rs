//! A connection's SQL session: the Pipedrive tables (with this account's custom fields) in a
//! DataFusion context, schema `Pipedrive`.

use crate::cache::statements::{self as cache_statements, Statement as CacheStatement};
use crate::cache::LocalCache;
use crate::catalog::{TokenCost, FUNCTIONS, TABLES};
use crate::dialect::{canonicalize, Names};
use crate::dml::send::SetStatus;
use crate::dml::{self, Write};
use crate::error::EngineError;
use crate::functions::ApiTableFunction;
use crate::procedures::list::{self, PROCEDURES};
use crate::procedures::{self, Procedure};
use crate::scan::ApiScanExec;
use crate::schema::TableSchema;
use crate::sort_pushdown::ApiSortPushdown;
use crate::tables::Tables;
use crate::{brackets, escapes};
use datafusion::arrow::array::StringArray;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::MemoryCatalogProvider;
use datafusion::common::{DataFusionError, ScalarValue};
use datafusion::dataframe::DataFrame;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::execution::SessionStateBuilder;
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion::sql::parser::Statement as DfStatement;
use futures_util::TryStreamExt;
use pipedrive_api::oauth::OAuthOptions;
use pipedrive_api::Client;
use std::sync::Arc;

pub const CATALOG: &str = "Pipedrive";
pub const SCHEMA: &str = "Pipedrive";
/// The table whose field definitions a connection reads first (checking its credentials).
const FIRST_TABLE: &str = "Deals";

pub struct Session {
    ctx: SessionContext,
    tables: Arc<Tables>,
    procedures: procedures::Context,
    /// The local cache, when the connection uses one.
    cache: Option<Arc<LocalCache>>,
}

impl Session {
    /// Checks the credentials (reading the field definitions of Deals, the table most work
    /// starts with, or taking them from the process's short-lived cache) and sets up the
    /// session; other tables are set up when first named.
    /// The API client the session reads through (none in a session opened without one).
    pub fn client(&self) -> Option<&Client> {
        self.procedures.client.as_ref()
    }

    pub async fn connect(client: Client) -> Result<Session, EngineError> {
        Session::open(Some(client), None).await
    }

    /// A session with the OAuth settings its procedures use. Without a client (an OAuth
    /// connection that has no access token yet) it has no tables and runs procedures only.
    pub async fn open(
        client: Option<Client>,
        oauth: Option<OAuthOptions>,
    ) -> Result<Session, EngineError> {
        Session::start(client, oauth, None).await
    }

    /// A session that answers from the local cache as `cache` says.
    pub(crate) async fn start(
        client: Option<Client>,
        oauth: Option<OAuthOptions>,
        cache: Option<Arc<LocalCache>>,
    ) -> Result<Session, EngineError> {
        let tables = Arc::new(Tables::new(client.clone(), cache.clone()));
        tables.prepare([FIRST_TABLE]).await?;
        let config = SessionConfig::new()
            .with_default_catalog_and_schema(CATALOG, SCHEMA)
            .with_information_schema(true)
            .set_bool("datafusion.sql_parser.enable_ident_normalization", false);
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_default_features()
            .with_physical_optimizer_rule(Arc::new(ApiSortPushdown))
            .build();
        let ctx = SessionContext::new_with_state(state);
        let catalog = Arc::new(MemoryCatalogProvider::new());
        datafusion::catalog::CatalogProvider::register_schema(
            catalog.as_ref(),
            SCHEMA,
            tables.clone(),
        )?;
        ctx.register_catalog(CATALOG, catalog);
        for def in FUNCTIONS.iter().copied().filter(|_| client.is_some()) {
            let client = client.clone().expect("a client");
            ctx.register_udtf(def.name, Arc::new(ApiTableFunction::new(def, client)));
        }
        Ok(Session {
            ctx,
            tables,
            procedures: procedures::Context { client, oauth },
            cache,
        })
    }

    /// The names a statement's identifiers are spelled as: the catalog's, the tables', and the
    /// columns of the tables set up so far (a statement's own tables are set up before).
    fn names(&self) -> Names {
        let mut names = Names::default();
        names.add(CATALOG);
        names.add(SCHEMA);
        TABLES.iter().for_each(|d| names.add(d.name));
        for def in FUNCTIONS {
            names.add(def.name);
            def.columns.iter().for_each(|c| names.add(c.name));
        }
        self.tables
            .ready()
            .flat_map(|t| &t.schema.columns)
            .for_each(|c| names.add(&c.name));
        names
    }

    /// The stored procedures.
    pub fn procedures(&self) -> &'static [&'static Procedure] {
        PROCEDURES
    }

    /// The tables and their columns for this connection (all set up, at once, where not yet).
    pub async fn tables(&self) -> Result<Vec<&TableSchema>, EngineError> {
        self.tables.all().await
    }

    /// Every table: those `describe` selects with their custom fields (set up where not yet),
    /// the others as far as known without a request.
    pub(crate) async fn described(
        &self,
        describe: impl Fn(&str) -> bool,
    ) -> Result<Vec<&TableSchema>, EngineError> {
        self.tables.described(describe).await
    }

    /// The table of that name (in any case) and its columns; `None` if there is none.
    pub async fn table(&self, name: &str) -> Result<Option<&TableSchema>, EngineError> {
        Ok(self.tables.named(name).await?.map(|t| &t.schema))
    }

    /// Plans a statement; its result schema and parameters are known before any data request.
    pub async fn prepare(&self, sql: &str) -> Result<Prepared, EngineError> {
        let state = self.ctx.state();
        let dialect = state.config().options().sql_parser.dialect;
        let sql = brackets::unbracket(&escapes::expand(sql)?);
        if let Some(call) = procedures::parse(&sql) {
            return self.call(call?);
        }
        if let Some(statement) = cache_statements::parse(&sql) {
            return self.cache_statement(statement?);
        }
        if self.procedures.client.is_none() {
            return Err(EngineError::api(
                pipedrive_api::ErrorKind::Unauthorized,
                "this connection has no OAuth access token (InitiateOAuth=OFF without \
                          OAuthAccessToken): it runs GetOAuthAuthorizationURL, GetOAuthAccessToken \
                          and RefreshOAuthAccessToken only; set OAuthAccessToken, or connect with \
                          InitiateOAuth=REFRESH or GETANDREFRESH",
            ));
        }
        let mut statement = state.sql_to_statement(&sql, &dialect)?;
        let named = state.resolve_table_references(&statement)?;
        self.tables.prepare(named.iter().map(|r| r.table())).await?;
        let count = canonicalize(&mut statement, &self.names());
        if let Some(target) = dml::target(&mut statement) {
            let plan = state.statement_to_plan(statement).await?;
            return self.write(plan, target, count).await;
        }
        if let DfStatement::Explain(explain) = &statement {
            if !explain.options.analyze {
                let inner = state
                    .statement_to_plan((*explain.statement).clone())
                    .await?;
                let text = self.ctx.execute_logical_plan(inner).await?;
                return self.explanation(Prepared::from_frame(text, 0)?).await;
            }
        }
        let plan = state.statement_to_plan(statement).await?;
        refuse_ddl(&plan)?;
        let frame = self.ctx.execute_logical_plan(plan).await?;
        Prepared::from_frame(frame, count)
    }

    /// An INSERT, UPDATE or DELETE: checked against the table, its rows planned as a query.
    async fn write(
        &self,
        plan: LogicalPlan,
        target: dml::Target,
        count: usize,
    ) -> Result<Prepared, EngineError> {
        let LogicalPlan::Dml(statement) = plan else {
            return Err(EngineError::internal(
                "a write statement was not planned as one",
            ));
        };
        let name = statement.table_name.table();
        let table = self.tables.named(name).await?.cloned().ok_or_else(|| {
            EngineError::syntax(format!(
                "{name} cannot be written: it is not a Pipedrive table"
            ))
        })?;
        if table.cache().is_some_and(|c| c.offline()) {
            return Err(EngineError::cache(format!(
                "{name} cannot be written offline: Offline=1 answers reads from the local cache, \
                 and a write needs the API (connect without Offline to write)"
            )));
        }
        let write = Write::new(table, target, self.ctx.clone())?;
        let frame = self
            .ctx
            .execute_logical_plan((*statement.input).clone())
            .await?;
        let schema = write.schema()?;
        Ok(Prepared {
            tables: vec![Some(write.table.schema.def.name.to_string()); schema.fields().len()],
            schema,
            parameters: parameter_types(&frame, count)?,
            plan: Plan::Write { write, frame },
        })
    }

    /// A `CACHE` statement, run when executed.
    fn cache_statement(&self, statement: CacheStatement) -> Result<Prepared, EngineError> {
        let cache = self.cache.clone().ok_or_else(|| {
            EngineError::cache(
                "this connection does not use the local cache: set AutoCache=1 (or Offline=1 \
                 or CacheMetadata=1), with CacheLocation for another file than the default",
            )
        })?;
        let schema = cache_statements::schema();
        Ok(Prepared {
            tables: vec![None; schema.fields().len()],
            parameters: vec![],
            schema,
            plan: Plan::Cache(statement, cache),
        })
    }

    /// A procedure call, its result described before it runs.
    fn call(&self, call: procedures::Call) -> Result<Prepared, EngineError> {
        let procedure = list::find(&call.name).ok_or_else(|| {
            EngineError::syntax(format!(
                "there is no procedure named {}; the procedures are {}",
                call.name,
                PROCEDURES
                    .iter()
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let slots = procedure.slots(&call)?;
        let schema = procedure.schema();
        Ok(Prepared {
            tables: vec![None; schema.fields().len()],
            parameters: vec![Some(DataType::Utf8); call.markers],
            schema,
            plan: Plan::Call {
                procedure,
                slots,
                values: vec![],
                context: self.procedures.clone(),
            },
        })
    }

    /// `EXPLAIN`: the plans and the API requests, as rows of (plan_type, plan).
    async fn explanation(&self, inner: Prepared) -> Result<Prepared, EngineError> {
        let logical = match &inner.plan {
            Plan::Query(frame) | Plan::Write { frame, .. } => {
                frame.logical_plan().display_indent().to_string()
            }
            Plan::Call { procedure, .. } => format!("CALL {}", procedure.name),
            Plan::Cache(statement, _) => format!("{statement:?}"),
        };
        let (physical, requests) = inner.plan_text().await?;
        let schema = Arc::new(Schema::new(vec![
            Field::new("plan_type", DataType::Utf8, false),
            Field::new("plan", DataType::Utf8, false),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(vec![
                    "logical_plan",
                    "physical_plan",
                    "api_requests",
                ])),
                Arc::new(StringArray::from(vec![
                    logical,
                    physical,
                    requests.join("\n"),
                ])),
            ],
        )
        .map_err(|e| DataFusionError::ArrowError(Box::new(e), None))?;
        Prepared::from_frame(self.ctx.read_batch(batch)?, 0)
    }

    /// Runs a statement to completion (tests and small results).
    pub async fn query(&self, sql: &str) -> Result<Vec<RecordBatch>, EngineError> {
        let stream = self.prepare(sql).await?.execute().await?;
        Ok(stream.try_collect().await?)
    }
}

/// A planned statement.
#[derive(Clone)]
pub struct Prepared {
    pub schema: SchemaRef,
    /// For each result column, the table it comes from (when it is a plain column).
    pub tables: Vec<Option<String>>,
    /// The `?` parameters in order, with the type each is compared to where the plan says it.
    pub parameters: Vec<Option<DataType>>,
    plan: Plan,
}

/// What a prepared statement runs.
#[derive(Clone)]
enum Plan {
    Query(DataFrame),
    /// A write: `frame` gives the rows to write.
    Write {
        write: Write,
        frame: DataFrame,
    },
    Call {
        procedure: &'static Procedure,
        slots: Vec<Option<procedures::Value>>,
        values: Vec<ScalarValue>,
        context: procedures::Context,
    },
    /// A statement managing the local cache.
    Cache(CacheStatement, Arc<LocalCache>),
}

/// DataFusion runs DDL (CREATE, DROP, `SELECT ... INTO`) and COPY as it plans them: refused
/// here, before anything is read or created. Pipedrive's tables are what the API has, and
/// statements do not write local files.
fn refuse_ddl(plan: &LogicalPlan) -> Result<(), EngineError> {
    let what = match plan {
        LogicalPlan::Ddl(ddl) => ddl.name(),
        LogicalPlan::Copy(_) => "COPY",
        _ => return Ok(()),
    };
    Err(EngineError::not_supported(format!(
        "{what} is not supported: the tables are Pipedrive's, none can be created, changed or \
         dropped (SELECT ... INTO creates one); read with SELECT, write with INSERT, UPDATE and \
         DELETE"
    )))
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("schema", &self.schema)
            .field("parameters", &self.parameters)
            .finish_non_exhaustive()
    }
}

impl Prepared {
    fn from_frame(frame: DataFrame, count: usize) -> Result<Prepared, EngineError> {
        let parameters = parameter_types(&frame, count)?;
        let tables = frame
            .schema()
            .iter()
            .map(|(table, _)| table.map(|t| t.table().to_string()))
            .collect();
        Ok(Prepared {
            schema: Arc::new(frame.schema().as_arrow().clone()),
            tables,
            parameters,
            plan: Plan::Query(frame),
        })
    }

    /// The statement with its `?` parameters set, in order.
    pub fn bind(&self, values: Vec<ScalarValue>) -> Result<Prepared, EngineError> {
        if values.len() != self.parameters.len() {
            return Err(EngineError::parameters(format!(
                "the statement has {} parameter(s) but {} value(s) were given",
                self.parameters.len(),
                values.len()
            )));
        }
        let values = values
            .into_iter()
            .zip(&self.parameters)
            .enumerate()
            .map(|(i, (v, ty))| match ty {
                Some(ty) if v.data_type() != *ty && !v.is_null() => v.cast_to(ty).map_err(|_| {
                    EngineError::type_mismatch(format!(
                        "parameter {} ({v}) cannot be read as {ty}",
                        i + 1
                    ))
                }),
                Some(ty) if v.is_null() => Ok(ScalarValue::try_from(ty).unwrap_or(v)),
                _ => Ok(v),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let plan = match &self.plan {
            Plan::Query(frame) => Plan::Query(frame.clone().with_param_values(values)?),
            Plan::Write { write, frame } => Plan::Write {
                write: write.clone(),
                frame: frame.clone().with_param_values(values)?,
            },
            Plan::Call {
                procedure,
                slots,
                context,
                ..
            } => Plan::Call {
                procedure,
                slots: slots.clone(),
                values,
                context: context.clone(),
            },
            Plan::Cache(statement, cache) => Plan::Cache(*statement, cache.clone()),
        };
        Ok(Prepared {
            schema: self.schema.clone(),
            tables: self.tables.clone(),
            parameters: vec![],
            plan,
        })
    }

    /// A query that answers at most `rows` rows, the limit part of its plan (so a scan stops
    /// paging once it has them); writes and calls are left as they are.
    pub fn limited(mut self, rows: u64) -> Prepared {
        if let Plan::Query(frame) = &self.plan {
            // should the plan refuse a limit, the cursor still stops at `rows`
            if let Ok(limited) = frame.clone().limit(0, Some(rows as usize)) {
                self.plan = Plan::Query(limited);
            }
        }
        self
    }

    /// Starts it: batches arrive while later pages are fetched.
    pub async fn execute(self) -> Result<SendableRecordBatchStream, EngineError> {
        if !self.parameters.is_empty() {
            return Err(EngineError::parameters(format!(
                "{} parameter(s) have no value",
                self.parameters.len()
            )));
        }
        match self.plan {
            Plan::Query(frame) => Ok(frame.execute_stream().await?),
            Plan::Write { .. } => {
                let written = Prepared::write_sets(vec![self]).await;
                match written.error {
                    Some(e) => Err(e),
                    None => Ok(written.rows.expect("a write answers its rows")),
                }
            }
            Plan::Call {
                procedure,
                slots,
                values,
                context,
            } => {
                let batch = procedure.run(&context, &slots, &values).await?;
                let stream = futures_util::stream::once(async move { Ok(batch) });
                Ok(Box::pin(RecordBatchStreamAdapter::new(self.schema, stream)))
            }
            Plan::Cache(statement, cache) => {
                let batch = cache_statements::run(&cache, statement).await?;
                let stream = futures_util::stream::once(async move { Ok(batch) });
                Ok(Box::pin(RecordBatchStreamAdapter::new(self.schema, stream)))
            }
        }
    }

    /// Whether it is an INSERT, UPDATE or DELETE (run with [`Prepared::write_sets`]).
    pub fn is_write(&self) -> bool {
        matches!(self.plan, Plan::Write { .. })
    }

    /// Runs a write once per parameter set (each set a bound copy of one prepared write): the
    /// rows of every set are found and checked first, then written. Sets that are not writes
    /// are refused.
    pub async fn write_sets(sets: Vec<Prepared>) -> Written {
        let n = sets.len();
        let failed = |e: EngineError| Written {
            sets: vec![SetStatus::NotRun; n],
            affected: 0,
            rows: None,
            error: Some(e),
        };
        let Some(first) = sets.first() else {
            return failed(EngineError::parameters("no parameter sets"));
        };
        let schema = first.schema.clone();
        let Plan::Write { write, .. } = &first.plan else {
            return failed(EngineError::internal("not a write"));
        };
        let write = write.clone();
        let mut inputs = Vec::with_capacity(n);
        for set in &sets {
            let Plan::Write { frame, .. } = &set.plan else {
                return failed(EngineError::internal("not a write"));
            };
            match frame.clone().collect().await {
                Ok(rows) => inputs.push(rows),
                Err(e) => {
                    let mut e = EngineError::from(e);
                    e.message = format!("{}; nothing was written", e.message);
                    return failed(e);
                }
            }
        }
        let report = dml::send::run(&write, inputs).await;
        if let Some(cache) = write.table.cache() {
            let def = write.table.schema.def;
            cache.written(def, &report.written, &report.deleted).await;
        }
        let mut error = report.error;
        let mut rows = vec![];
        if write.has_returning() {
            let returned = match write.returned(report.rows) {
                Ok(frame) => frame.collect().await.map_err(EngineError::from),
                Err(e) => Err(e),
            };
            match returned {
                Ok(batches) => rows = batches,
                // the rows are written; only their RETURNING values are lost
                Err(e) => error = error.or(Some(e)),
            }
        }
        let stream = futures_util::stream::iter(rows.into_iter().map(Ok));
        Written {
            sets: report.sets,
            affected: report.affected,
            rows: Some(Box::pin(RecordBatchStreamAdapter::new(schema, stream))),
            error,
        }
    }

    /// The physical plan as text, then the API requests each scan makes.
    pub async fn explain(self) -> Result<String, EngineError> {
        let (plan, requests) = self.plan_text().await?;
        Ok(format!(
            "{plan}\nAPI requests:\n  {}",
            requests.join("\n  ")
        ))
    }

    async fn plan_text(self) -> Result<(String, Vec<String>), EngineError> {
        let mut writes = None;
        let frame = match self.plan {
            Plan::Query(frame) => frame,
            Plan::Write { write, frame } => {
                writes = Some(write.describe());
                frame
            }
            Plan::Call { procedure, .. } => {
                return Ok((format!("CALL {}", procedure.name), vec!["none".into()]))
            }
            Plan::Cache(statement, _) => {
                let requests = "what the refresh asks (see CACHE STATUS)".to_string();
                return Ok((format!("{statement:?}"), vec![requests]));
            }
        };
        let plan = frame.create_physical_plan().await?;
        let text = datafusion::physical_plan::displayable(plan.as_ref())
            .indent(true)
            .to_string();
        let mut requests = vec![];
        let cost = api_requests(&plan, &mut requests);
        if !requests.is_empty() {
            requests.push(format!("token cost of the reads: {cost}"));
        }
        requests.extend(writes);
        if requests.is_empty() {
            requests.push("none".into());
        }
        Ok((text, requests))
    }
}

/// The types of a plan's `count` parameters (`$1`...), where the plan says them.
fn parameter_types(frame: &DataFrame, count: usize) -> Result<Vec<Option<DataType>>, EngineError> {
    let types = frame.logical_plan().get_parameter_types()?;
    Ok((1..=count)
        .map(|i| types.get(&format!("${i}")).cloned().flatten())
        .collect())
}

/// What a write did, per parameter set.
pub struct Written {
    pub sets: Vec<SetStatus>,
    /// Rows written, in all sets.
    pub affected: u64,
    /// The RETURNING rows (no columns without RETURNING); none when it failed before writing.
    pub rows: Option<SendableRecordBatchStream>,
    /// Why it stopped: what was and was not written.
    pub error: Option<EngineError>,
}

/// What every scan of the plan will ask the API, and what that costs of the daily budget.
fn api_requests(plan: &Arc<dyn ExecutionPlan>, out: &mut Vec<String>) -> TokenCost {
    let mut cost = TokenCost::default();
    if let Some(scan) = plan.downcast_ref::<ApiScanExec>() {
        out.extend(scan.describe());
        cost = cost + scan.token_cost();
    }
    for child in plan.children() {
        cost = cost + api_requests(child, out);
    }
    cost
}
