//! A v2 list walked by several cursors at once, so that a whole-table scan is not bound by one
//! cursor's round trips, in no more requests than the burst budget calls for.
//!
//! 1. The first page in id order, as a plain walk's. A list that fits in one page is done here
//!    (one request). Otherwise the first page of the descending id order follows (both go at
//!    once when an earlier answer told a burst budget of at least [`RACING_PROBES`]). Ids are
//!    whole numbers, so no more rows lie between the two pages than ids do (fewer where rows
//!    were deleted); the density of the two pages gives the estimate, and their rows' update
//!    times are a sample of the list's.
//! 2. What lies between is walked in one of two ways.
//!    - **From both ends**, when the burst budget binds (the pages cannot all go in one burst
//!      window) and two cursors at the probe's round trip keep it busy, or when few pages lie
//!      between: each end goes on with its own cursor, towards the other, in full pages (the
//!      second end only while a whole page more is expected between them), until their ids
//!      meet: next to each other, or crossed. An update does not move a row in id order, so
//!      the requests are the pages and nothing more.
//!    - **In update-time windows** otherwise (and when the two pages had no ids, or were not
//!      in the order asked for): the whole time range is cut into windows (`updated_since` /
//!      `updated_until`) at the sample's quantiles, walked with their own cursors in
//!      update-time order. When the budget has room for it, one wave of windows expected 0.7
//!      pages full, so most end in their first page: the rows come in about one round trip.
//!      Else windows of about 1.8 pages or more each, several pages at a time: when every page
//!      fits in the burst budget, as many windows at once as its room for their part pages
//!      allows, else as many as keep the budget busy ([`IN_FLIGHT`] while the budget is
//!      unknown). When a slot is free, a window whose page shows at least two more pages to
//!      come is split at the middle of what it has left, so dense stretches of time end up
//!      walked by several cursors. Each window's last page is a part page, and the two ends'
//!      rows come again: requests traded for time. Then a catch-up walk of the rows updated
//!      since the newest time the two ends showed: a row updated while the windows are walked
//!      leaves its place and lands there (the API stamps an update with its own clock, never
//!      earlier than any time it has shown).
//!
//! Rows are handed out once each: their ids are remembered, and a row seen again (where the
//! ends meet, at a window's edge, or moved by an update into the catch-up) is dropped. A
//! window's last page (its answer's text ends saying no page follows) is not outlined: its
//! rows are checked against the ids handed out when they are read, which saves the page a
//! pass. What a scan gives: every row that exists from its start to its end, exactly once,
//! with the values of one moment between the two; a row created during the scan may be
//! there, a row deleted during it may be missing.

use crate::client::Client;
use crate::error::Error;
use crate::page::{
    joined, outlined_page, HandedOut, InFlight, ListRequest, Outlined, Page, Repeats, Rows,
};
use chrono::{DateTime, NaiveDateTime};
use futures_util::future::BoxFuture;
use futures_util::stream::{self, FuturesUnordered, Stream, StreamExt};
use futures_util::FutureExt;
use std::collections::VecDeque;

/// Page requests a windowed walk keeps in flight while it knows no burst budget, and the
/// fewest windows it walks at once when every page fits in the budget; the rate budget still
/// decides when each request is sent.
pub const IN_FLIGHT: usize = 8;

/// The most windows of several pages a walk sends at once when it knows the burst budget: when
/// the whole list fits in it (but not as a wave of one round trip), one wave instead of
/// [`IN_FLIGHT`] cursors each walking several pages one after another; when it does not, as
/// many cursors as keep the budget busy. It bounds the answers held at once (about 1 MB each
/// for a page of 500 deals).
pub const MOST_AT_ONCE: usize = 24;

/// The most windows of a wave that takes the whole list in one round trip: each window expected
/// to hold [`ONE_TRIP_FILL`] of a page, so that most fit in one. The answers held at once are
/// then about the list itself (at most about 45 pages).
pub const ONE_TRIP_MOST: usize = 64;

