//! Files from anyone: the loading policy, bounded errors, text hygiene, and
//! outputs that never destroy an input. Every hostile fixture is built in a
//! temporary folder of its own.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tariffsim::load::{
    self, Inputs, LoadOptions, OutputFile, check_outputs, load_scenario_with, write_outputs,
};
use tariffsim::outcome::{Branch, Node, OutcomeKind, OutcomeTree};
use tariffsim::report::{
    EvaluationReport, exposure_svg, layers_svg, path_timelines, reference_timeline, text_table,
    timeline_svg,
};
use tariffsim::{Detail, Regime, Scenario, ScenarioInfo};

use crate::common::{d, us_2018, window};

/// A scenario that reads nothing but itself.
const INLINE: &str = "[scenario]\nid = \"t\"\nhorizon = \"2019-01-01..2020-01-01\"\n\n[[baseline]]\nimporter = \"US\"\nexporter = \"CN\"\nbasket = [{ key = \"a\", value = \"100\" }]\n";

/// A measures file to include.
const MEASURES: &str = "[[measure]]\nid = \"m1\"\nauthority = \"section-301\"\nimposer = \"US\"\ntarget = \"CN\"\ngoods = { baskets = [\"a\"] }\nsteps = [{ from = \"2019-01-01\", rate = \"10%\" }]\n";

fn folder() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::write(path, text).expect("the fixture is written");
    path.to_path_buf()
}

fn error_of(path: &Path, options: &LoadOptions) -> String {
    load_scenario_with(path, options)
        .map(|_| ())
        .expect_err("the file is refused")
        .to_string()
}

/// `scenario/s.toml` includes `include`, beside an `outside/` folder with a
/// valid measures file.
fn traversal_fixture(include: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = folder();
    std::fs::create_dir(dir.path().join("scenario")).unwrap();
    std::fs::create_dir(dir.path().join("outside")).unwrap();
    write(&dir.path().join("outside/measures.toml"), MEASURES);
    let s = write(
        &dir.path().join("scenario/s.toml"),
        &format!("include = [{include:?}]\n{INLINE}"),
    );
    (dir, s)
}

#[test]
fn a_relative_include_outside_the_tree_is_refused_and_an_allowed_root_admits_it() {
    let (dir, s) = traversal_fixture("../outside/measures.toml");
    let root = dir.path().canonicalize().unwrap();
    let e = error_of(&s, &LoadOptions::new());
    assert_eq!(
        e,
        format!(
            "{s}, include \"../outside/measures.toml\": {inc}: resolves to {out}, outside the scenario's tree {tree}: keep included and data files inside it, or allow their folder with LoadOptions::allow_root",
            s = s.display(),
            inc = dir
                .path()
                .join("scenario/../outside/measures.toml")
                .display(),
            out = root.join("outside/measures.toml").display(),
            tree = root.join("scenario").display(),
        )
    );
    let loaded = load_scenario_with(
        &s,
        &LoadOptions::new().allow_root(dir.path().join("outside")),
    )
    .expect("an allowed root admits the include");
    assert_eq!(loaded.scenario().regime().measures().len(), 1);
    assert_eq!(loaded.inputs().files().len(), 2);
}

