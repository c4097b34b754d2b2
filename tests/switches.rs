//! Switches: an assumption stated with its alternatives, chosen when a
//! scenario is loaded (the civil-aircraft class of Section 122 in the
//! shipped line-level record), and the errors of bad ones.

use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tariffsim::*;

const Y2026: &str = "data/scenarios/us-china-lines-2026.toml";

/// The 2024 value Section 122 does not reach on 2026-03-01 under the
/// setting `aircraft` of the switch: total value less what pays, where one
/// day of the 10% is value × 10% / 365.
fn s122_exempt_on_2026_03_01(aircraft: &str) -> (Decimal, Vec<String>) {
    let options = load::LoadOptions::new().with_setting("s122-civil-aircraft", aircraft);
    let s = load::load_scenario_with(Path::new(Y2026), &options)
        .unwrap()
        .into_parts()
        .0;
    let e = engine::Prepared::new(s.baselines().to_vec(), s.regime().clone())
        .unwrap()
        .exposure(
            tariffsim::units::Window::new(
                "2026-03-01".parse().unwrap(),
                "2026-03-02".parse().unwrap(),
            )
            .unwrap(),
            Detail::Totals,
        )
        .unwrap();
    let side = e.side("US", "CN").unwrap();
    let day = side.measure("s122-surcharge").unwrap().gross().amount();
    let paying = day * dec!(365) / dec!(0.10);
    let total = side.import_value().amount() * dec!(365);
    ((total - paying).round_dp(0), s.info().assumptions.clone())
}

#[test]
fn the_section_122_exempt_value_follows_the_civil_aircraft_switch() {
    // data/lines/2026/check.py, section 4: the (aa)(ii), (aa)(iii),
    // unconfirmed and chapter 98 lines in full, Section 232 lines on the
    // share 232 covers, each metal displacing its own share and a line's
    // shares added, capped at 1 (as the record stacks them): assumption A
    // (civil-aircraft lines pay) $176,438,536,273; assumption B (exempt in
    // full) $215,791,026,528. Taking each line's largest share instead of
    // the sum, check.py gives A $175,856,473,115 (−$582,063,158, the lines
    // with two metals, e.g. 8544.42.90.90: aluminum 0.083189 + copper
    // 0.49139) and B $215,410,545,050. The sanity file's A, counted that
    // way without chapter 98, is $169,734,053,848
    // (data/lines/2026/README.md).
    let (pay, said) = s122_exempt_on_2026_03_01("pay");
    let (exempt, said_exempt) = s122_exempt_on_2026_03_01("exempt");
    assert_eq!(pay, dec!(176_438_536_273));
    assert_eq!(exempt, dec!(215_791_026_528));
    // The switch moves $39,352,490,255 of value out of the 10%.
    assert_eq!(exempt - pay, dec!(39_352_490_255));
    // Each setting is stated among the assumptions, with the other one.
    let stated = |all: &[String], setting: &str| {
        all.iter()
            .filter(|a| a.contains(&format!("(switch s122-civil-aircraft = {setting};")))
            .count()
    };
    assert_eq!(stated(&said, "pay"), 1);
    assert_eq!(stated(&said, "exempt"), 0);
    assert_eq!(stated(&said_exempt, "exempt"), 1);
    assert!(
        said.iter()
            .any(|a| a.contains("paying the 10%") && a.ends_with("also: exempt)"))
    );
}

/// A one-line scenario with a switch `tax` (settings `pay`, `free`) whose
/// `free` setting exempts the line from the 10%; `extra` is appended.
fn text(extra: &str) -> String {
    format!(
        r#"[scenario]
id = "switch"
horizon = "2026-01-01..2026-04-11"
assumptions = ["Stated in the file."]

[[baseline]]
importer = "US"
exporter = "CN"
file = "b.csv"
key_column = "hts10"

[[measure]]
id = "s122"
authority = "section-122"
imposer = "US"
target = "CN"
goods = {{ all = true }}
steps = [{{ from = "2026-01-01", rate = "10%" }}]

[[switch]]
id = "tax"
default = "pay"
settings = [
  {{ id = "pay", assumption = "The line pays." }},
  {{ id = "free", assumption = "The line is exempt." }},
]

[[stacking]]
id = "free-line"
kind = "exempt"
measures = ["s122"]
goods = {{ hs = ["8802"] }}
when = "tax=free"
{extra}"#
    )
}

