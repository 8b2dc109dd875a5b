//! Log lines leave the request path at once: each finished line is copied into a shared
//! buffer that a thread of its own empties every few milliseconds, so a slow or blocked
//! stderr (a pipe nobody reads, a terminal being scrolled) never holds up an answer, and a
//! request pays for neither an allocation nor waking a thread. When the buffer is full the
//! line is dropped and counted; the count is reported as a warning line, periodically while
//! lines are being dropped and once more at shutdown.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tracing_subscriber::fmt::MakeWriter;

/// How many bytes of lines may wait for the writer before new ones are dropped (about
/// sixteen thousand request lines).
pub(crate) const CAPACITY: usize = 1 << 20;

/// How often a rising drop count is reported while lines are being dropped.
const REPORT_EVERY: Duration = Duration::from_secs(5);

/// How long the writer thread sleeps between emptying the buffer while lines keep coming. It
/// polls rather than being woken, so a request handing over a line never pays for waking a
/// sleeping thread (a futex call per line, which on two cores cost more than writing the
/// line did).
const TICK: Duration = Duration::from_millis(2);

/// The longest sleep between polls: an idle mock (or one started with `--quiet`) wakes 20
/// times a second, not 500. At full load 50 ms of lines is far below [`CAPACITY`].
const IDLE: Duration = Duration::from_millis(50);

/// How long shutdown waits for the writer thread to write what is waiting.
const SHUTDOWN: Duration = Duration::from_secs(1);

/// What the request side and the writer thread share.
struct Shared {
    /// Lines waiting for the writer, whole lines only.
    waiting: Mutex<Vec<u8>>,
    /// The most bytes `waiting` may hold.
    capacity: usize,
    /// Lines dropped because `waiting` was full.
    dropped: AtomicU64,
    /// Set at shutdown: the thread writes what is waiting once more and ends.
    stop: AtomicBool,
}

/// The request side: copies lines into the shared buffer without ever waiting for output.
#[derive(Clone)]
pub(crate) struct LogWriter {
    shared: Arc<Shared>,
}

/// Keeps the writer thread alive; dropping it writes out what is waiting and the final drop
/// count, then ends the thread (waiting at most [`SHUTDOWN`] for a blocked output).
pub(crate) struct LogGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// A writer of lines to `out` on its own thread, with room for `capacity` bytes of waiting
/// lines.
pub(crate) fn non_blocking<W: Write + Send + 'static>(
    out: W,
    capacity: usize,
) -> (LogWriter, LogGuard) {
    let shared = Arc::new(Shared {
        waiting: Mutex::new(Vec::with_capacity(capacity.min(64 * 1024))),
        capacity,
        dropped: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    });
    let theirs = shared.clone();
    let thread = std::thread::Builder::new()
        .name("cartwright-log".into())
        .spawn(move || drain(&theirs, out))
        .ok();
    let writer = LogWriter {
        shared: shared.clone(),
    };
    (writer, LogGuard { shared, thread })
}

