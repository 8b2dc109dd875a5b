//! Log lines leave the request path at once: each formatted line goes onto a bounded
//! channel that a thread of its own writes out, so a slow or blocked stderr (a pipe nobody
//! reads, a terminal being scrolled) never holds up an answer. When the channel is full the
//! line is dropped and counted; the count is reported as a warning line, periodically while
//! lines are being dropped and once more at shutdown.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError, TrySendError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tracing_subscriber::fmt::MakeWriter;

/// How many lines may wait for the writer before new ones are dropped.
pub(crate) const CAPACITY: usize = 16_384;

/// How often a rising drop count is reported while lines are being dropped.
const REPORT_EVERY: Duration = Duration::from_secs(5);

/// The request side: hands lines to the writer thread without ever waiting for it.
#[derive(Clone)]
pub(crate) struct LogWriter {
    lines: SyncSender<Vec<u8>>,
    dropped: Arc<AtomicU64>,
}

/// Keeps the writer thread alive; dropping it writes out what is queued and the final drop
/// count, then ends the thread (waiting at most [`SHUTDOWN`] for a blocked output).
pub(crate) struct LogGuard {
    lines: SyncSender<Vec<u8>>,
    thread: Option<JoinHandle<()>>,
}

/// How long shutdown waits for the writer thread to write what is queued.
const SHUTDOWN: Duration = Duration::from_secs(1);

/// A writer of lines to `out` on its own thread, with room for `capacity` waiting lines.
pub(crate) fn non_blocking<W: Write + Send + 'static>(
    out: W,
    capacity: usize,
) -> (LogWriter, LogGuard) {
    let (tx, rx) = mpsc::sync_channel(capacity);
    let dropped = Arc::new(AtomicU64::new(0));
    let counter = dropped.clone();
    let thread = std::thread::Builder::new()
        .name("cartwright-log".into())
        .spawn(move || drain(rx, out, &counter))
        .ok();
    let writer = LogWriter {
        lines: tx.clone(),
        dropped,
    };
    let guard = LogGuard { lines: tx, thread };
    (writer, guard)
}

impl LogWriter {
    /// Lines dropped so far because the writer could not keep up.
    #[cfg(test)]
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl cartwright_mock::LineSink for LogWriter {
    fn line(&self, line: Vec<u8>) {
        self.send(line);
    }
}

impl LogWriter {
    /// Hands `line` to the writer thread, or counts it dropped when the thread is behind.
    fn send(&self, line: Vec<u8>) {
        if self.lines.try_send(line).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.send(buf.to_vec());
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

/// How long the writer thread sleeps when it finds nothing to write. It polls rather than
/// blocks, so a request handing over a line never pays for waking a sleeping thread (a
/// futex call per line, which on two cores cost more than writing the line did).
const IDLE: Duration = Duration::from_millis(2);

/// Writes what has arrived in batches, sleeps briefly when there is nothing, and reports
/// drops. An empty line (or a closed channel) ends it.
fn drain<W: Write>(rx: Receiver<Vec<u8>>, out: W, dropped: &AtomicU64) {
    let mut out = io::BufWriter::new(out);
    let mut reported = 0;
    let mut last_report = Instant::now();
    loop {
        let mut wrote = false;
        loop {
            match rx.try_recv() {
                Ok(line) if line.is_empty() => {
                    report(&mut out, dropped, reported);
                    let _ = out.flush();
                    return;
                }
                Ok(line) => {
                    let _ = out.write_all(&line);
                    wrote = true;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    report(&mut out, dropped, reported);
                    let _ = out.flush();
                    return;
                }
            }
        }
        if last_report.elapsed() >= REPORT_EVERY {
            reported = report(&mut out, dropped, reported);
            last_report = Instant::now();
        }
        let _ = out.flush();
        if !wrote {
            std::thread::sleep(IDLE);
        }
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
        // The subscriber keeps its writer for the life of the process, so the channel never
        // closes by itself: an empty line tells the thread to finish.
        let deadline = Instant::now() + SHUTDOWN;
        let mut stop = Vec::new();
        loop {
            match self.lines.try_send(stop) {
                Ok(()) => break,
                Err(TrySendError::Full(back)) if Instant::now() < deadline => {
                    stop = back;
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => return,
            }
        }
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
        let (writer, guard) = non_blocking(out, 4);
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
        // otherwise): the channel's 4 got through, the rest were dropped and counted.
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
        let (writer, guard) = non_blocking(Shared(got.clone()), 64);
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