/// How full a window of a one-round-trip wave is expected to be, in tenths of a page: room for
/// the sample's error in the cut, so few windows spill into a second page. The two probes' 1,000
/// rows put about 17 sample times in each window of a 40-page list, so a window's share is
/// known to about a quarter: about one window in 30 spills, and a scan of 20,000 deals has one
/// spilled window, whose second page delays the catch-up by a round trip. Half a page (80
/// windows) ends the spills (84 requests instead of 63), and the engine alone took 0.47 to 0.51
/// s instead of 0.52 to 0.57 s at 160 per 2 s and 80 ms; but through pyodbc, in 14 alternated
/// runs, the more and smaller pages cost the application as much as the round trip saved (0.69
/// to 0.86 s against 0.70 to 0.87 s), for a third more requests of the daily budget.
const ONE_TRIP_FILL: usize = 7;

/// How a list is cut by update time: its two filter parameters (`since` inclusive, `until`
/// exclusive, RFC 3339), the `sort_by` value that orders by that time, and the record's field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindows {
    pub since_param: &'static str,
    pub until_param: &'static str,
    pub sort_by: &'static str,
    pub field: &'static str,
}

/// Rows updated in `[lo, hi)` (seconds since the epoch; no `hi`: up to now), walked from
/// `cursor`.
#[derive(Debug, Clone)]
struct Window {
    lo: i64,
    hi: Option<i64>,
    cursor: Option<String>,
    /// The catch-up walk, which is never split.
    catch_up: bool,
}

#[derive(Debug, Clone)]
enum Part {
    /// A page of the walk from one end of the list in id order: the lowest ids first, or
    /// (`desc`) the highest first, after `cursor`.
    End {
        desc: bool,
        cursor: Option<String>,
    },
    Window(Window),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// The first page of each end.
    Probing,
    /// Walking on from both ends towards each other.
    Ends,
    Windows,
    CatchingUp,
    Done,
}

/// The ends of the list, as indexes of [`Walk::ends`].
const LOWEST: usize = 0;
const HIGHEST: usize = 1;

/// From this burst budget on (requests per window, known from an earlier answer), the two
/// probes go at once: one round trip less before the rows between them go, for one request
/// more where the list fits in one page. It is the budget a wave of [`MOST_AT_ONCE`] windows
/// of two pages takes; below it, the scans that cannot go as a wave are paced by the budget,
/// not by round trips.
const RACING_PROBES: usize = 2 * MOST_AT_ONCE;

/// At most this many pages between the two ends are walked from the ends whatever the budget:
/// two cursors take them in as many round trips as a wave of windows and its catch-up, in
/// fewer requests.
const FEW_PAGES: usize = 6;

/// How far the walk from one end of the list has got.
#[derive(Debug, Default)]
struct EndWalk {
    /// The cursor of its next page: `None` before its first page and after its last.
    cursor: Option<String>,
    /// The ids of the first and of the last row it read.
    first: Option<i64>,
    reached: Option<i64>,
    rows: usize,
    running: bool,
}

impl EndWalk {
    /// Whether its rows had ids, the first and the last in the direction asked for.
    fn in_order(&self, desc: bool) -> bool {
        match (self.first, self.reached) {
            (Some(first), Some(reached)) if desc => first >= reached,
            (Some(first), Some(reached)) => first <= reached,
            _ => false,
        }
    }

    /// How many ids its rows have covered.
    fn span(&self) -> i64 {
        match (self.first, self.reached) {
            (Some(first), Some(reached)) => reached.abs_diff(first).saturating_add(1) as i64,
            _ => 0,
        }
    }
}

/// How the rows between the two ends are walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pace {
    FromEnds,
    /// The whole list in `cut` update-time windows, `at_once` walked at once.
    Windows {
        cut: usize,
        at_once: usize,
    },
}

impl Pace {
    /// `at_once` windows walked at once, of about 1.8 pages each ([`windows_for`]) for a list
    /// of `pages`, or fewer larger ones.
    fn windows(pages: usize, at_once: usize) -> Pace {
        Pace::Windows {
            cut: windows_for(pages).clamp(1, at_once),
            at_once,
        }
    }
}

type Running = FuturesUnordered<BoxFuture<'static, (Part, Result<Outlined, Error>)>>;

