//! `cargo grade`: grades annlab's exercise files.
//!
//! ```text
//! cargo grade                              the progress table of exercises/
//! ANNLAB_EXERCISES=dir cargo grade         … of another directory of exercise files
//! cargo grade --class submissions --csv scores.csv
//!                                          every subdirectory of submissions/, one
//!                                          CSV row per learner
//! cargo grade --expect done|not-done       exit 1 unless every exercise is so (CI)
//! cargo grade --json                       the grades as JSON (what --class reads)
//! ```
//!
//! The exercise files are compiled into this program (see `build.rs`), so grading
//! another directory rebuilds it; `--class` does that once per submission, each in a
//! child process with a time limit, so a submission that does not compile, panics or
//! loops forever costs its own row and nothing else.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use annlab::exercises::{class_csv, table, Exercise, Graded, Status};

include!(concat!(env!("OUT_DIR"), "/set.rs"));

/// What the command line asks for (four flags: parsed by hand).
struct Options {
    json: bool,
    expect: Option<bool>,
    class: Option<PathBuf>,
    csv: Option<PathBuf>,
    timeout: Duration,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        json: false,
        expect: None,
        class: None,
        csv: None,
        timeout: Duration::from_secs(900),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--json" => options.json = true,
            "--expect" => {
                options.expect = Some(match value("--expect")?.as_str() {
                    "done" => true,
                    "not-done" => false,
                    other => {
                        return Err(format!("--expect done|not-done, not {other:?}"))
                    }
                })
            }
            "--class" => options.class = Some(PathBuf::from(value("--class")?)),
            "--csv" => options.csv = Some(PathBuf::from(value("--csv")?)),
            "--timeout" => {
                let secs: u64 = value("--timeout")?
                    .parse()
                    .map_err(|_| "--timeout takes whole seconds".to_string())?;
                options.timeout = Duration::from_secs(secs);
            }
            "-h" | "--help" => return Err(usage()),
            other => return Err(format!("unknown argument {other:?}\n\n{}", usage())),
        }
    }
    Ok(options)
}

fn usage() -> String {
    "usage: cargo grade [--json] [--expect done|not-done]\n       \
     cargo grade --class DIR [--csv FILE] [--timeout SECONDS]"
        .to_string()
}

/// Grades the compiled-in set.
fn grade_set() -> Vec<Graded> {
    let exercises: Vec<Exercise> = annlab::exercise_set!(set);
    exercises
        .iter()
        .map(|e| {
            if MISSING.contains(&e.file) {
                return Graded {
                    id: e.id.into(),
                    title: e.title.into(),
                    file: e.file.into(),
                    status: Status::NotDone(format!("{} is missing from {DIR}", e.file)),
                };
            }
            let source = std::fs::read_to_string(Path::new(DIR).join(e.file)).ok();
            Graded::of(e, source.as_deref())
        })
        .collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if let Some(class) = &options.class {
        return grade_class(class, &options);
    }
    let graded = grade_set();
    if options.json {
        match serde_json::to_string(&graded) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("cannot write the grades as JSON: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        println!("Exercises in {DIR}\n");
        print!("{}", table(&graded));
    }
    match options.expect {
        None => ExitCode::SUCCESS,
        Some(done) => {
            let off: Vec<&Graded> = graded
                .iter()
                .filter(|g| {
                    if done {
                        !g.status.is_done()
                    } else {
                        !matches!(g.status, Status::NotDone(_))
                    }
                })
                .collect();
            if off.is_empty() {
                ExitCode::SUCCESS
            } else {
                let want = if done { "done" } else { "not done" };
                for g in off {
                    eprintln!("expected {want}: {} {} — {}", g.id, g.title, g.status);
                }
                ExitCode::FAILURE
            }
        }
    }
}

/// Grades every subdirectory of `class` in a child `cargo grade --json`, and writes
/// the CSV.
fn grade_class(class: &Path, options: &Options) -> ExitCode {
    let class = match std::fs::canonicalize(class) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}: {e}", class.display());
            return ExitCode::FAILURE;
        }
    };
    let mut learners: Vec<PathBuf> = match std::fs::read_dir(&class) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => {
            eprintln!("{}: {e}", class.display());
            return ExitCode::FAILURE;
        }
    };
    learners.sort();
    if learners.is_empty() {
        eprintln!("{}: no submission directories in it", class.display());
        return ExitCode::FAILURE;
    }
    let ids: Vec<String> = grade_ids();
    let mut rows = Vec::new();
    for dir in &learners {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let started = Instant::now();
        let result = grade_submission(dir, options.timeout);
        let summary = match &result {
            Ok(graded) => format!(
                "{} of {} done",
                graded.iter().filter(|g| g.status.is_done()).count(),
                graded.len()
            ),
            Err(why) => why.lines().next().unwrap_or("").to_string(),
        };
        eprintln!(
            "{name}: {summary} ({:.0} s)",
            started.elapsed().as_secs_f64()
        );
        rows.push((name, result));
    }
    let csv = class_csv(&ids, &rows);
    match &options.csv {
        Some(path) => {
            if let Err(e) = write_atomically(path, &csv) {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            eprintln!("wrote {}", path.display());
        }
        None => print!("{csv}"),
    }
    ExitCode::SUCCESS
}

