//! Scenario files: every shipped scenario survives a save and reload
//! unchanged; bad input gives an error that names the file, the item and the
//! fix; and no bytes whatsoever make the loaders panic.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use tariffsim::*;

/// A fresh folder under the system temp folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("tariffsim-files-{}-{n}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str, text: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scenario_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("data/scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_loads_saves_and_reloads_equal() {
    let files = scenario_files();
    // The four scenarios this crate ships at least; files added later are
    // covered by the same loop.
    for name in [
        "busan-2025",
        "busan-expiry-2026",
        "g20-2018",
        "record-2018-2026",
    ] {
        assert!(
            files.iter().any(|f| f.file_stem().unwrap() == name),
            "{name} missing"
        );
    }
    for file in &files {
        let original =
            load::load_scenario(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let dir = TempDir::new(&file.file_stem().unwrap().to_string_lossy());
        let copy = dir.0.join(file.file_name().unwrap());
        load::save_scenario(&original, &copy).unwrap();
        let reloaded =
            load::load_scenario(&copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
        assert!(
            reloaded == original,
            "{} changed on save and reload",
            file.display()
        );
        // Saving the reloaded scenario writes the same bytes again.
        let dir2 = TempDir::new(&format!(
            "{}-again",
            file.file_stem().unwrap().to_string_lossy()
        ));
        let again = dir2.0.join(file.file_name().unwrap());
        load::save_scenario(&reloaded, &again).unwrap();
        assert_eq!(
            std::fs::read_to_string(&again).unwrap(),
            std::fs::read_to_string(&copy).unwrap(),
            "{}",
            file.display()
        );
    }
}

/// The error of parsing `text` as a scenario file in `data/scenarios`.
fn parse_error(text: &str) -> String {
    match load::parse_scenario(text, Path::new("data/scenarios")) {
        Ok(_) => panic!("parsed: {text}"),
        Err(e) => e.to_string(),
    }
}

const HEAD: &str = "[scenario]\nid = \"t\"\nhorizon = \"2019-01-01..2020-01-01\"\n\n[[baseline]]\nimporter = \"US\"\nexporter = \"CN\"\nfile = \"../baselines/us-cn-2017-lists.csv\"\n";

const LIST_1: &str = "\n[[measure]]\nid = \"list-1\"\nauthority = \"section-301\"\nimposer = \"US\"\ntarget = \"CN\"\ngoods = { baskets = [\"list-1-goods\"] }\n";

#[test]
fn a_file_that_is_not_toml_names_the_line_and_column() {
    assert_eq!(
        parse_error("[scenario\nid = \"t\"\n"),
        "data/scenarios/<text>, line 1, column 10: invalid table header expected `.`, `]`"
    );
}

#[test]
fn an_unknown_field_is_refused_with_the_fields_allowed() {
    assert_eq!(
        parse_error(&format!("{HEAD}colour = \"red\"\n")),
        "data/scenarios/<text>, line 9, column 1: unknown field `colour`, expected one of `importer`, `exporter`, `currency`, `source`, `file`, `key_column`, `value_column`, `ignore_columns`, `nested`, `basket`"
    );
    assert_eq!(
        parse_error(
            "[scenario]\nid = \"t\"\nhorizon = \"2019-01-01..2020-01-01\"\ncolour = \"red\"\n"
        ),
        "data/scenarios/<text>, line 4, column 1: unknown field `colour`, expected one of `id`, `title`, `description`, `horizon`, `reference`, `history_from`, `not_valued`, `assumptions`, `sources`"
    );
}

#[test]
fn a_number_where_a_string_belongs_is_refused() {
    let text = format!("{HEAD}{LIST_1}steps = [{{ from = \"2018-07-06\", rate = 0.25 }}]\n");
    assert_eq!(
        parse_error(&text),
        "data/scenarios/<text>, line 16, column 40: invalid type: floating point `0.25`, expected a string"
    );
}

#[test]
fn a_rate_without_its_percent_sign_is_refused() {
    let text = format!("{HEAD}{LIST_1}steps = [{{ from = \"2018-07-06\", rate = \"0.25\" }}]\n");
    assert_eq!(
        parse_error(&text),
        "data/scenarios/<text>, measure \"list-1\": step 1: field \"rate\": invalid rate \"0.25\": write rates as percentages with their unit, e.g. \"25%\" (a fraction 0.25 is \"25%\")"
    );
}

#[test]
fn a_measure_id_defined_again_after_an_include_is_refused() {
    let text = format!(
        "include = [\"../record/us-china-2018-2019.toml\"]\n{HEAD}{LIST_1}steps = [{{ from = \"2018-07-06\", rate = \"25%\" }}]\n"
    );
    assert_eq!(
        parse_error(&text),
        "data/scenarios/<text> (first defined in data/scenarios/../record/us-china-2018-2019.toml): measure id \"list-1\" is used twice: give each measure its own id"
    );
}

#[test]
fn an_action_on_an_unknown_measure_is_refused() {
    let text = format!(
        "{HEAD}{LIST_1}steps = [{{ from = \"2018-07-06\", rate = \"25%\" }}]\n\n[[node]]\nid = \"n\"\ndate = \"2019-01-01\"\n\n[[node.branch]]\nid = \"b\"\nkind = \"deal\"\nprobability = \"1\"\naction = [{{ do = \"revoke\", target = \"list-9\", from = \"2019-02-01\" }}]\n"
    );
    assert_eq!(
        parse_error(&text),
        "data/scenarios/<text>: node \"n\", branch \"b\", action 1 (measure:list-9): unknown measure \"list-9\": define it under [[measure]] or fix the id"
    );
}

#[test]
fn an_unknown_hs_list_is_refused_with_the_lists_known() {
    let text = format!(
        "{HEAD}\n[[hs_list]]\nname = \"annex-2\"\ncodes = [\"8471\"]\n\n[[measure]]\nid = \"m\"\nauthority = \"ieepa\"\nimposer = \"US\"\ntarget = \"CN\"\ngoods = {{ hs_lists = [\"annex-ii\"] }}\nsteps = [{{ from = \"2019-01-01\", rate = \"10%\" }}]\n"
    );
    assert_eq!(
        parse_error(&text),
        "data/scenarios/<text>, measure \"m\": field \"goods\": unknown HS list \"annex-ii\": declare it under [[hs_list]] (known: annex-2)"
    );
}

#[test]
fn a_branch_leading_to_an_unknown_node_is_refused() {
    let text = format!(
        "{HEAD}{LIST_1}steps = [{{ from = \"2018-07-06\", rate = \"25%\" }}]\n\n[[node]]\nid = \"n\"\ndate = \"2019-01-01\"\n\n[[node.branch]]\nid = \"b\"\nkind = \"truce\"\nprobability = \"1\"\nnext = \"deadline\"\n"
    );
    assert_eq!(
        parse_error(&text),
        "data/scenarios/<text>: node \"n\", branch \"b\": unknown node \"deadline\": define it as a [[node]]"
    );
}

#[test]
fn a_missing_included_file_is_named() {
    let text = format!("include = [\"../record/no-such-file.toml\"]\n{HEAD}");
    assert_eq!(
        parse_error(&text),
        "data/scenarios/<text>, include \"../record/no-such-file.toml\": data/scenarios/../record/no-such-file.toml: cannot open: No such file or directory (os error 2)"
    );
}

/// The error of reading `csv` as a US<-CN baseline.
fn csv_error(name: &str, csv: &str) -> String {
    let dir = TempDir::new(name);
    let path = dir.file("baseline.csv", csv.as_bytes());
    let e = load::read_baseline_csv(
        &path,
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        &load::CsvColumns::default(),
    )
    .unwrap_err()
    .to_string();
    e.replace(&dir.0.display().to_string(), "DIR")
}

#[test]
fn bad_baseline_csv_files_are_refused_with_file_line_and_field() {
    assert_eq!(
        csv_error("negative", "key,value\nlist-1-goods,34\nlist-2-goods,-16\n"),
        "DIR/baseline.csv, line 3, field \"value\": trade value of list-2-goods is negative (-16): it must be zero or more"
    );
    assert_eq!(
        csv_error("exponent", "key,value\nlist-1-goods,3.4e10\n"),
        "DIR/baseline.csv, line 2, field \"value\": invalid value \"3.4e10\": write the number in plain digits, without an exponent"
    );
    assert_eq!(
        csv_error("text", "key,value\nlist-1-goods,34 billion\n"),
        "DIR/baseline.csv, line 2, field \"value\": invalid value \"34 billion\": write a plain decimal number such as 34000000000 or 0.5"
    );
    assert_eq!(
        csv_error("empty", ""),
        "DIR/baseline.csv: the file is empty: give a header line and at least one row"
    );
    assert_eq!(
        csv_error(
            "duplicate",
            "key,value\nlist-1-goods,34\nlist-2-goods,16\nlist-1-goods,35\n"
        ),
        "DIR/baseline.csv, line 4: list-1-goods is given again with different values (first on line 2): keep one row per key"
    );
}

/// The US–CN baseline CSV `text`, read from a folder of its own named
/// `name`.
fn read_csv(name: &str, text: &[u8]) -> tariffsim::trade::Baseline {
    let dir = TempDir::new(name);
    let path = dir.file("baseline.csv", text);
    load::read_baseline_csv(
        &path,
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        &load::CsvColumns::default(),
    )
    .unwrap()
}

#[test]
fn a_key_given_twice_with_the_same_value_is_read_once() {
    let b = read_csv(
        "same-twice",
        b"key,value\nlist-1-goods,34\nlist-1-goods,34\n",
    );
    assert_eq!(b.baskets().len(), 1);
}

#[test]
fn repeated_keys_in_an_unsorted_file_are_read_once_or_refused_at_the_first_clash() {
    // Keys out of order, `b` three times (lines 3, 5, 7) with one value,
    // `a` twice with another value on line 6: `b`'s repeats are dropped,
    // the first row of each key kept in file order, and the clash on
    // line 6 is the error, naming `a`'s first line.
    let text = "key,description,value\nc,first c,3\nb,first b,2\na,first a,1\nb,again,2\na,clash,9\nb,again,2\n";
    assert_eq!(
        csv_error("clash", text),
        "DIR/baseline.csv, line 6: a is given again with different values (first on line 4): keep one row per key"
    );
    // Of two clashes, the one on the earlier line is reported, whatever
    // the order of the keys.
    let two = "key,value\nz,1\ny,2\ny,3\nz,4\n";
    assert_eq!(
        csv_error("two-clashes", two),
        "DIR/baseline.csv, line 4: y is given again with different values (first on line 3): keep one row per key"
    );
    // A clash before a bad row is the first error in the file; a bad row
    // before a clash is.
    assert_eq!(
        csv_error("clash-first", "key,value\nb,1\nb,2\na,x\n"),
        "DIR/baseline.csv, line 3: b is given again with different values (first on line 2): keep one row per key"
    );
    assert!(
        csv_error("bad-first", "key,value\nb,1\na,x\nb,2\n")
            .starts_with("DIR/baseline.csv, line 3, field \"value\": invalid value \"x\""),
    );

    let b = read_csv(
        "repeats",
        b"key,description,value\nc,first c,3\nb,first b,2\na,first a,1\nb,again,2\na,again,1\n",
    );
    let read: Vec<(String, &str)> = b
        .baskets()
        .iter()
        .map(|k| (k.key().to_string(), k.description()))
        .collect();
    assert_eq!(
        read,
        [
            ("c".to_string(), "first c"),
            ("b".to_string(), "first b"),
            ("a".to_string(), "first a")
        ]
    );
}

/// A mutation of a byte string: flip, delete or insert bytes at positions.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Delete(usize),
    Insert(usize, u8),
}

