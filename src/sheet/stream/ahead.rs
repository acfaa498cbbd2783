//! Reading a stream's rows on a second thread: splitting records and
//! typing cells (dates, numbers, choices) runs on one core while the
//! caller writes the rows it was handed on the other. For the 1M-row
//! benchmark import that took 3.2–3.4 s down to 2.5–2.9 s: the writing
//! side (SQLite) is the longer one, so the reading now hides behind it.
//! Rows arrive in file order, in batches over a bounded channel: memory
//! holds a few batches, however large the file.

use std::io;
use std::ops::ControlFlow;
use std::sync::mpsc::sync_channel;

use super::{RowFilter, SheetStream, StreamedRow};

/// Rows per batch handed from the reading thread to the caller.
const BATCH: usize = 256;
/// Batches read ahead of the caller at most.
const AHEAD: usize = 3;

impl SheetStream {
    /// [`SheetStream::rows`], with the file read and typed on another
    /// thread, handed out a batch at a time (a caller may write several
    /// rows with one statement). `f` runs on the calling thread and
    /// borrows each batch: the rows go back to the reading thread to be
    /// dropped there, because
    /// glibc's malloc frees a block into the arena that allocated it,
    /// under that arena's lock, and freeing them here would contend with
    /// every allocation of the reader. When `f` breaks, reading stops.
    pub fn rows_read_ahead(
        &self,
        filter: RowFilter,
        shapes: bool,
        f: &mut dyn FnMut(&mut [StreamedRow]) -> ControlFlow<()>,
    ) -> io::Result<()> {
        let (sender, receiver) = sync_channel::<Vec<StreamedRow>>(AHEAD);
        let (give_back, given_back) = sync_channel::<Vec<StreamedRow>>(AHEAD + 2);
        std::thread::scope(|scope| {
            let reader = std::thread::Builder::new()
                .name("csv-reader".into())
                .spawn_scoped(scope, move || {
                    let mut batch = Vec::with_capacity(BATCH);
                    let read = self.rows(filter, shapes, &mut |row| {
                        batch.push(row);
                        if batch.len() < BATCH {
                            return ControlFlow::Continue(());
                        }
                        let mut spare = given_back
                            .try_recv()
                            .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                        spare.clear();
                        match sender.send(std::mem::replace(&mut batch, spare)) {
                            Ok(()) => ControlFlow::Continue(()),
                            // The caller stopped.
                            Err(_) => ControlFlow::Break(()),
                        }
                    });
                    if !batch.is_empty() {
                        let _ = sender.send(batch);
                    }
                    drop(sender);
                    // Whatever is still coming back is dropped here too.
                    for done in &given_back {
                        drop(done);
                    }
                    read
                })?;
            for mut batch in &receiver {
                let flow = f(&mut batch);
                let _ = give_back.send(batch);
                if flow.is_break() {
                    break;
                }
            }
            drop(receiver);
            drop(give_back);
            reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }
}
