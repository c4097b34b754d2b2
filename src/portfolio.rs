//! An importer's own portfolio: SKUs matched to HTS-10 lines and evaluated
//! across an outcome tree.
