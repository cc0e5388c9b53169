//! A stream read ahead by a task of its own, so that what producing its items takes (walking a
//! list's cursors, decoding pages) goes on while the consumer is busy with the items it has,
//! up to a few items ahead. Dropping the returned stream stops the task, and with it whatever
//! the stream was doing (page requests in flight are cancelled with it).

use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Stops the task when the stream reading from it is dropped.
struct Reader<T> {
    items: mpsc::Receiver<T>,
    task: JoinHandle<()>,
}

impl<T> Drop for Reader<T> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `stream` read by a task on the current tokio runtime, at most `depth` items ahead of the
/// consumer; outside a runtime, `stream` as it is (read by whoever polls it).
pub fn read_ahead<S, T>(stream: S, depth: usize) -> stream::BoxStream<'static, T>
where
    S: Stream<Item = T> + Send + 'static,
    T: Send + 'static,
{
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return stream.boxed();
    };
    let (sender, items) = mpsc::channel(depth.max(1));
    let task = runtime.spawn(async move {
        let mut stream = std::pin::pin!(stream);
        while let Some(item) = stream.next().await {
            if sender.send(item).await.is_err() {
                return; // the consumer is gone
            }
        }
    });
    stream::unfold(Reader { items, task }, |mut reader| async move {
        let item = reader.items.recv().await?;
        Some((item, reader))
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn items_come_in_order_and_are_produced_ahead_of_the_consumer() {
        let produced = Arc::new(AtomicUsize::new(0));
        let counter = produced.clone();
        let source = stream::iter(0..10).map(move |i| {
            counter.fetch_add(1, Ordering::SeqCst);
            i
        });
        let mut ahead = read_ahead(source, 3);
        assert_eq!(ahead.next().await, Some(0));
        // while the consumer holds item 0, the task fills the channel: 3 waiting, 1 held by the
        // blocked send
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(produced.load(Ordering::SeqCst), 5);
        let rest: Vec<i32> = ahead.collect().await;
        assert_eq!(rest, (1..10).collect::<Vec<_>>());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dropping_the_stream_stops_the_producer() {
        let produced = Arc::new(AtomicUsize::new(0));
        let counter = produced.clone();
        let source = stream::unfold(0u64, move |i| {
            let counter = counter.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                counter.fetch_add(1, Ordering::SeqCst);
                Some((i, i + 1))
            }
        });
        let mut ahead = read_ahead(source, 1_000);
        assert_eq!(ahead.next().await, Some(0));
        drop(ahead);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let at_drop = produced.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(produced.load(Ordering::SeqCst), at_drop);
    }

    #[test]
    fn outside_a_runtime_the_stream_is_read_by_its_consumer() {
        let mut ahead = read_ahead(stream::iter(vec![1, 2, 3]), 2);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let mut items = vec![];
        // every item is ready at once: no task, no waiting
        while let std::task::Poll::Ready(Some(item)) = ahead.poll_next_unpin(&mut cx) {
            items.push(item);
        }
        assert_eq!(items, vec![1, 2, 3]);
    }
}
