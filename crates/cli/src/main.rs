//! `pipedrive-odbc`: run SQL against Pipedrive from the command line, list its tables and
//! columns, register the ODBC driver and DSNs, and test a connection through the driver manager.
//! Connection properties come from flags, a connection string, a DSN or the environment, in that
//! order; `--sandbox` runs against a local Pipedrive sandbox instead.

mod connect;
mod manager;
mod oauth;
mod output;

use clap::{Parser, Subcommand};
use connect::Connection;
use output::Format;
use pipedrive_api::budget::RateLimits;
use pipedrive_api::ApiVersion;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "pipedrive-odbc", version, about)]
struct Cli {
    #[command(flatten)]
    connection: Connection,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a SQL statement and print its result.
    Query {
        sql: String,
        #[arg(long, short, value_enum, default_value = "table")]
        format: Format,
        /// Show the plan and the API requests instead of running it.
        #[arg(long)]
        explain: bool,
    },
    /// List the tables and views.
    Tables,
    /// List the columns of a table (custom fields included).
    Columns { table: String },
    /// The API's limits on these credentials: requests per 2 s and the company's daily token
    /// budget left, as the API's answers say them (one cheap request if none was made yet).
    Limits,
    /// The local cache file (CacheLocation): each account's cached tables with their row counts,
    /// watermarks and last refresh. Reads the file only: no request, no connection.
    Cache,
    /// Register the ODBC driver in odbcinst.ini and a sample DSN in odbc.ini.
    Install(manager::InstallArgs),
    /// Remove the driver and the sample DSN.
    Uninstall(manager::UninstallArgs),
    /// The OAuth steps by hand: authorization URL, code exchange, browser sign-in, refresh.
    Oauth {
        #[command(subcommand)]
        step: oauth::Step,
        #[arg(long, short, value_enum, default_value = "table", global = true)]
        format: Format,
    },
    /// Connect through the ODBC driver manager as applications do (`--dsn NAME` or `-c ...`).
    TestConnection {
        #[arg(long, value_enum, default_value = "unixodbc")]
        driver_manager: manager::DriverManager,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Install(args) => return manager::install(args),
        Command::Uninstall(args) => return manager::uninstall(args),
        Command::TestConnection { driver_manager } => {
            let text = cli.connection.driver_manager_string()?;
            return manager::test_connection(&text, driver_manager);
        }
        Command::Oauth { step, format } => {
            return oauth::run(&cli.connection, step, &mut std::io::stdout().lock(), format).await
        }
        Command::Cache => {
            let props = cli.connection.properties()?;
            let settings = pipedrive_config::cache_settings(&props).map_err(|e| e.0)?;
            if !settings.location.exists() {
                return Err(format!(
                    "there is no cache file at {} (connect with AutoCache=1 to create it)",
                    settings.location.display()
                ));
            }
            let cache = pipedrive_cache::Cache::open(&settings.location).map_err(|e| e.0)?;
            let tables = cache.status().map_err(|e| e.0)?;
            let integrity = cache.integrity().map_err(|e| e.0)?;
            let mut out = std::io::stdout().lock();
            return output::cache(&mut out, &settings.location, &integrity, &tables);
        }
        _ => {}
    }
    let (session, _sandbox) = cli.connection.open().await?;
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Query {
            sql,
            format,
            explain: true,
        } => {
            let _ = format;
            let prepared = session.prepare(&sql).await.map_err(|e| e.to_string())?;
            let text = prepared.explain().await.map_err(|e| e.to_string())?;
            output::text(&mut out, &text)
        }
        Command::Query { sql, format, .. } => {
            let prepared = session.prepare(&sql).await.map_err(|e| e.to_string())?;
            output::query(&mut out, prepared, format).await
        }
        Command::Tables => {
            let tables = session.tables().await.map_err(|e| e.to_string())?;
            output::tables(&mut out, &tables)
        }
        Command::Columns { table } => {
            let found = session.table(&table).await.map_err(|e| e.to_string())?;
            output::columns(&mut out, found, &table)
        }
        Command::Limits => {
            let client = session.client().ok_or("the connection has no API client")?;
            if client.rate_limits() == RateLimits::default() {
                // the current user: 2 tokens, and its answer carries the limits
                client
                    .get(ApiVersion::V1, "/users/me")
                    .await
                    .map_err(|e| e.to_string())?;
            }
            output::limits(&mut out, client.rate_limits())
        }
        Command::Install(_)
        | Command::Uninstall(_)
        | Command::Cache
        | Command::TestConnection { .. }
        | Command::Oauth { .. } => {
            unreachable!("handled above")
        }
    }
}
