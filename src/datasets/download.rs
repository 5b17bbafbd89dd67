//! Downloading the Fashion-MNIST files, verified by SHA-256.
//!
//! Each file streams into `<name>.part` while its SHA-256 is computed; only a file whose
//! digest matches the published one is renamed to its final name. A corrupt or
//! interrupted download is deleted, never left where a later `load` would trust it.

use super::DataError;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use crate::progress::Verbose;

/// Where Zalando publishes the files (the URL of the Fashion-MNIST README).
pub const OFFICIAL_URL: &str =
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

/// Environment variable that replaces [`OFFICIAL_URL`], e.g. with a mirror.
pub const URL_VAR: &str = "ANNLAB_DATA_URL";

/// The four official files and their SHA-256.
///
/// These are the bytes served at [`OFFICIAL_URL`]; their MD5s are the ones the
/// Fashion-MNIST README publishes (8d4fb7e6…, 25c81989…, bef4ecab…, bb300cfd…).
/// Debian's `dataset-fashion-mnist` re-gzips the same data without the file name in
/// the gzip header, so its copies have other digests but decompress to the same bytes.
pub const OFFICIAL_FILES: [(&str, &str); 4] = [
    (
        "train-images-idx3-ubyte.gz",
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    ),
    (
        "train-labels-idx1-ubyte.gz",
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    ),
    (
        "t10k-images-idx3-ubyte.gz",
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
    ),
    (
        "t10k-labels-idx1-ubyte.gz",
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    ),
];

/// Held while a download runs, so that two threads never write the same `.part` file.
static DOWNLOADING: Mutex<()> = Mutex::new(());

/// The base URL to download from: `$ANNLAB_DATA_URL` if set, else [`OFFICIAL_URL`].
pub fn base_url() -> String {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => OFFICIAL_URL.to_string(),
    }
}

/// Downloads each `(name, sha256)` of `files` from `base_url` into `dir`.
///
/// A file already in `dir` with the right digest is kept. `verbose` as Keras's: 0 prints
/// nothing, 1 (or more) a progress bar per file on stderr (redrawn in place on a
/// terminal, a few lines elsewhere).
pub fn download_files(
    base_url: &str,
    dir: &Path,
    files: &[(&str, &str)],
    verbose: Verbose,
) -> Result<(), DataError> {
    // Tests load in parallel threads: one download at a time; the others then find
    // the verified files and keep them.
    let _guard = DOWNLOADING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    fs::create_dir_all(dir).map_err(|e| DataError::io(dir, e))?;
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(15))
        .timeout_read(Duration::from_secs(60))
        .build();
    for &(name, sha256) in files {
        let target = dir.join(name);
        if target.is_file() && file_sha256(&target)?.eq_ignore_ascii_case(sha256) {
            continue;
        }
        let url = format!("{}/{}", base_url.trim_end_matches('/'), name);
        download_one(&agent, &url, &target, sha256, verbose)?;
    }
    Ok(())
}

/// The lowercase hex SHA-256 of a file.
pub fn file_sha256(path: &Path) -> Result<String, DataError> {
    let mut file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let k = file.read(&mut buf).map_err(|e| DataError::io(path, e))?;
        if k == 0 {
            return Ok(hex(&hasher.finalize()));
        }
        hasher.update(&buf[..k]);
    }
}

/// Fetches `url` into `target` via `target.part`; deletes the part file on any error.
fn download_one(
    agent: &ureq::Agent,
    url: &str,
    target: &Path,
    sha256: &str,
    verbose: Verbose,
) -> Result<(), DataError> {
    let mut part = target.as_os_str().to_owned();
    part.push(".part");
    let part = Path::new(&part).to_path_buf();
    let result = stream_to(agent, url, &part, verbose).and_then(|found| {
        if found == sha256.to_ascii_lowercase() {
            fs::rename(&part, target).map_err(|e| DataError::io(target, e))
        } else {
            Err(DataError::Checksum {
                file: target.to_path_buf(),
                expected: sha256.to_string(),
                found,
            })
        }
    });
    if result.is_err() {
        // The part file may not exist; the first error is the one to report.
        let _ = fs::remove_file(&part);
    }
    result
}

