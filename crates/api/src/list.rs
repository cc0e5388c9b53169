//! The listing entry points of [`Client`]: a list walked page after page ([`crate::paging`]) or
//! by concurrent cursors in update-time order ([`crate::windows`]). They live here, above both
//! strategies, so that the transport in [`crate::client`] depends on neither.

use crate::ahead::read_ahead;
use crate::client::Client;
use crate::error::Error;
use crate::page::{ListRequest, Page};
use crate::paging::pages;
use crate::windows::{windowed, TimeWindows};
use futures_util::stream::{BoxStream, StreamExt};

/// Pages a windowed walk may hold for its consumer before it waits for it.
pub const WALK_AHEAD: usize = 4;

impl Client {
    /// The pages of a list, the next one requested while the current one is used.
    pub fn list(&self, req: ListRequest) -> BoxStream<'static, Result<Page, Error>> {
        pages(self.clone(), req).boxed()
    }

    /// The pages of a v2 list walked by concurrent cursors in update-time order, from both ends
    /// or in windows (see [`crate::windows`]); in any order, each row once. A list whose time
    /// bounds cannot be read is walked plainly. The walk runs in a task of its own, up to
    /// [`WALK_AHEAD`] pages ahead of the consumer: each cursor's next page goes out as soon as
    /// its answer is in, whatever the consumer is doing.
    pub fn list_windowed(
        &self,
        req: ListRequest,
        spec: TimeWindows,
    ) -> BoxStream<'static, Result<Page, Error>> {
        match windowed(self.clone(), req.clone(), spec) {
            Some(pages) => read_ahead(pages, WALK_AHEAD),
            None => self.list(req),
        }
    }
}
