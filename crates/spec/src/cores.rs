//! Work on both cores that gives what one core would, in the same order.
//!
//! Building an operation compiles its schemas: after the parse, most of the work of loading
//! a large spec. Each operation is built from the document alone (schemas compiled once are
//! shared), so the order they are built in cannot change what any of them is: two threads
//! take the next item in turn, and the results are put back in the items' order before
//! anything reads them.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many items one thread does them all (a thread costs more than it saves).
const MIN_SHARED: usize = 16;

/// Stack for the second thread: as much as the main thread has, since schema compilation
/// recurses into nested schemas.
const STACK_BYTES: usize = 8 * 1024 * 1024;

/// `work` applied to every item, on two threads when there are enough items and cores;
/// the results in the items' order. A panic in either thread is passed on.
pub(crate) fn in_order<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let two = items.len() >= MIN_SHARED
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    if !two {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut all = std::thread::scope(|s| {
        // Without a second thread (it could not be started) this one takes every item.
        let other = std::thread::Builder::new()
            .name("cartwright-build".to_owned())
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, || take_indexed(items, &next, &work))
            .ok();
        let mut mine = take_indexed(items, &next, &work);
        if let Some(other) = other {
            mine.extend(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        mine
    });
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Takes the next item not yet taken by either thread until none is left; each result
/// with its item's index.
fn take_indexed<T, R>(items: &[T], next: &AtomicUsize, work: &impl Fn(&T) -> R) -> Vec<(usize, R)> {
    let mut done = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(i) else {
            return done;
        };
        done.push((i, work(item)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_items_order_whichever_thread_made_them() {
        let items: Vec<u64> = (0..500).collect();
        let threads = std::sync::Mutex::new(std::collections::HashSet::new());
        let seen = || threads.lock().expect("unpoisoned").len();
        let out = in_order(&items, |n| {
            threads
                .lock()
                .expect("unpoisoned")
                .insert(std::thread::current().id());
            // The first item waits for the other thread to take one, so both surely work.
            let start = std::time::Instant::now();
            while *n == 0 && seen() < 2 && start.elapsed().as_secs() < 10 {
                std::thread::yield_now();
            }
            n * 3
        });
        assert_eq!(out, items.iter().map(|n| n * 3).collect::<Vec<_>>());
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(seen(), cores.min(2));
    }

    #[test]
    fn few_items_stay_on_this_thread() {
        let here = std::thread::current().id();
        let out = in_order(&[1, 2, 3], |n| (n * 2, std::thread::current().id() == here));
        assert_eq!(out, [(2, true), (4, true), (6, true)]);
    }
}