/// Streams the body of `url` into `part` and returns its SHA-256.
fn stream_to(
    agent: &ureq::Agent,
    url: &str,
    part: &Path,
    verbose: Verbose,
) -> Result<String, DataError> {
    let fail = |reason: String| DataError::Download {
        url: url.to_string(),
        reason,
    };
    let response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Status(code, r) => fail(format!("HTTP {code} {}", r.status_text())),
        ureq::Error::Transport(t) => {
            let msg = t.to_string(); // "<url>: <kind>: <detail>"
            fail(
                msg.strip_prefix(&format!("{url}: "))
                    .unwrap_or(&msg)
                    .to_string(),
            )
        }
    })?;
    let total: Option<u64> = response
        .header("Content-Length")
        .and_then(|v| v.parse().ok());
    let mut body = response.into_reader();
    let mut out = File::create(part).map_err(|e| DataError::io(part, e))?;
    let mut hasher = Sha256::new();
    let mut bar = (verbose > 0).then(|| Progress::on_stderr(url, total));
    let mut buf = vec![0u8; 1 << 16];
    let mut done: u64 = 0;
    loop {
        let k = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(fail(format!(
                    "transfer interrupted after {done} bytes: {e}"
                )))
            }
        };
        hasher.update(&buf[..k]);
        out.write_all(&buf[..k])
            .map_err(|e| DataError::io(part, e))?;
        done += k as u64;
        if let Some(bar) = bar.as_mut() {
            bar.update(done);
        }
    }
    if let Some(bar) = bar.as_mut() {
        bar.finish(done);
    }
    if let Some(total) = total.filter(|&t| t != done) {
        return Err(fail(format!("received {done} of {total} bytes")));
    }
    out.sync_all().map_err(|e| DataError::io(part, e))?;
    Ok(hex(&hasher.finalize()))
}

/// Lowercase hex of a digest.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A download progress bar: `\r` updates on a terminal, else a few lines. It writes to
/// stderr only when the caller asked for it (`verbose` ≥ 1); write errors are ignored,
/// as a bar that cannot be drawn must not stop the download.
struct Progress {
    name: String,
    total: Option<u64>,
    out: Box<dyn Write>,
    tty: bool,
    /// Last printed step: percent on a terminal, quarter otherwise.
    shown: Option<u64>,
}

impl Progress {
    /// A bar on stderr, redrawn in place when stderr is a terminal.
    fn on_stderr(url: &str, total: Option<u64>) -> Self {
        let tty = std::io::stderr().is_terminal();
        Self::to_writer(url, total, Box::new(std::io::stderr()), tty)
    }

    /// A bar written to `out`; `tty` selects in-place redrawing.
    fn to_writer(
        url: &str,
        total: Option<u64>,
        mut out: Box<dyn Write>,
        tty: bool,
    ) -> Self {
        let name = url.rsplit('/').next().unwrap_or(url).to_string();
        if !tty {
            let _ = writeln!(out, "downloading {url} ({})", size_text(total));
        }
        Progress {
            name,
            total,
            out,
            tty,
            shown: None,
        }
    }

    /// Reports `done` bytes when the bar has moved by a visible step.
    fn update(&mut self, done: u64) {
        let Some(total) = self.total.filter(|&t| t > 0) else {
            if self.tty && self.shown.is_none_or(|s| done >= s + (1 << 20)) {
                self.shown = Some(done);
                let _ = write!(self.out, "\r{}: {} bytes", self.name, done);
            }
            return;
        };
        let percent = (done.min(total) * 100) / total;
        let step = if self.tty { percent } else { percent / 25 };
        if self.shown == Some(step) || (!self.tty && percent == 100) {
            return;
        }
        self.shown = Some(step);
        if self.tty {
            let filled = (percent / 4) as usize;
            let bar = format!("{}{}", "=".repeat(filled), " ".repeat(25 - filled));
            let _ = write!(
                self.out,
                "\r{}: [{bar}] {done}/{total} bytes {percent:3}%",
                self.name
            );
        } else if step > 0 {
            let _ = writeln!(
                self.out,
                "  {}: {done}/{total} bytes ({percent}%)",
                self.name
            );
        }
    }

    /// Ends the bar with a final line.
    fn finish(&mut self, done: u64) {
        let _ = if self.tty {
            writeln!(self.out)
        } else {
            writeln!(self.out, "  {}: {done} bytes received", self.name)
        };
    }
}

/// `"26421880 bytes"` or `"size unknown"`.
fn size_text(total: Option<u64>) -> String {
    total.map_or("size unknown".into(), |t| format!("{t} bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::SharedWriter as Shared;

    #[test]
    fn off_a_terminal_the_bar_prints_a_line_per_quarter() {
        let out = Shared::default();
        let url = "http://host/files/t10k-labels-idx1-ubyte.gz";
        let mut bar = Progress::to_writer(url, Some(400), Box::new(out.clone()), false);
        for done in (0..=400).step_by(50) {
            bar.update(done);
        }
        bar.finish(400);
        let text = out.text();
        assert_eq!(
            text,
            "downloading http://host/files/t10k-labels-idx1-ubyte.gz (400 bytes)\n\
             \x20 t10k-labels-idx1-ubyte.gz: 100/400 bytes (25%)\n\
             \x20 t10k-labels-idx1-ubyte.gz: 200/400 bytes (50%)\n\
             \x20 t10k-labels-idx1-ubyte.gz: 300/400 bytes (75%)\n\
             \x20 t10k-labels-idx1-ubyte.gz: 400 bytes received\n"
        );
    }
}