struct Walk {
    client: Client,
    /// The caller's request without its time bounds.
    base: ListRequest,
    spec: TimeWindows,
    since: Option<i64>,
    until: Option<i64>,
    running: Running,
    queue: VecDeque<Window>,
    /// The walks from the lowest and from the highest id.
    ends: [EndWalk; 2],
    /// The update times of the two ends' first pages: where windows are cut.
    sample: Vec<i64>,
    /// The newest update time the two ends showed, once the list goes in windows: where the
    /// catch-up starts.
    newest: Option<i64>,
    stage: Stage,
    /// Cursors walked at once: up to [`ONE_TRIP_MOST`] or [`MOST_AT_ONCE`] windows when the
    /// burst budget has room, fewer when it, not latency, bounds the scan; two from the ends.
    width: usize,
    /// When the descending probe was sent: its round trip sizes `width`.
    desc_sent: Option<std::time::Instant>,
    /// Ids handed out (compressed: a million dense ids take a few hundred kilobytes), shared
    /// with the pages handed out unread, which find their repeats when they are read.
    seen: HandedOut,
    /// Pages to hand out, in order, their rows still in their answers: whoever reads them
    /// decodes them, off the walk's path.
    ready: VecDeque<Page>,
}

/// The pages of `req` walked from both ends or in update-time windows, or `None` when its time
/// bounds cannot be read (the caller then walks it plainly).
pub(crate) fn windowed(
    client: Client,
    req: ListRequest,
    spec: TimeWindows,
) -> Option<impl Stream<Item = Result<Page, Error>> + Send + 'static> {
    let mut base = req;
    let mut bound = |param: &str| -> Result<Option<i64>, ()> {
        let at = base.query.iter().position(|(k, _)| k == param);
        at.map(|i| parse_time(&base.query.remove(i).1).ok_or(()))
            .transpose()
    };
    let since = bound(spec.since_param).ok()?;
    let until = bound(spec.until_param).ok()?;
    base.query
        .retain(|(k, _)| !matches!(k.as_str(), "sort_by" | "sort_direction" | "cursor"));
    base.max_rows = None;
    let mut walk = Walk {
        client,
        base,
        spec,
        since,
        until,
        running: FuturesUnordered::new(),
        queue: VecDeque::new(),
        ends: Default::default(),
        sample: Vec::new(),
        newest: None,
        stage: Stage::Probing,
        width: IN_FLIGHT,
        desc_sent: None,
        seen: HandedOut::default(),
        ready: VecDeque::new(),
    };
    walk.start(Part::End {
        desc: false,
        cursor: None,
    });
    if walk
        .client
        .burst_budget()
        .is_some_and(|n| n as usize >= RACING_PROBES)
    {
        walk.start_descending_probe();
    }
    Some(stream::unfold(walk, |mut walk| async move {
        loop {
            // in windows, the answers already in are taken before a page is handed out: what
            // follows them (a window's next page, the catch-up) goes out now, not once the
            // reader has taken every page before them
            while matches!(walk.stage, Stage::Windows | Stage::CatchingUp) {
                let Some(Some(answer)) = walk.running.next().now_or_never() else {
                    break;
                };
                if let Err(e) = walk.take(answer) {
                    return Some((Err(e), walk));
                }
            }
            walk.fill();
            if let Some(page) = walk.ready.pop_front() {
                return Some((Ok(page), walk));
            }
            let answer = walk.running.next().await?;
            if let Err(e) = walk.take(answer) {
                return Some((Err(e), walk));
            }
        }
    }))
}

impl Walk {
    fn request(&self, part: &Part) -> ListRequest {
        let mut req = self.base.clone();
        let (since, until, sort_by, desc) = match part {
            Part::End { desc, .. } => (self.since, self.until, "id", *desc),
            Part::Window(w) => (Some(w.lo), w.hi, self.spec.sort_by, false),
        };
        if let Some(t) = since {
            req.query
                .push((self.spec.since_param.into(), format_time(t)));
        }
        if let Some(t) = until {
            req.query
                .push((self.spec.until_param.into(), format_time(t)));
        }
        req.query.push(("sort_by".into(), sort_by.into()));
        let direction = if desc { "desc" } else { "asc" };
        req.query.push(("sort_direction".into(), direction.into()));
        req
    }