#[test]
fn an_absolute_include_and_a_deep_traversal_are_refused_without_echoing_content() {
    // A "secret" outside the tree that is not TOML: were it read, the parser
    // would complain about its first line.
    let dir = folder();
    let secret = write(
        &dir.path().join("secret"),
        "root:hunter2:19000:0:99999:7:::\n",
    );
    std::fs::create_dir(dir.path().join("s")).unwrap();
    let depth = dir.path().components().count() + 3;
    let traversal = format!("{}{}", "../".repeat(depth), secret.display());
    for include in [secret.display().to_string(), traversal] {
        let s = write(
            &dir.path().join("s/s.toml"),
            &format!("include = [{include:?}]\n{INLINE}"),
        );
        let e = error_of(&s, &LoadOptions::new());
        assert!(e.contains("outside the scenario's tree"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
    }
    // Allowed, the file is read, and its error still shows none of it.
    let s = write(
        &dir.path().join("s/s.toml"),
        &format!("include = [{:?}]\n{INLINE}", secret.display().to_string()),
    );
    let e = error_of(&s, &LoadOptions::new().allow_root(dir.path()));
    assert_eq!(
        e,
        format!("{}, line 1, column 5: expected `.`, `=`", secret.display())
    );
}

#[test]
fn system_files_are_refused_even_under_an_allowed_root() {
    let dir = folder();
    for (include, why) in [
        ("/proc/self/environ", "a system file"),
        ("/dev/zero", "a system file"),
    ] {
        let s = write(
            &dir.path().join("s.toml"),
            &format!("include = [{include:?}]\n{INLINE}"),
        );
        let e = error_of(&s, &LoadOptions::new().allow_root("/"));
        assert!(e.contains(why), "{e}");
        assert!(!e.contains("PATH="), "{e}");
    }
}

#[test]
fn a_fifo_is_refused_at_once_and_never_opened() {
    let dir = folder();
    let fifo = dir.path().join("pipe.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let s = write(
        &dir.path().join("s.toml"),
        "[scenario]\nid = \"t\"\nhorizon = \"2019-01-01..2020-01-01\"\n\n[[baseline]]\nimporter = \"US\"\nexporter = \"CN\"\nfile = \"pipe.csv\"\n",
    );
    let start = Instant::now();
    let e = error_of(&s, &LoadOptions::new());
    assert!(start.elapsed() < Duration::from_secs(5), "it waited");
    assert_eq!(
        e,
        format!(
            "{}, baseline \"US\"<-\"CN\": {}: is a named pipe (FIFO), not a regular file: scenarios read only regular files",
            s.display(),
            dir.path().join("pipe.csv").display()
        )
    );
}

#[test]
fn a_device_is_refused_at_once() {
    let dir = folder();
    let s = write(
        &dir.path().join("s.toml"),
        "[scenario]\nid = \"t\"\nhorizon = \"2019-01-01..2020-01-01\"\n\n[[baseline]]\nimporter = \"US\"\nexporter = \"CN\"\nfile = \"zero.csv\"\n",
    );
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.csv")).unwrap();
    let start = Instant::now();
    let e = error_of(&s, &LoadOptions::new().allow_root("/dev"));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "it read /dev/zero"
    );
    assert!(
        e.ends_with(
            "zero.csv: resolves to /dev/zero, a system file: scenarios read only data files"
        ),
        "{e}"
    );
}

#[test]
fn a_two_gigabyte_file_of_nul_bytes_is_refused_at_the_limit_with_a_short_message() {
    let dir = folder();
    let big = std::fs::File::create(dir.path().join("big.csv")).unwrap();
    // Sparse: 2 GiB of NUL bytes that take no disk space.
    big.set_len(2 << 30).unwrap();
    let s = write(
        &dir.path().join("s.toml"),
        "[scenario]\nid = \"t\"\nhorizon = \"2019-01-01..2020-01-01\"\n\n[[baseline]]\nimporter = \"US\"\nexporter = \"CN\"\nfile = \"big.csv\"\n",
    );
    let start = Instant::now();
    let e = error_of(&s, &LoadOptions::new());
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(
        e,
        format!(
            "{}, baseline \"US\"<-\"CN\": {} is larger than the limit of 268435456 bytes for CSV files: raise LoadOptions::max_csv_bytes if it is meant to be this large",
            s.display(),
            dir.path().join("big.csv").display()
        )
    );
    // The same under a small limit that the file passes in size but whose
    // one row of NUL bytes is still far past any field: a short message.
    std::fs::write(
        dir.path().join("big.csv"),
        [b"key,value\n".as_slice(), &vec![0u8; 1 << 20]].concat(),
    )
    .unwrap();
    let e = error_of(&s, &LoadOptions::new().max_csv_bytes(2 << 20));
    assert!(
        e.len() < 300,
        "{} bytes: {}",
        e.len(),
        &e[..300.min(e.len())]
    );
    assert!(!e.contains('\0'));
}

#[test]
fn a_toml_file_past_its_limit_names_the_file_and_the_limit() {
    let dir = folder();
    let s = write(
        &dir.path().join("s.toml"),
        &format!("{INLINE}# {}\n", "x".repeat(5_000)),
    );
    assert_eq!(
        error_of(&s, &LoadOptions::new().max_toml_bytes(4_096)),
        format!(
            "{} is larger than the limit of 4096 bytes for TOML files: raise LoadOptions::max_toml_bytes if it is meant to be this large",
            s.display()
        )
    );
}

#[test]
fn a_twenty_thousand_deep_include_chain_is_a_clean_error_and_loads_when_allowed() {
    let dir = folder();
    const DEPTH: usize = 20_000;
    for i in 1..DEPTH {
        write(
            &dir.path().join(format!("f{i}.toml")),
            &format!("include = [\"f{}.toml\"]\n", i + 1),
        );
    }
    write(&dir.path().join(format!("f{DEPTH}.toml")), MEASURES);
    let s = write(
        &dir.path().join("s.toml"),
        &format!("include = [\"f1.toml\"]\n{INLINE}"),
    );
    assert_eq!(
        error_of(&s, &LoadOptions::new()),
        format!(
            "{}, include \"f33.toml\": includes nest more than 32: flatten the includes, or raise LoadOptions::max_include_depth",
            dir.path().join("f32.toml").display()
        )
    );
    assert_eq!(
        error_of(&s, &LoadOptions::new().max_include_depth(DEPTH)),
        format!(
            "{}, include \"f1001.toml\": includes name more than 1000: flatten the includes, or raise LoadOptions::max_includes",
            dir.path().join("f1000.toml").display()
        )
    );
    // The walk holds no stack per level: the whole chain loads on this
    // test's thread.
    let loaded = load_scenario_with(
        &s,
        &LoadOptions::new()
            .max_include_depth(DEPTH)
            .max_includes(DEPTH),
    )
    .expect("the chain loads");
    assert_eq!(loaded.inputs().files().len(), DEPTH + 1);
    assert_eq!(loaded.scenario().regime().measures().len(), 1);
}

#[test]
fn errors_name_the_place_and_echo_only_a_short_escaped_excerpt() {
    let dir = folder();
    // Invalid UTF-8 on line 3 of a scenario file: "[scenario]\n" (11 bytes)
    // and "id = \"t\"\n" (9) before it, then `title = "a` (10), so the bad
    // byte is the 31st.
    let s = dir.path().join("s.toml");
    std::fs::write(&s, b"[scenario]\nid = \"t\"\ntitle = \"a\xff\"\n").unwrap();
    assert_eq!(
        error_of(&s, &LoadOptions::new()),
        format!(
            "{}: invalid UTF-8 at line 3, byte 31: save the file as UTF-8",
            s.display()
        )
    );
    // Invalid UTF-8 in a CSV names the line and field.
    std::fs::write(dir.path().join("b.csv"), b"key,value\na,1\nb\xfe,2\n").unwrap();
    write(
        &s,
        "[scenario]\nid = \"t\"\nhorizon = \"2019-01-01..2020-01-01\"\n\n[[baseline]]\nimporter = \"US\"\nexporter = \"CN\"\nfile = \"b.csv\"\n",
    );
    assert_eq!(
        error_of(&s, &LoadOptions::new()),
        format!(
            "{}, baseline \"US\"<-\"CN\": {}, line 3: invalid UTF-8 in field 1 at byte 2 of the field: save the file as UTF-8",
            s.display(),
            dir.path().join("b.csv").display()
        )
    );
    // A 100,000-character scenario id, with control characters.
    let id = format!("\u{1b}[2J{}", "x".repeat(100_000));
    write(
        &s,
        &INLINE.replace(
            "id = \"t\"",
            &format!("id = \"{}\"", id.replace('\u{1b}', "\\u001b")),
        ),
    );
    let e = error_of(&s, &LoadOptions::new());
    assert_eq!(
        e,
        format!(
            "{}, [scenario] field \"id\": invalid scenario id \"\\u{{1b}}[2J{}…\": use 1 to 64 letters, digits or . _ - : /",
            s.display(),
            // 80 characters: 2 quotes, the ellipsis, `\u{1b}` (6), `[2J` (3)
            // and 68 of the x's.
            "x".repeat(68)
        )
    );
    assert!(!e.contains('\u{1b}'));
}

#[test]
fn dates_with_a_time_and_overlong_numbers_are_refused_truthfully() {
    let dir = folder();
    let s = write(
        &dir.path().join("s.toml"),
        &format!(
            "{INLINE}{}",
            MEASURES.replace("from = \"2019-01-01\"", "from = \"2019-01-01T23:59\"")
        ),
    );
    assert_eq!(
        error_of(&s, &LoadOptions::new()),
        format!(
            "{}, measure \"m1\": step 1: field \"from\": invalid date \"2019-01-01T23:59\": write dates as YYYY-MM-DD, e.g. 2019-03-02, with no time or zone",
            s.display()
        )
    );
    write(
        &dir.path().join("s.toml"),
        &INLINE.replace(
            "value = \"100\"",
            "value = \"1.2345678901234567890123456789\"",
        ),
    );
    assert_eq!(
        error_of(&s, &LoadOptions::new()),
        format!(
            "{}, baseline \"US\"<-\"CN\": basket 1 field \"value\": invalid value \"1.2345678901234567890123456789\": it has 29 significant digits and at most 28 are held exactly: round it",
            s.display()
        )
    );
}

#[test]
fn control_characters_in_titles_and_labels_are_refused_at_load() {
    let dir = folder();
    let s = write(
        &dir.path().join("s.toml"),
        &INLINE.replace("id = \"t\"", "id = \"t\"\ntitle = \"Busan\\u001b[31m\\r\""),
    );
    assert_eq!(
        error_of(&s, &LoadOptions::new()),
        format!(
            "{}, [scenario] field \"title\": \"Busan\\u{{1b}}[31m\\r\" holds the control character U+001B at character 6: remove it (this text is one line)",
            s.display()
        )
    );
    let tree = format!(
        "{INLINE}{MEASURES}\n[[node]]\nid = \"n\"\nlabel = \"Talks\"\ndate = \"2019-06-01\"\nbranch = [{{ id = \"a\", label = \"Deal\\r\", kind = \"deal\", probability = \"1\" }}]\n"
    );
    write(&s, &tree);
    assert_eq!(
        error_of(&s, &LoadOptions::new()),
        format!(
            "{}: node \"n\", branch \"a\", field \"label\": \"Deal\\r\" holds the control character U+000D at character 5: remove it (this text is one line)",
            s.display()
        )
    );
}

/// A scenario built in code (not loaded) whose labels hold markup and
/// control characters.
fn hostile_labels() -> Scenario {
    let (baseline, measures) = us_2018();
    let label = "Deal \u{1b}[31m<b>&\"'\r\0";
    let root = Node::new(
        "talks".parse().unwrap(),
        "Talks \u{7} <b>&amp; \"very\" long: Supercalifragilisticexpialidocious-and-then-some-more-words-without-any-space-at-all-to-break-on-anywhere-in-the-plot-width-of-the-chart-at-all-really",
        d("2019-06-01"),
        vec![
            Branch::new(
                "deal".parse().unwrap(),
                label,
                OutcomeKind::Deal,
                "0.5".parse().unwrap(),
            ),
            Branch::new(
                "no-deal".parse().unwrap(),
                "\u{1b}]0;owned\u{7}",
                OutcomeKind::Escalation,
                "0.5".parse().unwrap(),
            ),
        ],
    );
    Scenario::builder(window("2019-01-01", "2020-01-01"))
        .info(ScenarioInfo {
            id: "hostile".into(),
            title: "Title \u{1b}[2J\r<svg>".into(),
            description: String::new(),
            assumptions: vec!["line\u{1b}".into()],
            sources: vec!["<src> & \u{1b}[1m 'quoted' \"twice\" ]]> --".into()],
        })
        .baseline(baseline)
        .regime(Regime::new(measures, vec![]).unwrap())
        .tree(OutcomeTree::new(root).unwrap())
        .build()
        .unwrap()
}

#[test]
fn control_characters_in_labels_give_well_formed_svg_and_a_clean_table() {
    let s = hostile_labels();
    let e = s.evaluate(Detail::Totals).unwrap();
    let report = EvaluationReport::new(&s, &e).unwrap();
    let mut timelines = path_timelines(&s).unwrap();
    let bare = timeline_svg(&report, &timelines);
    let layers = layers_svg(&report, &timelines[0]);
    timelines.push(reference_timeline(&s).unwrap());
    for svg in [
        exposure_svg(&report),
        bare,
        timeline_svg(&report, &timelines),
        layers,
    ] {
        if let Err(e) = roxmltree::Document::parse(&svg) {
            panic!("ill-formed SVG: {e}\n{svg}");
        }
        assert!(!svg.contains('\u{1b}') && !svg.contains('\0'));
    }
    let table = text_table(&report);
    assert!(!table.contains('\u{1b}') && !table.contains('\r') && !table.contains('\u{7}'));
    assert!(table.starts_with("Title \\u{1b}[2J\\r<svg>\n"), "{table}");
}

/// A scenario folder with an input file and an old output beside it.
fn loaded_fixture() -> (tempfile::TempDir, PathBuf, Inputs) {
    let dir = folder();
    let s = write(&dir.path().join("x.toml"), INLINE);
    let inputs = load_scenario_with(&s, &LoadOptions::new())
        .unwrap()
        .inputs()
        .clone();
    (dir, s, inputs)
}

#[test]
fn an_output_onto_an_input_is_refused_and_the_input_is_intact() {
    let (dir, s, inputs) = loaded_fixture();
    let canonical = s.canonicalize().unwrap();
    std::os::unix::fs::symlink(&s, dir.path().join("link.svg")).unwrap();
    std::fs::hard_link(&s, dir.path().join("hard.svg")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let cases = [
        (s.clone(), format!("it is {}", canonical.display())),
        (
            dir.path().join("sub/../x.toml"),
            format!("it is {}", canonical.display()),
        ),
        (
            dir.path().join("link.svg"),
            format!("it is {}", canonical.display()),
        ),
        (
            dir.path().join("hard.svg"),
            format!("it is a hard link to {}", canonical.display()),
        ),
    ];
    for (out, why) in cases {
        let e = write_outputs(&[(&out, b"<svg/>")], &inputs).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "cannot write {}: {why}, an input of this run: write the output to another file",
                out.display()
            )
        );
        assert_eq!(std::fs::read_to_string(&s).unwrap(), INLINE);
    }
    let e = check_outputs(&[dir.path()], &inputs).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("it is a folder: name a file inside it"),
        "{e}"
    );
    let a = dir.path().join("a.svg");
    let e = check_outputs(&[&a, &dir.path().join("sub/../a.svg")], &inputs).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "cannot write {}: {} names the same file: give each output its own file",
            dir.path().join("sub/../a.svg").display(),
            a.display()
        )
    );
}