fn grade_ids() -> Vec<String> {
    let exercises: Vec<Exercise> = annlab::exercise_set!(set);
    exercises.iter().map(|e| e.id.to_string()).collect()
}

/// Grades one submission. When some of its files do not compile, grades the rest with
/// the blank files in their place (so one typo costs its own exercises, not all
/// twenty-one) and reports the exercises of the broken files with the compiler's
/// first error.
fn grade_submission(dir: &Path, timeout: Duration) -> Result<Vec<Graded>, String> {
    let mut broken: Vec<(String, String)> = Vec::new(); // (file, first error)
    let mut current = dir.to_path_buf();
    let scratch =
        std::env::temp_dir().join(format!("annlab-grade-{}", std::process::id()));
    let result = loop {
        match grade_one(&current, timeout) {
            Ok(graded) => break Ok(graded),
            Err(Failure::Other(why)) => break Err(why),
            Err(Failure::Compile(error)) => {
                // the files the compiler names, which are not set aside yet
                let named: Vec<String> = FILES
                    .iter()
                    .filter(|f| error.contains(&format!("{}/{f}", current.display())))
                    .filter(|f| !broken.iter().any(|(b, _)| b == *f))
                    .map(|f| f.to_string())
                    .collect();
                if named.is_empty() {
                    break Err(format!("does not compile: {error}"));
                }
                broken.extend(named.into_iter().map(|f| (f, error.clone())));
                // a copy of the submission without the broken files: the grader's
                // build takes the blank ones instead
                let _ = std::fs::remove_dir_all(&scratch);
                if let Err(e) = std::fs::create_dir_all(&scratch) {
                    break Err(format!("{}: {e}", scratch.display()));
                }
                for f in FILES {
                    if broken.iter().any(|(b, _)| b == f) {
                        continue;
                    }
                    let _ = std::fs::copy(dir.join(f), scratch.join(f));
                }
                current = scratch.clone();
            }
        }
    };
    let _ = std::fs::remove_dir_all(&scratch);
    result.map(|mut graded| {
        for g in &mut graded {
            if let Some((_, error)) = broken.iter().find(|(b, _)| *b == g.file) {
                g.status = Status::Wrong(format!("does not compile: {error}"));
            }
        }
        graded
    })
}

/// Why `grade_one` could not grade a directory.
enum Failure {
    /// The build failed: the compiler's first error, with its place.
    Compile(String),
    Other(String),
}

/// Runs `cargo grade --json` on one directory of exercise files (its own build, in
/// `target/grading`, so that the learner's `target/` is left alone).
fn grade_one(dir: &Path, timeout: Duration) -> Result<Vec<Graded>, Failure> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or_else(|| Failure::Other("the grader lives inside the project".into()))?;
    let mut child = Command::new(cargo)
        .args([
            "run",
            "--release",
            "--quiet",
            "-p",
            "annlab-grade",
            "--",
            "--json",
        ])
        .current_dir(root)
        .env("ANNLAB_EXERCISES", dir)
        .env("CARGO_TARGET_DIR", root.join("target").join("grading"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::Other(format!("cannot start cargo: {e}")))?;
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    // read both pipes on threads, so a chatty compiler cannot fill one and stall
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_string(&mut text);
            }
            text
        })
    };
    let out = read(stdout.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let err = read(stderr.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Failure::Other(format!(
                    "stopped after {} s (an endless loop?)",
                    timeout.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(Failure::Other(format!("waiting for cargo: {e}"))),
        }
    };
    let (stdout, stderr) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    if !status.success() {
        let first_error = stderr
            .lines()
            .skip_while(|l| !l.starts_with("error"))
            .take(2) // "error[E…]: what" and " --> file:line:column"
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ");
        return Err(if first_error.is_empty() {
            Failure::Other(format!("the grader failed: {}", stderr.trim()))
        } else {
            Failure::Compile(first_error)
        });
    }
    serde_json::from_str(stdout.trim())
        .map_err(|e| Failure::Other(format!("unreadable grades: {e}")))
}

/// Writes `text` to `path` through a temporary file and a rename, so an interrupted
/// run never leaves half a CSV where the last one was.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("csv.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_script_knows_every_exercise_file() {
        assert_eq!(FILES, annlab::exercises::FILES);
    }

    #[test]
    fn an_unknown_flag_is_refused_with_the_usage() {
        let err = parse(&["--frobnicate".to_string()])
            .err()
            .unwrap_or_default();
        assert!(
            err.contains("unknown argument") && err.contains("usage"),
            "{err}"
        );
    }

    #[test]
    fn expect_takes_done_or_not_done() {
        let ok = parse(&["--expect".into(), "not-done".into()]);
        assert_eq!(ok.map(|o| o.expect).ok(), Some(Some(false)));
        assert!(parse(&["--expect".into(), "maybe".into()]).is_err());
    }
}