    fn start(&mut self, part: Part) {
        let req = self.request(&part);
        let cursor = match &part {
            Part::Window(w) => w.cursor.clone(),
            Part::End { desc, cursor } => {
                self.ends[end_of(*desc)].running = true;
                cursor.clone()
            }
        };
        let client = self.client.clone();
        let field = self.spec.field;
        // a window's last page needs no outline: nothing follows it, nor is it split
        let unread_if_last = matches!(part, Part::Window(_));
        let task = InFlight(tokio::spawn(async move {
            outlined_page(&client, &req, cursor, field, unread_if_last).await
        }));
        self.running.push(
            async move {
                let mut task = task;
                (part, joined((&mut task.0).await, "page request"))
            }
            .boxed(),
        );
    }

    /// An answer: its page taken, or the walk ended by its error.
    fn take(&mut self, (part, result): (Part, Result<Outlined, Error>)) -> Result<(), Error> {
        match result {
            Ok(page) => {
                self.answered(part, page);
                Ok(())
            }
            Err(e) => {
                self.stage = Stage::Done;
                self.running = FuturesUnordered::new();
                self.ready.clear();
                Err(e)
            }
        }
    }

    /// Starts queued windows while slots are free and the rows held (pages on their way counted
    /// full, and the rows waiting for the reader) are no more than `width` full pages; moves on
    /// to the catch-up, then to the end, when nothing is left.
    fn fill(&mut self) {
        let page = self.client.page_size();
        let waiting = self.ready.iter().map(|p| p.rows.len()).sum::<usize>();
        while self.running.len() < self.width
            && self.running.len() + waiting.div_ceil(page) <= self.width
        {
            match self.queue.pop_front() {
                Some(w) => self.start(Part::Window(w)),
                None => break,
            }
        }
        if !self.running.is_empty() || !self.queue.is_empty() {
            return;
        }
        match (self.stage, self.newest) {
            (Stage::Windows, Some(newest)) => {
                self.stage = Stage::CatchingUp;
                self.start(Part::Window(Window {
                    lo: newest,
                    hi: self.until,
                    cursor: None,
                    catch_up: true,
                }));
            }
            (Stage::Probing | Stage::Ends, _) => {}
            _ => self.stage = Stage::Done,
        }
    }

    fn answered(&mut self, part: Part, page: Outlined) {
        match part {
            Part::End { desc, .. } => self.end_answered(end_of(desc), page),
            Part::Window(w) => {
                let next = page.next_cursor().map(str::to_string);
                let (first, reached) = times(&page);
                let rows = page.ids().len();
                self.deliver(page);
                let Some(cursor) = next else { return };
                let free = self
                    .width
                    .saturating_sub(self.running.len() + self.queue.len());
                match (w.hi, first, reached) {
                    (Some(hi), Some(first), Some(reached))
                        if !w.catch_up
                            && free >= 2
                            && hi - reached >= 2
                            && rows_in(hi - reached, rows, reached - first) >= 2 * rows =>
                    {
                        // split what is left so the free slot takes half of it
                        let mid = reached + (hi - reached) / 2;
                        tracing::debug!(parent: self.client.span(), lo = reached, mid, hi, "splitting an update-time window");
                        for (lo, hi) in [(reached, mid), (mid, hi)] {
                            self.queue.push_back(Window {
                                lo,
                                hi: Some(hi),
                                cursor: None,
                                catch_up: false,
                            });
                        }
                    }
                    _ => self.queue.push_front(Window {
                        cursor: Some(cursor),
                        ..w
                    }),
                }
            }
        }
    }

    /// A page from one end: hand its rows out and decide what comes next.
    fn end_answered(&mut self, at: usize, page: Outlined) {
        let ids = page.ids().iter().flatten();
        let (first, last) = (ids.clone().next().copied(), ids.last().copied());
        let end = &mut self.ends[at];
        end.running = false;
        end.cursor = page.next_cursor().map(str::to_string);
        if end.first.is_none() {
            end.first = first;
        }
        end.rows += page.ids().len();
        if last.is_some() {
            end.reached = last;
        }
        let more = end.cursor.is_some();
        if self.stage == Stage::Probing {
            let times = page.times().iter().flatten();
            self.sample.extend(times.filter_map(|t| parse_time(t)));
        }
        self.deliver(page);
        match (self.stage, at) {
            // the whole list fitted in the first page, or the descending page held it all, as
            // of one moment (the other probe, if on its way, brings nothing new)
            (Stage::Probing, _) if !more => self.stage = Stage::Done,
            (Stage::Probing, LOWEST) if self.desc_sent.is_none() => self.start_descending_probe(),
            // the other probe is on its way
            (Stage::Probing, _) if self.ends.iter().any(|e| e.running) => {}
            (Stage::Probing, _) => self.probed(),
            (Stage::Ends, _) => self.go_on_from_ends(),
            _ => {}
        }
    }