impl LogWriter {
    /// Lines dropped so far because the writer could not keep up.
    #[cfg(test)]
    pub(crate) fn dropped(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    /// Queues `line` for the writer thread, or counts it dropped when the buffer is full.
    fn send(&self, line: &[u8]) {
        let shared = &*self.shared;
        let mut waiting = shared
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if waiting.len() + line.len() > shared.capacity {
            drop(waiting);
            shared.dropped.fetch_add(1, Ordering::Relaxed);
        } else {
            waiting.extend_from_slice(line);
        }
    }
}

impl cartwright_mock::LineSink for LogWriter {
    fn line(&self, line: &[u8]) {
        self.send(line);
    }
}

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.send(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogWriter {
    type Writer = LogWriter;

    fn make_writer(&'a self) -> LogWriter {
        self.clone()
    }
}

/// Every tick (longer while idle), swaps the waiting lines for an empty buffer and writes
/// them out, reporting drops; after `stop` it does so once more and ends. Two buffers take turns, so in a steady
/// state nothing is allocated.
fn drain<W: Write>(shared: &Shared, out: W) {
    let mut out = out;
    let mut spare = Vec::new();
    let mut reported = 0;
    let mut last_report = Instant::now();
    let mut nap = TICK;
    loop {
        // Read before the swap: a line queued before `stop` was set is in this round.
        let stopping = shared.stop.load(Ordering::Acquire);
        {
            let mut waiting = shared
                .waiting
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            std::mem::swap(&mut *waiting, &mut spare);
        }
        // Each round that finds nothing doubles the sleep, up to `IDLE`; a line resets it.
        if spare.is_empty() {
            nap = (nap * 2).min(IDLE);
        } else {
            let _ = out.write_all(&spare);
            spare.clear();
            nap = TICK;
        }
        if stopping || last_report.elapsed() >= REPORT_EVERY {
            reported = report(&mut out, &shared.dropped, reported);
            last_report = Instant::now();
        }
        let _ = out.flush();
        if stopping {
            return;
        }
        std::thread::sleep(nap);
    }
}

fn report<W: Write>(out: &mut W, dropped: &AtomicU64, reported: u64) -> u64 {
    let now = dropped.load(Ordering::Relaxed);
    if now > reported {
        let _ = writeln!(
            out,
            "warning: {now} log lines dropped (the log could not keep up)"
        );
    }
    now
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        let deadline = Instant::now() + SHUTDOWN;
        while let Some(t) = self.thread.take() {
            if t.is_finished() {
                let _ = t.join();
            } else if Instant::now() < deadline {
                self.thread = Some(t);
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::sync::{Barrier, Mutex};

    /// A writer that says when it is first called, blocks until released, then records
    /// what it got.
    struct Blocked {
        entered: mpsc::Sender<()>,
        gate: Arc<Barrier>,
        got: Arc<Mutex<Vec<u8>>>,
        waited: bool,
    }

    impl Write for Blocked {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if !self.waited {
                let _ = self.entered.send(());
                self.gate.wait();
                self.waited = true;
            }
            self.got.lock().expect("lock").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_blocked_writer_drops_and_counts_lines_but_never_blocks() {
        let gate = Arc::new(Barrier::new(2));
        let got = Arc::new(Mutex::new(Vec::new()));
        let (entered, blocked) = mpsc::channel();
        let out = Blocked {
            entered,
            gate: gate.clone(),
            got: got.clone(),
            waited: false,
        };
        let (writer, guard) = non_blocking(out, 28);
        let mut w = writer.make_writer();
        w.write_all(b"line 0\n").expect("never fails");
        // The thread is now stuck in the writer, holding line 0.
        blocked.recv().expect("the writer is called");
        for i in 1..1000 {
            let mut w = writer.make_writer();
            w.write_all(format!("line {i}\n").as_bytes())
                .expect("never fails");
        }
        // 999 lines against a stuck writer were all handed over (this test would hang
        // otherwise): the buffer's 28 bytes (four lines) got through, the rest were
        // dropped and counted.
        assert_eq!(writer.dropped(), 995);
        gate.wait();
        drop(writer);
        drop(guard);
        // The thread writes what it holds, then the drop count, and ends.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let text = String::from_utf8(got.lock().expect("lock").clone()).expect("utf-8");
            if text.contains("log lines dropped") {
                assert!(text.starts_with("line 0\n"), "{text}");
                assert!(text.contains(" log lines dropped"), "{text}");
                break;
            }
            assert!(Instant::now() < deadline, "no drop report: {text}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn lines_arrive_in_order() {
        let got = Arc::new(Mutex::new(Vec::new()));
        struct Shared(Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0.lock().expect("lock").extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let (writer, guard) = non_blocking(Shared(got.clone()), 1024);
        for i in 0..50 {
            writer
                .make_writer()
                .write_all(format!("{i}\n").as_bytes())
                .expect("write");
        }
        drop(writer);
        drop(guard);
        let deadline = Instant::now() + Duration::from_secs(5);
        let want: String = (0..50).map(|i| format!("{i}\n")).collect();
        while String::from_utf8_lossy(&got.lock().expect("lock")) != want {
            assert!(Instant::now() < deadline, "lines lost or out of order");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