fn mutate(original: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut v = original.to_vec();
    for e in edits {
        if v.is_empty() {
            break;
        }
        match *e {
            Edit::Flip(i, mask) => {
                let i = i % v.len();
                v[i] ^= mask.max(1);
            }
            Edit::Delete(i) => {
                let i = i % v.len();
                v.remove(i);
            }
            Edit::Insert(i, b) => {
                let i = i % (v.len() + 1);
                v.insert(i, b);
            }
        }
    }
    v
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(i, m)| Edit::Flip(i, m)),
            any::<usize>().prop_map(Edit::Delete),
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Insert(i, b)),
        ],
        1..8,
    )
}

fn read_csv_bytes(dir: &TempDir, bytes: &[u8]) {
    let path = dir.file("baseline.csv", bytes);
    let _ = load::read_baseline_csv(
        &path,
        "US".parse().unwrap(),
        "CN".parse().unwrap(),
        Currency::USD,
        &load::CsvColumns::default(),
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    // The property: whatever the bytes, the loaders return Ok or Err and never
    // panic.
    #[test]
    fn arbitrary_bytes_never_panic_the_loaders(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = load::parse_scenario(&String::from_utf8_lossy(&bytes), Path::new("data/scenarios"));
        let dir = TempDir::new("bytes");
        read_csv_bytes(&dir, &bytes);
    }

    #[test]
    fn mutated_shipped_files_never_panic_the_loaders(scenario_edits in edits(), csv_edits in edits()) {
        for file in ["data/scenarios/g20-2018.toml", "data/scenarios/busan-2025.toml"] {
            let text = std::fs::read(file).unwrap();
            let mutated = mutate(&text, &scenario_edits);
            let _ = load::parse_scenario(&String::from_utf8_lossy(&mutated), Path::new("data/scenarios"));
        }
        let dir = TempDir::new("mutated");
        for file in ["data/baselines/us-cn-2017-lists.csv", "data/baselines/us-cn-census-totals.csv"] {
            let csv = std::fs::read(file).unwrap();
            read_csv_bytes(&dir, &mutate(&csv, &csv_edits));
        }
    }
}