#[test]
fn planted_symlinks_at_predictable_names_are_left_untouched() {
    let dir = folder();
    let victim = write(&dir.path().join("victim"), "precious\n");
    let out = dir.path().join("out.svg");
    let planted = [
        ".out.svg.tmp",
        "out.svg.tmp",
        ".out.svg.swp",
        "out.svg~",
        ".out.svg.new",
    ];
    for name in planted {
        std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
    }
    write_outputs(&[(&out, b"<svg/>")], &Inputs::new()).unwrap();
    write_outputs(&[(&out, b"<svg>2</svg>")], &Inputs::new()).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "<svg>2</svg>");
    for name in planted {
        let m = std::fs::symlink_metadata(dir.path().join(name)).unwrap();
        assert!(m.file_type().is_symlink(), "{name}");
    }
    // A symlink at the target itself is replaced, never written through.
    let linked = dir.path().join("linked.svg");
    std::os::unix::fs::symlink(&victim, &linked).unwrap();
    write_outputs(&[(&linked, b"<svg/>")], &Inputs::new()).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(
        !std::fs::symlink_metadata(&linked)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // Nothing else appeared: no temporary file stayed behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = planted.iter().map(|s| s.to_string()).collect();
    expected.extend(["linked.svg", "out.svg", "victim"].map(String::from));
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn an_output_keeps_the_permission_bits_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder();
    let out = write(&dir.path().join("report.csv"), "old\n");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    write_outputs(&[(&out, b"new\n")], &Inputs::new()).unwrap();
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "new\n");
}

