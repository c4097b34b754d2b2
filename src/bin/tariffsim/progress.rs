//! A progress line on standard error for work that takes a while: shown
//! only when standard error is a terminal and the work passes a second.

use std::io::IsTerminal as _;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long work runs before the line appears.
const AFTER: Duration = Duration::from_secs(1);

/// A progress line, cleared when dropped.
pub struct Progress {
    done: Option<(Sender<()>, JoinHandle<()>)>,
}

impl Progress {
    /// Shows `what` (e.g. `evaluating 6 paths of busan-2025`) once the
    /// work passes a second, if standard error is a terminal.
    pub fn start(what: String) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress { done: None };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let handle = std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(AFTER) {
                eprint!("tariffsim: {what}...");
                // Wait for the end (or a dropped sender), then clear the line.
                let _ = rx.recv();
                eprint!("\r\x1b[2K");
            }
        });
        Progress {
            done: Some((tx, handle)),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some((tx, handle)) = self.done.take() {
            let _ = tx.send(());
            let _ = handle.join();
        }
    }
}
