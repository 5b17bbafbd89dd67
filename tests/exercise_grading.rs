//! The grader is honest: no check passes without the learner's work, and filling in one
//! exercise turns exactly that one to done. (That every check passes on a correct
//! answer is `tests/exercises.rs` on the library's solutions, and the
//! `exercise_fixtures_*` tests on solutions written out as a learner would.)

use annlab::exercises::{table, Exercise, Graded, Status};

#[path = "../exercises/ex01_logic_gates.rs"]
#[allow(dead_code)]
mod blank_ex01_logic_gates;
#[path = "../exercises/ex02_perceptron.rs"]
#[allow(dead_code)]
mod blank_ex02_perceptron;
#[path = "../exercises/ex03_softmax_crossentropy.rs"]
#[allow(dead_code)]
mod blank_ex03_softmax_crossentropy;
#[path = "../exercises/ex04_dense.rs"]
#[allow(dead_code)]
mod blank_ex04_dense;
#[path = "../exercises/ex05_activations.rs"]
#[allow(dead_code)]
mod blank_ex05_activations;
#[path = "../exercises/ex06_optimizers.rs"]
#[allow(dead_code)]
mod blank_ex06_optimizers;
#[path = "../exercises/ex07_hg_7_1.rs"]
#[allow(dead_code)]
mod blank_ex07_hg_7_1;
#[path = "../exercises/ex08_hg_7_2.rs"]
#[allow(dead_code)]
mod blank_ex08_hg_7_2;
#[path = "../exercises/ex09_dropout.rs"]
#[allow(dead_code)]
mod blank_ex09_dropout;
#[path = "../exercises/ex10_early_stopping.rs"]
#[allow(dead_code)]
mod blank_ex10_early_stopping;
/// The blank exercise files, as handed out.
mod blank {
    pub(crate) use super::blank_ex01_logic_gates as ex01_logic_gates;
    pub(crate) use super::blank_ex02_perceptron as ex02_perceptron;
    pub(crate) use super::blank_ex03_softmax_crossentropy as ex03_softmax_crossentropy;
    pub(crate) use super::blank_ex04_dense as ex04_dense;
    pub(crate) use super::blank_ex05_activations as ex05_activations;
    pub(crate) use super::blank_ex06_optimizers as ex06_optimizers;
    pub(crate) use super::blank_ex07_hg_7_1 as ex07_hg_7_1;
    pub(crate) use super::blank_ex08_hg_7_2 as ex08_hg_7_2;
    pub(crate) use super::blank_ex09_dropout as ex09_dropout;
    pub(crate) use super::blank_ex10_early_stopping as ex10_early_stopping;
}

#[path = "exercise_fixtures/ex04_dense_solved.rs"]
#[allow(dead_code)]
mod filled_ex04_dense;
/// The blank files with one of them, Dense, filled in by a learner.
mod one_filled {
    pub(crate) use super::blank_ex01_logic_gates as ex01_logic_gates;
    pub(crate) use super::blank_ex02_perceptron as ex02_perceptron;
    pub(crate) use super::blank_ex03_softmax_crossentropy as ex03_softmax_crossentropy;
    pub(crate) use super::blank_ex05_activations as ex05_activations;
    pub(crate) use super::blank_ex06_optimizers as ex06_optimizers;
    pub(crate) use super::blank_ex07_hg_7_1 as ex07_hg_7_1;
    pub(crate) use super::blank_ex08_hg_7_2 as ex08_hg_7_2;
    pub(crate) use super::blank_ex09_dropout as ex09_dropout;
    pub(crate) use super::blank_ex10_early_stopping as ex10_early_stopping;
    pub(crate) use super::filled_ex04_dense as ex04_dense;
}

fn source(file: &str) -> String {
    let path = format!("{}/exercises/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_blank_exercise_is_reported_not_done_with_where_to_write() {
    let exercises: Vec<Exercise> = annlab::exercise_set!(blank);
    assert_eq!(exercises.len(), 21);
    for exercise in &exercises {
        let graded = Graded::of(exercise, Some(&source(exercise.file)));
        match &graded.status {
            Status::NotDone(message) => {
                assert!(
                    message
                        .starts_with("not done yet: replace `not_done()` at exercises/")
                        && message.contains(exercise.file),
                    "{}: {message}",
                    exercise.id
                )
            }
            other => panic!(
                "{} {} is not reported not done: {other}",
                exercise.id, exercise.title
            ),
        }
    }
}

#[test]
fn the_blank_files_never_name_the_librarys_solutions() {
    for exercise in annlab::exercise_set!(blank) {
        let peeks = exercise.peeks(&source(exercise.file));
        assert!(peeks.is_empty(), "{} names {peeks:?}", exercise.file);
    }
}

#[test]
fn filling_in_one_exercise_turns_exactly_that_one_done() {
    let graded: Vec<Graded> = annlab::exercise_set!(one_filled)
        .iter()
        .map(|e| Graded::of(e, None))
        .collect();
    let done: Vec<&str> = graded
        .iter()
        .filter(|g| g.status.is_done())
        .map(|g| g.id.as_str())
        .collect();
    // the fixture fills both Dense functions: 4.1 and 4.2, nothing else
    assert_eq!(done, ["4.1", "4.2"], "{}", table(&graded));
    assert!(table(&graded).ends_with("2 of 21 done\n"));
}

#[test]
fn a_file_that_calls_the_librarys_solution_is_not_counted() {
    let exercises: Vec<Exercise> = annlab::exercise_set!(blank);
    let dense = exercises
        .iter()
        .find(|e| e.id == "4.2")
        .expect("4.2 exists");
    let cheat =
        "use annlab::layers::Dense;\npub fn dense_backward() { Dense::new(3); }\n";
    let graded = Graded::of(dense, Some(cheat));
    assert_eq!(
        graded.status.word(),
        "uses the reference",
        "{}",
        graded.status
    );
    // the same words in a comment are fine
    let comment = "// unlike annlab::layers::Dense, this one is mine\n";
    assert!(dense.peeks(comment).is_empty());
}