#[test]
fn a_set_of_outputs_is_renamed_only_when_all_were_checked() {
    let dir = folder();
    let a = write(&dir.path().join("a.csv"), "old a\n");
    let missing = dir.path().join("no-such-folder/b.csv");
    let e = write_outputs(&[(&a, b"new a\n"), (&missing, b"b\n")], &Inputs::new()).unwrap_err();
    assert!(e.to_string().contains("no-such-folder"), "{e}");
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Set by the parent test: the folder the child writes in.
const CHILD_DIR: &str = "TARIFFSIM_TEST_KILLED_WRITER_DIR";

/// The child of the next test: starts writing `out.csv`, says so, and waits
/// to be killed. Run only by that test.
#[test]
#[ignore = "the child process of a_killed_writer_leaves_the_old_output_and_no_temporary_file"]
fn killed_writer_child() {
    let dir = PathBuf::from(std::env::var_os(CHILD_DIR).expect("run by the parent test"));
    let mut out = OutputFile::create(&dir.join("out.csv"), &Inputs::new()).unwrap();
    for _ in 0..64 {
        out.write_all(&[b'n'; 16 << 10]).unwrap();
    }
    out.flush().unwrap();
    println!("writing");
    std::io::stdout().flush().unwrap();
    std::thread::sleep(Duration::from_secs(120));
    out.commit().unwrap();
}

#[test]
fn a_killed_writer_leaves_the_old_output_and_no_temporary_file() {
    let dir = folder();
    write(&dir.path().join("out.csv"), "old\n");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "safety::killed_writer_child",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_DIR, dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the test binary runs as a child");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = lines.any(|l| l.is_ok_and(|l| l == "writing"));
    assert!(started, "the child never started writing");
    // SIGKILL: no destructor, no cleanup of any kind runs in the child.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.csv")).unwrap(),
        "old\n"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["out.csv"]);
}

