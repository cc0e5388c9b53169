//! Everything a sandbox can be told at start: data sizes, credentials, limits and faults.

use std::time::Duration;

/// How many rows of each demo entity to generate.
#[derive(Clone, Debug)]
pub struct DataSizes {
    pub users: usize,
    pub organizations: usize,
    pub persons: usize,
    pub deals: usize,
    pub activities: usize,
    pub products: usize,
    pub notes: usize,
    pub leads: usize,
    pub projects: usize,
    pub call_logs: usize,
    pub files: usize,
    /// Custom fields on deals; the other entities get a smaller fixed set.
    pub deal_custom_fields: usize,
}

impl Default for DataSizes {
    fn default() -> Self {
        DataSizes {
            users: 12,
            organizations: 300,
            persons: 1_000,
            deals: 2_000,
            activities: 2_000,
            products: 60,
            notes: 800,
            leads: 300,
            projects: 40,
            call_logs: 100,
            files: 100,
            deal_custom_fields: 20,
        }
    }
}

/// Burst budget presets of the real plans (requests per rolling 2 s window per token).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Plan {
    Lite,
    Growth,
    Premium,
    Ultimate,
    /// No limits at all (fast local development).
    Unlimited,
}

impl Plan {
    pub fn burst_per_2s(self) -> Option<u32> {
        match self {
            Plan::Lite => Some(20),
            Plan::Growth => Some(40),
            Plan::Premium => Some(60),
            Plan::Ultimate => Some(80),
            Plan::Unlimited => None,
        }
    }
    pub fn daily_tokens(self) -> Option<u64> {
        match self {
            Plan::Lite => Some(30_000),
            Plan::Growth => Some(60_000),
            Plan::Premium => Some(90_000),
            Plan::Ultimate => Some(120_000),
            Plan::Unlimited => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct RateLimits {
    /// Requests allowed per token in any rolling 2-second window; `None` disables the check.
    pub burst_per_2s: Option<u32>,
    /// Token budget per token per day, charged with each operation's `x-token-cost`.
    pub daily_tokens: Option<u64>,
}

impl RateLimits {
    pub fn for_plan(plan: Plan) -> Self {
        RateLimits {
            burst_per_2s: plan.burst_per_2s(),
            daily_tokens: plan.daily_tokens(),
        }
    }
    pub fn unlimited() -> Self {
        Self::for_plan(Plan::Unlimited)
    }
}

/// Faults injected into API answers; all draws come from one generator seeded with `seed`.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    pub seed: u64,
    /// How long after a request came its answer goes (worked out meanwhile), plus up to
    /// `jitter`.
    pub latency: Duration,
    pub jitter: Duration,
    /// Share (0..=1) of requests answered with a 5xx.
    pub error_rate: f64,
    /// Share of requests answered with 429 whatever the budget says.
    pub throttle_rate: f64,
    /// Share of requests whose connection is dropped mid-answer.
    pub drop_rate: f64,
    /// Pause between body chunks (makes every body slow to arrive).
    pub slow_body: Duration,
    /// Pipedrive's edge has blocked the token: every API request gets a 403 HTML page.
    pub blocked: bool,
    /// Every success answer spoiled this way.
    pub spoil: Option<Spoil>,
}

/// How a success answer is spoiled on the way (see `spoil.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spoil {
    /// The body cut in half: a complete HTTP answer whose JSON breaks off.
    Truncated,
    /// Bytes that are not UTF-8 at the start of the first string.
    InvalidUtf8,
    /// The first number of the first record (after its id) sent as text.
    WrongType,
    /// A page that opens and then sends `mib` MiB of spaces, with no length given.
    Endless { mib: u32 },
    /// A gateway's 502 HTML page instead of the answer.
    GatewayPage,
}

impl Faults {
    pub fn none() -> Self {
        Self::default()
    }
}

/// A registered OAuth app of the sandbox's authorization server.
#[derive(Clone, Debug)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: String,
    /// Allowed redirect URIs; empty allows any loopback URI.
    pub redirect_uris: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct OAuthSettings {
    pub apps: Vec<OAuthApp>,
    pub access_token_lifetime: Duration,
    pub code_lifetime: Duration,
    /// Approve consent requests at once instead of showing the consent page.
    pub auto_approve: bool,
}

impl Default for OAuthSettings {
    fn default() -> Self {
        OAuthSettings {
            apps: vec![OAuthApp {
                client_id: "sandbox-client".into(),
                client_secret: "sandbox-secret".into(),
                redirect_uris: vec![],
            }],
            access_token_lifetime: Duration::from_secs(3599),
            code_lifetime: Duration::from_secs(300),
            auto_approve: false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct SandboxConfig {
    pub seed: u64,
    pub sizes: DataSizes,
    /// API tokens accepted in `x-api-token` / `api_token`.
    pub api_tokens: Vec<String>,
    pub company_domain: String,
    pub limits: RateLimits,
    pub faults: Faults,
    pub oauth: OAuthSettings,
    /// Features the company does not have, by scope family (`projects`, `goals`, ...): every
    /// endpoint of the family answers 403, as for an account whose plan lacks it.
    pub features_off: Vec<String>,
    /// Serve HTTPS with certificates made up at start, instead of HTTP.
    pub tls: Option<TlsSettings>,
}

/// The server certificate of an HTTPS sandbox.
#[derive(Clone, Debug)]
pub struct TlsSettings {
    /// Host names and IP addresses it is valid for.
    pub names: Vec<String>,
    /// Valid in 2020 only, so that clients refuse it as expired.
    pub expired: bool,
}

impl Default for TlsSettings {
    fn default() -> Self {
        TlsSettings {
            names: vec!["127.0.0.1".into(), "localhost".into()],
            expired: false,
        }
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            seed: 7,
            sizes: DataSizes::default(),
            api_tokens: vec!["sandbox-token".into()],
            company_domain: "sandbox".into(),
            limits: RateLimits::unlimited(),
            faults: Faults::none(),
            oauth: OAuthSettings::default(),
            features_off: vec![],
            tls: None,
        }
    }
}