    fn start_descending_probe(&mut self) {
        self.desc_sent = Some(std::time::Instant::now());
        self.start(Part::End {
            desc: true,
            cursor: None,
        });
    }

    /// Both ends have come: plan how the rows between them are walked.
    fn probed(&mut self) {
        // rows without whole-number ids cannot be walked towards each other, nor pages not in
        // the order asked for: then the whole list goes in windows
        if !(self.ends[LOWEST].in_order(false) && self.ends[HIGHEST].in_order(true)) {
            self.stage = Stage::Windows;
            return self.cut(IN_FLIGHT, IN_FLIGHT);
        }
        self.stage = Stage::Ends;
        let Some(rows) = self.between_ends() else {
            self.stage = Stage::Done;
            return;
        };
        let pages = rows.div_ceil(self.client.page_size().max(1));
        match self.pace(pages) {
            Pace::FromEnds => {
                tracing::debug!(parent: self.client.span(), pages, "scan walked on from both ends");
                self.width = 2;
                self.go_on_from_ends();
            }
            Pace::Windows { cut, at_once } => {
                self.stage = Stage::Windows;
                self.cut(cut, at_once);
            }
        }
    }

    /// Cuts the whole time range into `n` windows, `width` walked at once, at the sample's
    /// quantiles. The first window takes every time before the sample's, the last every time
    /// after it. Without a sample (rows without a readable time), one window, and no catch-up.
    fn cut(&mut self, n: usize, width: usize) {
        self.width = width;
        self.sample.sort_unstable();
        let lo = self.since.unwrap_or(0);
        let len = self.sample.len();
        let mut cuts: Vec<i64> = (1..n)
            .filter_map(|i| self.sample.get(i * len / n).copied())
            .filter(|&t| t > lo && self.until.is_none_or(|u| t < u))
            .collect();
        cuts.dedup();
        let ends = std::iter::once(lo).chain(cuts.iter().copied());
        let his = cuts.iter().copied().map(Some).chain([self.until]);
        for (lo, hi) in ends.zip(his) {
            self.queue.push_back(Window {
                lo,
                hi,
                cursor: None,
                catch_up: false,
            });
        }
        self.newest = self.sample.last().copied();
        tracing::debug!(
            parent: self.client.span(),
            windows = cuts.len() + 1,
            at_once = width,
            "scan cut into update-time windows"
        );
    }

    /// After a page from one end (or the two probes): the first idle end takes its next page
    /// while any row may lie between the ends, the second only while a whole page more than
    /// the pages on their way is expected there. When neither runs, the walk is done.
    fn go_on_from_ends(&mut self) {
        let page = self.client.page_size();
        let mut on_way = page * self.ends.iter().filter(|e| e.running).count();
        if let Some(between) = self.between_ends() {
            for at in [LOWEST, HIGHEST] {
                let end = &self.ends[at];
                if end.running || (on_way > 0 && between < on_way + page) {
                    continue;
                }
                let Some(cursor) = end.cursor.clone() else {
                    continue;
                };
                on_way += page;
                self.start(Part::End {
                    desc: at == HIGHEST,
                    cursor: Some(cursor),
                });
            }
        }
        if !self.ends.iter().any(|e| e.running) {
            self.stage = Stage::Done;
        }
    }

    /// The rows estimated to lie between the two ends: at the density they have seen, and no
    /// more than the ids between them. `None` once they have met: their ids next to each
    /// other or crossed, or one of them at the other end of the list.
    fn between_ends(&self) -> Option<usize> {
        let [low, high] = &self.ends;
        low.cursor.as_ref()?;
        high.cursor.as_ref()?;
        let (Some(a), Some(d)) = (low.reached, high.reached) else {
            return Some(usize::MAX);
        };
        let ids = d.checked_sub(a)?.checked_sub(1).filter(|&n| n > 0)?;
        let covered = low.span().saturating_add(high.span());
        let rows = rows_in(ids, low.rows + high.rows, covered);
        Some(rows.min(ids as usize))
    }

