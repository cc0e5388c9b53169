//! Whole v2 lists walked by concurrent cursors in update-time order: every row exactly once,
//! also while rows are updated, created and deleted during the walk, whether the rows between
//! the two ends go in windows or (under a binding burst budget) from both ends; few requests
//! beyond the pages; the windows walked at once.

use futures_util::{StreamExt, TryStreamExt};
use pipedrive_api::{ApiVersion, Client, ListRequest, Method, TimeWindows};
use pipedrive_sandbox::{DataSizes, Faults, RateLimits, Sandbox, SandboxConfig};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

mod common;

use common::{client, ids, rows, sandbox};

const DEAL_TIMES: TimeWindows = TimeWindows {
    since_param: "updated_since",
    until_param: "updated_until",
    sort_by: "update_time",
    field: "update_time",
};

fn deals() -> ListRequest {
    ListRequest::new(ApiVersion::V2, "/deals")
}

async fn windowed_ids(c: &Client, req: ListRequest) -> Vec<i64> {
    let pages: Vec<_> = c
        .list_windowed(req, DEAL_TIMES)
        .try_collect()
        .await
        .expect("walk");
    pages.into_iter().flat_map(|p| ids(&rows(p))).collect()
}

fn once_each(ids: &[i64]) -> HashSet<i64> {
    let set: HashSet<i64> = ids.iter().copied().collect();
    assert_eq!(set.len(), ids.len(), "a row came twice");
    set
}

#[tokio::test]
async fn every_row_comes_once_in_few_more_requests_than_pages() {
    let sb = sandbox(12_000, "windows_every_row");
    let c = client(&sb, "windows_every_row");
    let got = windowed_ids(&c, deals()).await;
    assert_eq!(once_each(&got), (1..=12_000).collect::<HashSet<i64>>());
    let requests = sb.stats().route("GET /api/v2/deals");
    // 24 pages; each window's last page is a part page, and one catch-up request
    assert!(
        (24..=24 + pipedrive_api::windows::IN_FLIGHT as u64 + 1).contains(&requests),
        "{requests} requests"
    );

    // a filter stays on every window; a list of one page is one request
    let owner = |r: ListRequest| r.param("owner_id", 2).param("status", "open");
    sb.reset_stats();
    let filtered = windowed_ids(&c, owner(deals())).await;
    let plain: Vec<_> = c.list(owner(deals())).try_collect().await.expect("plain");
    let expected: HashSet<i64> = plain.into_iter().flat_map(|p| ids(&rows(p))).collect();
    assert!(!expected.is_empty());
    assert_eq!(once_each(&filtered), expected);
    sb.reset_stats();
    let few = windowed_ids(
        &c,
        deals()
            .param("owner_id", 2)
            .param("updated_until", "2000-01-01T00:00:00Z"),
    )
    .await;
    assert!(few.is_empty());
    assert_eq!(sb.stats().requests, 1);
}

/// A burst budget of `per_2s` requests on the sandbox's token.
fn budget(sb: &Sandbox, per_2s: u32) {
    sb.set_limits(RateLimits {
        burst_per_2s: Some(per_2s),
        daily_tokens: None,
    });
}

#[tokio::test]
async fn the_burst_budget_decides_the_requests_beyond_the_pages() {
    // (requests per 2 s, deals deleted first, the requests a walk of 12,000 deals makes)
    let cases = [
        // a budget that binds: the walks from both ends in id order, in full pages, until
        // their ids meet; 24 pages and nothing more
        (20, 0..0, 24..=24),
        // deleted rows leave gaps in the ids: the ends expect fewer rows between them than
        // ids (11,250 rows: 23 pages, the last a part page), and where the estimate is off,
        // they may read one page more where they meet
        (20, 5_000..6_500, 23..=24),
        // room for every page: the whole list goes again as one wave of windows, up to
        // MOST_AT_ONCE of them, each ending in a part page; and the catch-up
        (
            160,
            0..0,
            24..=24 + 2 + pipedrive_api::windows::MOST_AT_ONCE as u64 + 1,
        ),
    ];
    for (per_2s, deleted, expected) in cases {
        let token = format!("windows_budget_{per_2s}_{}", deleted.start);
        let sb = sandbox(12_000, &token);
        let c = client(&sb, &token);
        let gone: HashSet<i64> = deleted.step_by(2).collect();
        for id in &gone {
            c.write(
                Method::DELETE,
                ApiVersion::V2,
                &format!("/deals/{id}"),
                None,
            )
            .await
            .expect("delete");
        }
        if !gone.is_empty() {
            // the deletes leave the client's record of its own requests' window
            tokio::time::sleep(Duration::from_millis(2_100)).await;
        }
        budget(&sb, per_2s);
        sb.reset_stats();
        let got = windowed_ids(&c, deals()).await;
        let left: HashSet<i64> = (1..=12_000).filter(|id| !gone.contains(id)).collect();
        assert_eq!(once_each(&got), left);
        let stats = sb.stats();
        let requests = stats.route("GET /api/v2/deals");
        assert!(
            expected.contains(&requests),
            "{requests} requests at {per_2s} per 2 s, {} deleted",
            gone.len()
        );
        assert_eq!(stats.status(429), 0);
    }
}