#[test]
fn a_portfolio_is_read_under_the_same_policy() {
    let dir = folder();
    let fifo = dir.path().join("skus.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let e = load::read_portfolio(&fifo, &LoadOptions::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: is a named pipe (FIFO), not a regular file: scenarios read only regular files",
            fifo.display()
        )
    );
    let skus = write(
        &dir.path().join("big.csv"),
        &format!(
            "sku,hts10,annual_value_usd\n{}",
            "A-1,8471300100,1\n".repeat(100)
        ),
    );
    assert_eq!(
        load::read_portfolio(&skus, &LoadOptions::new().max_csv_bytes(1_000))
            .unwrap_err()
            .to_string(),
        format!(
            "{} is larger than the limit of 1000 bytes for CSV files: raise LoadOptions::max_csv_bytes if it is meant to be this large",
            skus.display()
        )
    );
}

#[test]
fn a_root_marker_widens_the_tree_to_its_folder_and_no_further() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder();
    let top = dir.path().join("project");
    std::fs::create_dir_all(top.join("scenarios")).unwrap();
    std::fs::create_dir_all(top.join("record")).unwrap();
    write(&top.join("record/m.toml"), MEASURES);
    write(&dir.path().join("above.toml"), MEASURES);
    let s = write(
        &top.join("scenarios/s.toml"),
        &format!("include = [\"../record/m.toml\"]\n{INLINE}"),
    );
    let refused = error_of(&s, &LoadOptions::new());
    assert!(refused.contains("outside the scenario's tree"), "{refused}");
    write(&top.join(load::ROOT_MARKER), "");
    assert!(load_scenario_with(&s, &LoadOptions::new()).is_ok());
    // Off, the marker counts for nothing.
    let e = error_of(&s, &LoadOptions::new().marked_root(false));
    assert!(e.contains("outside the scenario's tree"), "{e}");
    // The marked folder is the limit: a file above it is still outside.
    write(&s, &format!("include = [\"../../above.toml\"]\n{INLINE}"));
    let e = error_of(&s, &LoadOptions::new());
    assert!(e.contains("outside the scenario's tree"), "{e}");
    // A marker in a folder everyone may write to is ignored.
    write(&s, &format!("include = [\"../record/m.toml\"]\n{INLINE}"));
    std::fs::set_permissions(&top, std::fs::Permissions::from_mode(0o777)).unwrap();
    let e = error_of(&s, &LoadOptions::new());
    assert!(e.contains("outside the scenario's tree"), "{e}");
}