    /// How to walk the pages between the ends, at the burst budget learned so far and the
    /// descending probe's round trip.
    fn pace(&self, pages: usize) -> Pace {
        let round_trip = self.desc_sent.map(|sent| sent.elapsed());
        pace(pages, self.client.burst_budget(), round_trip)
    }

    /// Hands out the page's rows not handed out before (each id once): found now from its
    /// outline, or by whoever reads a page taken unread.
    fn deliver(&mut self, page: Outlined) {
        let repeats = if page.unread() {
            Repeats::unread(self.seen.clone())
        } else {
            let ids = page.ids();
            let skip = Repeats::found(ids.iter().copied(), &self.seen);
            if skip.len() == ids.len() {
                return;
            }
            Repeats::At(skip)
        };
        let rows = Rows::Answer(page.answer(&self.base, repeats, self.client.page_size()));
        self.ready.push_back(Page { rows });
    }
}

/// The update times of a page's first and last rows.
fn times(page: &Outlined) -> (Option<i64>, Option<i64>) {
    let time = |t: Option<&Option<String>>| t.and_then(Option::as_deref).and_then(parse_time);
    let times = page.times();
    (time(times.first()), time(times.last()))
}

/// The windows `pages` pages are cut into at most: each of about 1.8 pages, so that most end
/// in their second request (a full page, then a part page) and few spill into a third. Each
/// window's last page is a part page: fewer windows, fewer requests; but a window's pages come
/// one after another.
fn windows_for(pages: usize) -> usize {
    pages.saturating_mul(5).div_ceil(9)
}

/// How to walk `pages` pages between the two ends under a burst budget of `budget` requests
/// per window, with pages taking `round_trip`. A few pages go from the ends. When the whole
/// list goes again in one burst window, the budget is used: if it has room, in one wave of
/// windows that most fit in one page (up to [`ONE_TRIP_MOST`]), so the rows come in about one
/// round trip; else all the windows [`windows_for`] cuts at once, as far as the budget has room
/// for the part pages they end in (up to [`MOST_AT_ONCE`]), in about two. When it cannot, the
/// budget sets the pace, and enough cursors to send its requests per window at that round trip
/// are enough: two, from the ends, if two do (every page full, nothing read twice), else as
/// many windows (each ends in a part page, which the budget pays for too).
fn pace(pages: usize, budget: Option<u32>, round_trip: Option<std::time::Duration>) -> Pace {
    if pages <= FEW_PAGES {
        return Pace::FromEnds;
    }
    // the whole list in windows: the pages between, the two ends' pages again
    let list = pages.saturating_add(2);
    let (Some(budget), Some(round_trip)) = (budget, round_trip) else {
        return Pace::windows(list, IN_FLIGHT);
    };
    // beyond the list's pages, the two probes and the catch-up
    if let Some(room) = (budget as usize).checked_sub(list + 3) {
        let one_trip = list.saturating_mul(10).div_ceil(ONE_TRIP_FILL);
        if one_trip <= ONE_TRIP_MOST && one_trip - list <= room {
            return Pace::Windows {
                cut: one_trip,
                at_once: one_trip,
            };
        }
        // each window adds a part page
        let wave = windows_for(list).min(room).min(MOST_AT_ONCE);
        return Pace::windows(list, wave.max(IN_FLIGHT));
    }
    let per_second = budget as f64 / crate::budget::WINDOW.as_secs_f64();
    let busy = (per_second * round_trip.as_secs_f64()).ceil() as usize;
    match busy {
        0..=2 => Pace::FromEnds,
        _ => Pace::windows(list, (busy + 1).clamp(2, MOST_AT_ONCE)),
    }
}

/// The index in [`Walk::ends`] of the walk in this direction.
fn end_of(desc: bool) -> usize {
    if desc {
        HIGHEST
    } else {
        LOWEST
    }
}