#[tokio::test]
async fn the_probes_race_once_the_budget_is_known_to_have_room_for_a_wave() {
    // (requests per 2 s, the requests a walk of a one-page list makes): the two probes go at
    // once when an earlier answer told a budget of RACING_PROBES or more, and then the
    // descending one is spent on a list the first page held whole
    for (per_2s, expected) in [(40, 1), (160, 2)] {
        let token = format!("windows_racing_{per_2s}");
        let sb = sandbox(300, &token);
        budget(&sb, per_2s);
        let c = client(&sb, &token);
        assert_eq!(windowed_ids(&c, deals()).await.len(), 300);
        // the first walk learned the budget
        assert_eq!(sb.stats().route("GET /api/v2/deals"), 1);
        sb.reset_stats();
        let got = windowed_ids(&c, deals()).await;
        assert_eq!(once_each(&got), (1..=300).collect::<HashSet<i64>>());
        let requests = sb.stats().route("GET /api/v2/deals");
        assert_eq!(requests, expected, "at {per_2s} per 2 s");
    }
}

#[tokio::test]
async fn the_windows_are_walked_at_once_and_dropping_stops_them() {
    let sb = sandbox(12_000, "windows_at_once");
    sb.set_faults(Faults {
        latency: Duration::from_millis(40),
        ..Faults::none()
    });
    let c = client(&sb, "windows_at_once");
    let mut pages = c.list_windowed(deals(), DEAL_TIMES);
    // the two ends of the list
    for _ in 0..2 {
        assert_eq!(pages.next().await.unwrap().unwrap().rows.len(), 500);
    }
    let mut waited = 0;
    while sb.stats().requests < 4 && waited < 200 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = sb.stats().requests;
    assert!(
        started >= 4,
        "several windows asked for while nothing is read: {started} requests"
    );
    // the walk goes on while nothing is read until it holds WALK_AHEAD pages for its reader
    // (and one more waiting to be handed over), with its requests in flight
    let most = 2 + pipedrive_api::windows::IN_FLIGHT + pipedrive_api::WALK_AHEAD + 1;
    assert!(started <= most as u64, "{started} requests, at most {most}");
    drop(pages);
    // the walk's task stops at its next turn; what it had sent by then arrives
    tokio::time::sleep(Duration::from_millis(100)).await;
    let stopped = sb.stats().requests;
    assert!(stopped <= most as u64, "{stopped} requests, at most {most}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sb.stats().requests, stopped, "nothing more after the drop");
}

#[tokio::test]
async fn rows_changed_during_the_walk_come_once() {
    // in windows, and from both ends under a budget that binds
    for per_2s in [None, Some(8)] {
        changed_during_the_walk(per_2s).await;
    }
}

async fn changed_during_the_walk(per_2s: Option<u32>) {
    let token = format!("windows_changes_{per_2s:?}");
    // the writes go with a token of their own, so they never wait on the walk's budget
    let writer = format!("windows_writes_{per_2s:?}");
    let sb = Sandbox::start(SandboxConfig {
        sizes: DataSizes {
            deals: 6_000,
            ..DataSizes::default()
        },
        api_tokens: vec![token.clone(), writer.clone()],
        ..SandboxConfig::default()
    })
    .expect("sandbox starts");
    if let Some(n) = per_2s {
        budget(&sb, n);
    }
    let c = client(&sb, &token);
    let w = client(&sb, &writer);
    let all: HashSet<i64> = (1..=6_000).collect();
    let write = |method: Method, path: String, body: Option<Value>| {
        let c = w.clone();
        async move {
            c.write(method, ApiVersion::V2, &path, body.as_ref())
                .await
                .expect("write")
        }
    };
    let mut pages = c.list_windowed(deals(), DEAL_TIMES);
    let mut got: Vec<i64> = vec![];
    let mut created = HashSet::new();
    let mut deleted = HashSet::new();
    let mut page_no = 0;
    while let Some(page) = pages.next().await {
        let page = page.expect("page");
        got.extend(ids(&rows(page)));
        page_no += 1;
        if page_no == 2 && per_2s.is_some() {
            // the walk has chosen its pace: the writes below need not wait for the budget
            sb.set_limits(RateLimits::unlimited());
        }
        if page_no == 2 || page_no == 4 {
            // rows not seen yet move to the newest time: out of the windows that would have
            // had them; rows already seen move there too and must not come again
            let seen: HashSet<i64> = got.iter().copied().collect();
            let unseen: Vec<i64> = all
                .difference(&seen)
                .copied()
                .step_by(13)
                .take(150)
                .collect();
            let again: Vec<i64> = got.iter().copied().step_by(7).take(50).collect();
            let updates = unseen.iter().chain(&again).map(|id| {
                write(
                    Method::PATCH,
                    format!("/deals/{id}"),
                    Some(json!({"title": format!("moved {id}")})),
                )
            });
            futures_util::future::join_all(updates).await;
            let new = write(
                Method::POST,
                "/deals".into(),
                Some(json!({"title": "new during the walk"})),
            )
            .await;
            created.insert(new["id"].as_i64().expect("new id"));
            let gone = *unseen.last().expect("an unseen row") + 1;
            if !seen.contains(&gone) && deleted.insert(gone) {
                write(Method::DELETE, format!("/deals/{gone}"), None).await;
            }
        }
    }
    let got = once_each(&got);
    let stayed: HashSet<i64> = all.difference(&deleted).copied().collect();
    assert!(
        got.is_superset(&stayed),
        "missing: {:?}",
        stayed.difference(&got).take(10).collect::<Vec<_>>()
    );
    let known: HashSet<i64> = all.union(&created).copied().collect();
    assert!(got.is_subset(&known));
    assert!(page_no > 4, "the walk had pages after the changes");
}
