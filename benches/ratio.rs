//! The retaliation bench's ratio to the same tree without rules, measured
//! in pairs.
//!
//! `engine/tree/1000-leaves-20k-lines-retaliation` is judged by its ratio to
//! `engine/tree/1000-leaves-20k-lines-two-sides`: the same two sides,
//! measures and tree, with no rules. Run one after the other, two criterion
//! benches meet different loads on a shared machine, and the ratio of their
//! medians moves by a third from run to run. Here the two trees are
//! evaluated alternately, one of each per pair, and each pair gives a ratio:
//! the median of the pairs' ratios is the figure the README quotes, with its
//! quartiles.
//!
//! `cargo bench --bench ratio` runs 30 pairs (`-- 60` for 60); with `--test`
//! (as `cargo bench -- --test` passes) one pair is evaluated and checked.

use std::hint::black_box;
use std::time::Instant;

use tariffsim::synthetic::Synthetic;
use tariffsim::{Detail, Scenario};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let test = args.iter().any(|a| a == "--test");
    let pairs: usize = args
        .iter()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(30)
        .max(1);
    // The trees of the two `engine/tree/1000-leaves-20k-lines-*` benches.
    let answered = Synthetic::new(2018)
        .lines(20_000)
        .measures(10)
        .steps(3)
        .tree(3, 10)
        .retaliation(3)
        .scenario()
        .expect("the synthetic tree with rules builds");
    let unanswered = Scenario::builder(answered.horizon())
        .info(answered.info().clone())
        .baselines(answered.baselines().iter().cloned())
        .regime(answered.regime().clone())
        .tree(answered.tree().clone())
        .build()
        .expect("the same tree without rules builds");
    if test {
        let with = answered.evaluate(Detail::Totals).expect("evaluates");
        let without = unanswered.evaluate(Detail::Totals).expect("evaluates");
        assert!(
            with.paths().iter().any(|p| !p.answers().is_empty()),
            "the rules answer on some path"
        );
        assert!(without.paths().iter().all(|p| p.answers().is_empty()));
        println!("ratio: one pair evaluated (test mode)");
        return;
    }
    let time = |s: &Scenario| {
        let t = Instant::now();
        black_box(s.evaluate(Detail::Totals).expect("evaluates"));
        t.elapsed().as_secs_f64() * 1e3
    };
    // Warm up both: the first evaluations fault in fresh memory.
    for _ in 0..3 {
        time(&unanswered);
        time(&answered);
    }
    let mut without = Vec::with_capacity(pairs);
    let mut with = Vec::with_capacity(pairs);
    let mut ratios = Vec::with_capacity(pairs);
    for _ in 0..pairs {
        let a = time(&unanswered);
        let b = time(&answered);
        without.push(a);
        with.push(b);
        ratios.push(b / a);
    }
    for v in [&mut without, &mut with, &mut ratios] {
        v.sort_by(f64::total_cmp);
    }
    let q = |v: &[f64], n: usize, d: usize| v[(v.len() - 1) * n / d];
    println!(
        "{pairs} pairs: without rules {:.2} ms, with rules {:.2} ms (medians); \
         ratio per pair: median {:.2}x, quartiles {:.2}x to {:.2}x",
        q(&without, 1, 2),
        q(&with, 1, 2),
        q(&ratios, 1, 2),
        q(&ratios, 1, 4),
        q(&ratios, 3, 4),
    );
}
