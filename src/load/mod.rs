//! Files in, domain types out (and back): the only module that does IO.
//!
//! # Scenario files (TOML)
//!
//! Amounts, rates, probabilities and dates are strings, never TOML numbers:
//! `value = "34000000000"`, `rate = "25%"` (rates always carry their `%`),
//! `probability = "0.6"` (a fraction), `from = "2019-03-02"`. A scenario file
//! has a `[scenario]` table (id, title, horizon `"START..END"` with END not
//! counted, reference path, assumptions, sources), may `include` measures
//! files (paths relative to the including file), and lists `[[baseline]]`,
//! `[[hs_list]]`, `[[content_shares]]`, `[[measure]]`, `[[stacking]]`,
//! `[[switch]]`, `[[retaliation]]` and `[[node]]` items; the first `[[node]]`
//! is the root of the outcome tree and branches point to later nodes with
//! `next`. A `[[switch]]` states an assumption with its alternatives; the
//! setting is chosen when loading ([`LoadOptions::with_setting`]) and
//! stacking rules with `when = "SWITCH=SETTING"` hold only under it.
//! Unknown fields are errors.
//! `data/README.md` documents every field with examples.
//!
//! # The loading policy
//!
//! [`LoadOptions`] says which files a scenario may read (its own tree, see
//! [`ROOT_MARKER`], plus folders allowed explicitly), how large each may be,
//! and how many includes it may have; only regular files are read, and the
//! defaults are safe for files from anyone. [`load_scenario_with`] returns
//! the scenario with the [`Inputs`] it read, and [`check_outputs`],
//! [`write_outputs`] and [`OutputFile`] refuse to write over any of them.
//!
//! # Baselines and lists (CSV)
//!
//! A baseline CSV has a key column (an HS code or a basket name), an
//! optional `description`, and a `value` column (annual) or one column per
//! year (`2017`) or month (`2025-01`). HS list CSVs have the code in the
//! first column and, for files holding several lists, a `list` column.
//!
//! # Content shares (CSV)
//!
//! `[[content_shares]]` (`file`, `key_column`, default `hts10`, `source`, and
//! either `columns = { content = "column" }` or `content_column` with
//! `share_column`) names a CSV of per-line shares of value (steel, aluminum,
//! copper) for measures with `on_content`: a fraction from 0 to 1, blank for
//! no share; `data/README.md` gives the rules and the errors.
//!
//! # Base rates (CSV)
//!
//! `[[base_rates]]` (`importer`, `file`, `source`, optional `key_column`,
//! default `hts8`) names a CSV of one MFN rate per HS code:
//! [`read_base_rates_csv`] gives its columns and rules.

mod base_rates;
mod baseline;
mod content;
mod csv_rows;
mod dto;
mod fields;
mod hs_list;
mod input;
mod output;
mod portfolio;
mod regime;
mod scenario;
mod switches;
mod tree;
mod write;

pub use base_rates::{BASE_RATE_COLUMNS, read_base_rates_csv};
pub use baseline::{CsvColumns, read_baseline_csv, read_observed_duty_csv};
pub use input::{
    DEFAULT_MAX_CSV_BYTES, DEFAULT_MAX_INCLUDE_DEPTH, DEFAULT_MAX_INCLUDES, DEFAULT_MAX_TOML_BYTES,
    InputFile, Inputs, LoadOptions, ROOT_MARKER,
};
pub use output::{OutputFile, check_outputs, write_atomic, write_outputs};
pub use portfolio::read_portfolio;
pub use scenario::{
    Loaded, load_scenario, load_scenario_with, parse_scenario, parse_scenario_with,
};
pub use write::save_scenario;
