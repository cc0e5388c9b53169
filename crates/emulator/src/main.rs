//! `pipedrive-sandbox serve`: a local Pipedrive API for demos, tests and benchmarks.

use clap::{Args, Parser, Subcommand};
use pipedrive_sandbox::{
    DataSizes, Faults, OAuthApp, OAuthSettings, Plan, RateLimits, Sandbox, SandboxConfig, Spoil,
    TlsSettings,
};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "pipedrive-sandbox",
    version,
    about = "A local Pipedrive API (v1 + v2) with OAuth, rate limits and fault injection"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the demo company and serve it until interrupted; prints the base URL when ready.
    Serve(Serve),
}

#[derive(Args)]
struct Serve {
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Seed of the demo data (the same seed and sizes give the same data).
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// API token accepted by the sandbox (repeatable).
    #[arg(long = "token", default_value = "sandbox-token")]
    tokens: Vec<String>,
    #[arg(long, default_value = "sandbox")]
    company_domain: String,
    /// A feature the company does not have, by scope family (projects, goals, ...): its
    /// endpoints answer 403; repeat for more
    #[arg(long = "feature-off", value_name = "FAMILY")]
    features_off: Vec<String>,
    /// Serve HTTPS with a certificate issued at start by a made-up authority, whose
    /// certificate is written to this file (a client trusts it with SSLServerCert)
    #[arg(long = "tls-authority-out", value_name = "FILE")]
    tls_authority_out: Option<std::path::PathBuf>,
    #[command(flatten)]
    sizes: Sizes,
    #[command(flatten)]
    limits: Limits,
    #[command(flatten)]
    faults: FaultFlags,
    #[command(flatten)]
    oauth: OAuthFlags,
}

#[derive(Args)]
struct Sizes {
    #[arg(long, default_value_t = 2_000)]
    deals: usize,
    #[arg(long, default_value_t = 1_000)]
    persons: usize,
    #[arg(long, default_value_t = 300)]
    organizations: usize,
    #[arg(long, default_value_t = 2_000)]
    activities: usize,
    #[arg(long, default_value_t = 60)]
    products: usize,
    #[arg(long, default_value_t = 800)]
    notes: usize,
    #[arg(long, default_value_t = 300)]
    leads: usize,
    #[arg(long, default_value_t = 12)]
    users: usize,
    #[arg(long, default_value_t = 40)]
    projects: usize,
    /// Custom fields on deals (they cycle through every custom field type).
    #[arg(long, default_value_t = 20)]
    deal_custom_fields: usize,
}

#[derive(Args)]
struct Limits {
    /// Plan whose burst and daily budgets apply.
    #[arg(long, value_enum, default_value = "unlimited")]
    plan: Plan,
    /// Requests per rolling 2 s per token (overrides the plan).
    #[arg(long)]
    burst: Option<u32>,
    /// Daily token budget per token (overrides the plan).
    #[arg(long)]
    daily_tokens: Option<u64>,
}

#[derive(Args)]
struct FaultFlags {
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Share of requests answered with a 5xx (0..1).
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Share of requests answered with 429 (0..1).
    #[arg(long, default_value_t = 0.0)]
    throttle_rate: f64,
    /// Share of requests whose connection is dropped mid-answer (0..1).
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// Pause between 16 KiB body chunks.
    #[arg(long, default_value_t = 0)]
    slow_body_ms: u64,
    #[arg(long, default_value_t = 1)]
    fault_seed: u64,
    /// Answer every API request with the edge's 403 block page.
    #[arg(long)]
    blocked: bool,
    /// Spoil every success answer: truncated, invalid-utf8, wrong-type, endless:MIB or
    /// gateway-page.
    #[arg(long, value_parser = spoil_of)]
    spoil: Option<Spoil>,
}