/// How many rows `span` (seconds or ids) holds when `rows` rows took `over`.
fn rows_in(span: i64, rows: usize, over: i64) -> usize {
    (span.max(0) as u128 * rows as u128 / over.max(1) as u128).min(usize::MAX as u128) as usize
}

/// Seconds since the epoch of an RFC 3339 time (`2025-01-01T10:20:00Z`) or of
/// `2025-01-01 10:20:00` (UTC).
fn parse_time(text: &str) -> Option<i64> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp())
        .or_else(|_| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
                .map(|t| t.and_utc().timestamp())
        })
        .ok()
}

fn format_time(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_pace_follows_the_budget_and_the_round_trip() {
        let ms = |n| Some(Duration::from_millis(n));
        // (pages between the ends, requests per 2 s, round trip, pace)
        let w = |cut, at_once| Pace::Windows { cut, at_once };
        let cases = [
            (38, None, ms(80), w(IN_FLIGHT, IN_FLIGHT)),
            (38, Some(40), None, w(IN_FLIGHT, IN_FLIGHT)),
            // a few pages go from the ends, budget or not
            (6, None, None, Pace::FromEnds),
            (6, Some(480), ms(80), Pace::FromEnds),
            // the whole list again, the probes and the catch-up fit in one window, with room
            // for a wave of windows 0.7 pages full: one round trip
            (7, Some(480), ms(80), w(13, 13)),
            (38, Some(160), ms(80), w(58, 58)),
            (42, Some(160), ms(80), w(63, 63)),
            // no room for it: windows of about 1.8 pages, all at once, each with its part page
            (43, Some(160), ms(80), w(MOST_AT_ONCE, MOST_AT_ONCE)),
            (38, Some(60), ms(80), w(17, 17)),
            (38, Some(55), ms(80), w(12, 12)),
            (38, Some(45), ms(80), w(IN_FLIGHT, IN_FLIGHT)),
            (35, Some(40), ms(80), w(IN_FLIGHT, IN_FLIGHT)),
            (100, Some(480), ms(80), w(MOST_AT_ONCE, MOST_AT_ONCE)),
            // the budget binds: two cursors at 80 ms send 25 a second, more than its 20
            (38, Some(40), ms(80), Pace::FromEnds),
            (36, Some(40), ms(80), Pace::FromEnds),
            (38, Some(40), ms(100), Pace::FromEnds),
            (1_000, Some(20), ms(150), Pace::FromEnds),
            // two are too slow for it: as many windows as keep it busy, and one more
            (38, Some(40), ms(120), w(4, 4)),
            (1_000, Some(160), ms(80), w(8, 8)),
            // a larger budget keeps more cursors busy
            (1_000, Some(480), ms(80), w(21, 21)),
            (1_000, Some(960), ms(80), w(MOST_AT_ONCE, MOST_AT_ONCE)),
        ];
        for (pages, budget, round_trip, expected) in cases {
            assert_eq!(
                pace(pages, budget, round_trip),
                expected,
                "{pages} pages, {budget:?} per 2 s, {round_trip:?}"
            );
        }
    }

    #[test]
    fn an_end_walked_out_of_the_order_asked_for_is_told() {
        // (first id, last id, descending asked, in order)
        let cases = [
            (Some(1), Some(500), false, true),
            (Some(1), Some(500), true, false),
            (Some(900), Some(401), true, true),
            (Some(900), Some(401), false, false),
            (Some(7), Some(7), true, true),
            (None, Some(7), false, false),
            (None, None, true, false),
        ];
        for (first, reached, desc, expected) in cases {
            let end = EndWalk {
                first,
                reached,
                ..EndWalk::default()
            };
            assert_eq!(
                end.in_order(desc),
                expected,
                "{first:?}..{reached:?} desc {desc}"
            );
        }
    }

    #[test]
    fn times_read_and_written_as_the_api_takes_them() {
        let t = parse_time("2025-01-01T10:20:00Z").expect("rfc 3339");
        assert_eq!(format_time(t), "2025-01-01T10:20:00Z");
        assert_eq!(parse_time("2025-01-01 10:20:00"), Some(t));
        assert_eq!(parse_time("2025-01-01T11:20:00+01:00"), Some(t));
        assert_eq!(parse_time("yesterday"), None);
    }
}
