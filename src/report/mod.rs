//! Reports: text tables, CSV, JSON and SVG charts of evaluations.