fn parse(extra: &str, options: load::LoadOptions) -> Result<Scenario> {
    let dir = tempfile::tempdir().unwrap();
    // $3,650 a year: $10 a day, $1,000 over the 100 days of the horizon.
    std::fs::write(dir.path().join("b.csv"), "hts10,value\n8802200000,3650\n").unwrap();
    load::parse_scenario_with(&text(extra), dir.path(), &options).map(|l| l.into_parts().0)
}

fn s122(s: &Scenario) -> Decimal {
    let e = s.evaluate(Detail::Totals).unwrap();
    let side = e.reference().exposure().side("US", "CN").unwrap();
    side.measure("s122")
        .unwrap()
        .gross()
        .to_cents(Currency::USD)
        .amount()
}

#[test]
fn the_default_holds_unless_a_setting_is_chosen() {
    // Default `pay`: 10% of $1,000 = $100.00; `free`: the exempt rule holds, $0.
    let pay = parse("", load::LoadOptions::new()).unwrap();
    assert_eq!(s122(&pay), dec!(100.00));
    assert_eq!(
        pay.info().assumptions,
        [
            "Stated in the file.",
            "The line pays. (switch tax = pay; also: free)"
        ]
    );
    let free = parse("", load::LoadOptions::new().with_setting("tax", "free")).unwrap();
    assert_eq!(s122(&free), dec!(0));
    assert_eq!(
        free.info().assumptions[1],
        "The line is exempt. (switch tax = free; also: pay)"
    );
    // A later choice of the same switch replaces an earlier one.
    let again = load::LoadOptions::new()
        .with_setting("tax", "free")
        .with_setting("tax", "pay");
    assert_eq!(s122(&parse("", again).unwrap()), dec!(100.00));
}

fn error(extra: &str, options: load::LoadOptions) -> String {
    parse(extra, options).unwrap_err().to_string()
}

#[test]
fn bad_switches_and_settings_are_errors_naming_what_is_known() {
    let e = error("", load::LoadOptions::new().with_setting("taxes", "free"));
    assert!(
        e.contains("unknown switch \"taxes\"") && e.contains("tax"),
        "{e}"
    );
    let e = error("", load::LoadOptions::new().with_setting("tax", "exempt"));
    assert!(
        e.contains("unknown setting \"exempt\"") && e.contains("pay"),
        "{e}"
    );
    let e = error(
        "\n[[stacking]]\nid = \"x\"\nkind = \"exempt\"\nmeasures = [\"s122\"]\ngoods = { hs = [\"88\"] }\nwhen = \"tax\"\n",
        load::LoadOptions::new(),
    );
    assert!(
        e.contains("SWITCH=SETTING") && e.contains("stacking rule \"x\", field \"when\""),
        "{e}"
    );
    let e = error(
        "\n[[stacking]]\nid = \"x\"\nkind = \"exempt\"\nmeasures = [\"s122\"]\ngoods = { hs = [\"88\"] }\nwhen = \"other=free\"\n",
        load::LoadOptions::new(),
    );
    assert!(e.contains("unknown switch \"other\""), "{e}");
    let e = error(
        "\n[[switch]]\nid = \"one\"\ndefault = \"a\"\nsettings = [{ id = \"a\", assumption = \"A.\" }]\n",
        load::LoadOptions::new(),
    );
    assert!(e.contains("at least two"), "{e}");
    let e = error(
        "\n[[switch]]\nid = \"two\"\ndefault = \"c\"\nsettings = [{ id = \"a\", assumption = \"A.\" }, { id = \"b\", assumption = \"B.\" }]\n",
        load::LoadOptions::new(),
    );
    assert!(
        e.contains("unknown setting \"c\"") && e.contains("default"),
        "{e}"
    );
    let e = error(
        "\n[[switch]]\nid = \"tax\"\ndefault = \"a\"\nsettings = [{ id = \"a\", assumption = \"A.\" }, { id = \"b\", assumption = \"B.\" }]\n",
        load::LoadOptions::new(),
    );
    assert!(e.contains("switch id \"tax\" is used twice"), "{e}");
    let e = error(
        "\n[[switch]]\nid = \"empty\"\ndefault = \"a\"\nsettings = [{ id = \"a\", assumption = \" \" }, { id = \"b\", assumption = \"B.\" }]\n",
        load::LoadOptions::new(),
    );
    assert!(e.contains("states no assumption"), "{e}");
}
