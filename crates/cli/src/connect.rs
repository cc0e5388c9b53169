//! Where the connection comes from: flags, a connection string, a DSN, the environment, or a
//! local sandbox.

use clap::Args;
use pipedrive_config::{dsn_properties, Properties};
use pipedrive_engine::Session;
use pipedrive_sandbox::{Sandbox, SandboxConfig};

#[derive(Args)]
pub struct Connection {
    /// A DSN from odbc.ini (user, then system).
    #[arg(long, global = true)]
    dsn: Option<String>,
    /// A connection string (`APIToken=...;CompanyDomain=...`); its keys beat the DSN's.
    #[arg(long = "connection-string", short = 'c', global = true)]
    connection_string: Option<String>,
    /// Personal API token.
    #[arg(
        long,
        env = "PIPEDRIVE_API_TOKEN",
        hide_env_values = true,
        global = true
    )]
    api_token: Option<String>,
    /// Company domain (the part before .pipedrive.com).
    #[arg(long, env = "PIPEDRIVE_COMPANY_DOMAIN", global = true)]
    company_domain: Option<String>,
    /// Base URL of a sandbox or gateway (replaces https://{domain}.pipedrive.com).
    #[arg(long, env = "PIPEDRIVE_BASE_URL", global = true)]
    base_url: Option<String>,
    /// Run against a local Pipedrive sandbox with demo data (no account needed).
    #[arg(long, global = true)]
    sandbox: bool,
    /// Deals in the sandbox's demo company.
    #[arg(long, default_value_t = 2000, global = true)]
    sandbox_deals: usize,
}

impl Connection {
    /// The flags' properties, then the connection string's.
    fn given(&self, mut props: Properties) -> Result<Properties, String> {
        let flags = [
            ("APIToken", &self.api_token),
            ("CompanyDomain", &self.company_domain),
            ("BaseURL", &self.base_url),
        ];
        for (key, value) in flags {
            if let Some(v) = value {
                props.set(key, v.clone());
            }
        }
        if let Some(text) = &self.connection_string {
            let given = Properties::parse(text).map_err(|e| format!("connection string: {e}"))?;
            props = props.or(&given);
        }
        Ok(props)
    }

    /// The properties in force: flags, then connection string, then DSN.
    pub fn properties(&self) -> Result<Properties, String> {
        let mut props = self.given(Properties::new())?;
        let dsn = self
            .dsn
            .clone()
            .or_else(|| props.get("DSN").map(String::from));
        if let Some(name) = dsn {
            let stored = dsn_properties(&name)?.ok_or_else(|| {
                format!(
                    "no DSN named '{name}' in {}",
                    pipedrive_config::dsn_places()
                )
            })?;
            props = props.or(&stored);
        }
        Ok(props)
    }

    /// The connection string handed to a driver manager: the flags, the given string, and
    /// `DSN=` (the driver reads the DSN itself).
    pub fn driver_manager_string(&self) -> Result<String, String> {
        let mut props = Properties::new();
        if let Some(dsn) = &self.dsn {
            props.set("DSN", dsn.clone());
        }
        let props = self.given(props)?;
        if !props.contains("DSN") && !props.contains("Driver") {
            return Err(
                "name a DSN (--dsn) or a driver (-c \"Driver={Pipedrive ODBC Driver};...\")".into(),
            );
        }
        Ok(props.to_connection_string())
    }

    /// Connects; with `--sandbox`, to a sandbox started here (kept alive by the returned handle).
    pub async fn open(&self) -> Result<(Session, Option<Sandbox>), String> {
        let mut props = self.properties()?;
        let sandbox = if self.sandbox {
            let mut config = SandboxConfig::default();
            config.sizes.deals = self.sandbox_deals;
            let token = config.api_tokens[0].clone();
            let sandbox = Sandbox::start(config).map_err(|e| format!("sandbox: {e}"))?;
            props.set("BaseURL", sandbox.base_url());
            props.set("APIToken", token);
            Some(sandbox)
        } else {
            None
        };
        let session = Session::from_properties(&props)
            .await
            .map_err(|e| e.message)?;
        Ok((session, sandbox))
    }
}
