use tariffsim::synthetic::Synthetic;
use tariffsim::*;
fn main() {
    let answered = Synthetic::new(2018)
        .lines(20_000)
        .measures(10)
        .steps(3)
        .tree(3, 10)
        .retaliation(3)
        .scenario()
        .unwrap();
    let bare = Scenario::builder(answered.horizon())
        .info(answered.info().clone())
        .baselines(answered.baselines().iter().cloned())
        .regime(answered.regime().clone())
        .tree(answered.tree().clone())
        .build()
        .unwrap();
    let which = std::env::args().nth(1).unwrap_or_default();
    for (name, sc) in [("bare", &bare), ("rules", &answered)] {
        if !which.is_empty() && which != name {
            continue;
        }
        let t = std::time::Instant::now();
        for _ in 0..20 {
            let e = sc.evaluate(Detail::Totals).unwrap();
            std::hint::black_box(e);
        }
        eprintln!("{name}: {:?} per evaluation", t.elapsed() / 20);
    }
}