fn spoil_of(text: &str) -> Result<Spoil, String> {
    Ok(match text {
        "truncated" => Spoil::Truncated,
        "invalid-utf8" => Spoil::InvalidUtf8,
        "wrong-type" => Spoil::WrongType,
        "gateway-page" => Spoil::GatewayPage,
        other => match other.strip_prefix("endless:").map(str::parse) {
            Some(Ok(mib)) => Spoil::Endless { mib },
            _ => {
                return Err(format!(
                "'{other}': use truncated, invalid-utf8, wrong-type, endless:MIB or gateway-page"
            ))
            }
        },
    })
}

#[derive(Args)]
struct OAuthFlags {
    #[arg(long, default_value = "sandbox-client")]
    client_id: String,
    #[arg(long, default_value = "sandbox-secret")]
    client_secret: String,
    /// Allowed redirect URI (repeatable); none allows any.
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    /// Access token lifetime in seconds.
    #[arg(long, default_value_t = 3599)]
    token_lifetime: u64,
    /// Approve authorization requests without showing the consent page.
    #[arg(long)]
    auto_approve: bool,
}

fn main() {
    let Command::Serve(args) = Cli::parse().command;
    let s = &args.sizes;
    let plan = RateLimits::for_plan(args.limits.plan);
    let config = SandboxConfig {
        seed: args.seed,
        sizes: DataSizes {
            users: s.users,
            organizations: s.organizations,
            persons: s.persons,
            deals: s.deals,
            activities: s.activities,
            products: s.products,
            notes: s.notes,
            leads: s.leads,
            projects: s.projects,
            deal_custom_fields: s.deal_custom_fields,
            ..DataSizes::default()
        },
        api_tokens: args.tokens,
        company_domain: args.company_domain,
        limits: RateLimits {
            burst_per_2s: args.limits.burst.or(plan.burst_per_2s),
            daily_tokens: args.limits.daily_tokens.or(plan.daily_tokens),
        },
        faults: Faults {
            seed: args.faults.fault_seed,
            latency: Duration::from_millis(args.faults.latency_ms),
            jitter: Duration::from_millis(args.faults.jitter_ms),
            error_rate: args.faults.error_rate,
            throttle_rate: args.faults.throttle_rate,
            drop_rate: args.faults.drop_rate,
            slow_body: Duration::from_millis(args.faults.slow_body_ms),
            blocked: args.faults.blocked,
            spoil: args.faults.spoil,
        },
        oauth: OAuthSettings {
            apps: vec![OAuthApp {
                client_id: args.oauth.client_id,
                client_secret: args.oauth.client_secret,
                redirect_uris: args.oauth.redirect_uris,
            }],
            access_token_lifetime: Duration::from_secs(args.oauth.token_lifetime),
            auto_approve: args.oauth.auto_approve,
            ..OAuthSettings::default()
        },
        features_off: args.features_off,
        tls: args
            .tls_authority_out
            .as_ref()
            .map(|_| TlsSettings::default()),
    };
    let started = Instant::now();
    let sandbox = match Sandbox::start_on(config, SocketAddr::new(args.host, args.port)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "pipedrive-sandbox: cannot start on {}:{}: {e}",
                args.host, args.port
            );
            std::process::exit(1);
        }
    };
    eprintln!(
        "pipedrive-sandbox: {} deals generated in {:.1}s; API at {}/api/v2 and /api/v1, OAuth at {}/oauth",
        sandbox.count("deals"),
        started.elapsed().as_secs_f64(),
        sandbox.base_url(),
        sandbox.base_url()
    );
    if let (Some(path), Some(pem)) = (&args.tls_authority_out, sandbox.authority_certificate()) {
        if let Err(e) = std::fs::write(path, pem) {
            eprintln!(
                "pipedrive-sandbox: cannot write the authority certificate to {}: {e}",
                path.display()
            );
            std::process::exit(1);
        }
    }
    println!("{}", sandbox.base_url());
    let _ = std::io::stdout().flush();
    sandbox.wait();
}
