//! Driving the real binary in a pseudo-terminal and reading its screen
//! with vt100, as a person at a 120×40 terminal would see it.

#![allow(
    dead_code,
    reason = "benches/tui.rs includes this file and uses a part"
)]

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The day the binary under test takes for today: `CONCIERGE_TODAY` when
/// the run sets it (CI runs the date-sensitive tests under several days),
/// else the machine's. Tests compute what the demo shows from it.
pub fn today() -> chrono::NaiveDate {
    concierge::clock::Clock::from_env()
        .expect("CONCIERGE_TODAY")
        .today()
}

/// Keys as a terminal sends them.
pub mod keys {
    pub const TAB: &str = "\t";
    pub const ENTER: &str = "\r";
    pub const ESC: &str = "\x1b";
    pub const BACKSPACE: &str = "\x7f";
    pub const RIGHT: &str = "\x1b[C";
    pub const DOWN: &str = "\x1b[B";
    pub const HOME: &str = "\x1b[H";
    pub const END: &str = "\x1b[F";
    pub const CTRL_HOME: &str = "\x1b[1;5H";
    pub const CTRL_Q: &str = "\x11";
    pub const CTRL_S: &str = "\x13";
    pub const CTRL_Z: &str = "\x1a";
    pub const ALT_4: &str = "\x1b4";
    pub const ALT_W: &str = "\x1bw";
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("non-zero size")
}

pub struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the app wrote, as the terminal received it.
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tui {
    /// Starts `concierge` with `args` in a 120×40 pseudo-terminal.
    pub fn start(args: &[&str]) -> Self {
        Self::start_in(None, args, &[])
    }

    /// [`Tui::start`] with extra environment variables.
    pub fn start_with(args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::start_in(None, args, env)
    }

    /// [`Tui::start`] in working directory `dir` (if given), with extra
    /// environment variables.
    pub fn start_in(dir: Option<&std::path::Path>, args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::launch(env!("CARGO_BIN_EXE_concierge"), dir, args, env)
    }

    /// Starts `program` (concierge, or a wrapper such as `/usr/bin/time`)
    /// with `args` and `env` in a 120×40 pseudo-terminal.
    pub fn spawn(program: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::launch(program, None, args, env)
    }

    fn launch(
        program: &str,
        dir: Option<&std::path::Path>,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        let (master, child) = spawn(program, dir, args, env);
        let pty = Pty { master };
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(40), nz(120), 0)));
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let sink = Arc::clone(&parser);
        let raw = Arc::new(Mutex::new(Vec::new()));
        let raw_sink = Arc::clone(&raw);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                raw_sink.lock().expect("raw").extend_from_slice(&buf[..n]);
                sink.lock().expect("parser").process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().expect("writer");
        // Keep the master alive for the child's lifetime.
        std::mem::forget(pty.master);
        Self {
            parser,
            raw,
            writer,
            child,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser
            .lock()
            .expect("parser")
            .screen()
            .alternate_screen()
    }

    /// Waits until the screen shows `text`; panics with the screen if not.
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        self.wait_until(text, deadline, Duration::from_millis(20));
    }

    /// Waits until the screen shows `text`, checking every `poll`.
    pub fn wait_until(&self, text: &str, deadline: Instant, poll: Duration) {
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(poll);
        }
        panic!("the screen never showed “{text}”:\n{}", self.screen());
    }

    /// Whether the terminal is back to normal: main screen, no mouse
    /// reporting, no bracketed paste, cursor shown. `Err` says what is not.
    pub fn restored(&self) -> Result<(), String> {
        let parser = self.parser.lock().expect("parser");
        let screen = parser.screen();
        let mut left = Vec::new();
        if screen.alternate_screen() {
            left.push("the alternate screen");
        }
        if screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None {
            left.push("mouse reporting");
        }
        if screen.bracketed_paste() {
            left.push("bracketed paste");
        }
        if screen.hide_cursor() {
            left.push("a hidden cursor");
        }
        if left.is_empty() {
            Ok(())
        } else {
            Err(format!("left on: {}", left.join(", ")))
        }
    }

    /// Every byte the app has written so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("raw").clone()
    }

    /// Sends `signal` (a `kill` name such as `TERM` or `KILL`) to the app.
    pub fn signal(&self, signal: &str) {
        let pid = self.pid().expect("pid");
        let status = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill -{signal} {pid}");
    }

    /// Types `keys` from another thread, each chunk followed by its pause,
    /// so the test can act while the app is busy. Typing ends with the
    /// keys, at the first write that fails, or when stopped.
    pub fn type_in_background(&mut self, keys: Vec<(String, Duration)>) -> Typing {
        let mut writer = std::mem::replace(&mut self.writer, Box::new(std::io::sink()));
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for (chunk, pause) in keys {
                if stopped.load(Ordering::Relaxed)
                    || writer.write_all(chunk.as_bytes()).is_err()
                    || writer.flush().is_err()
                {
                    return;
                }
                std::thread::sleep(pause);
            }
        });
        Typing { stop, thread }
    }

    /// Types raw bytes (keys), pausing briefly so the app sees each.
    pub fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Whether the process has exited.
    pub fn exited(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_some()
    }

    /// Waits for the process to exit; its exit code.
    pub fn wait_exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the app did not exit:\n{}", self.screen());
    }

    /// Waits for the process to exit; its exit status success.
    pub fn wait_exit(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                std::thread::sleep(Duration::from_millis(100));
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the app did not exit:\n{}", self.screen());
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }
}

/// Keys being typed by [`Tui::type_in_background`].
pub struct Typing {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl Typing {
    /// Stops typing and waits for the typist to finish.
    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("typing thread");
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

struct Pty {
    master: Box<dyn portable_pty::MasterPty + Send>,
}

/// `program` started with `args` in a fresh 120×40 pseudo-terminal: its
/// master side and the child.
pub fn spawn(
    program: &str,
    dir: Option<&std::path::Path>,
    args: &[&str],
    env: &[(&str, &str)],
) -> (
    Box<dyn portable_pty::MasterPty + Send>,
    Box<dyn portable_pty::Child + Send + Sync>,
) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("openpty");
    let mut cmd = CommandBuilder::new(program);
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("CONCIERGE_DB");
    cmd.env_remove("CONCIERGE_USER");
    if let Some(dir) = dir {
        cmd.cwd(dir);
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    let child = pty.slave.spawn_command(cmd).expect("spawn");
    drop(pty.slave);
    (pty.master, child)
}
