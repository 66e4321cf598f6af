//! Exporting one row per household (and optionally per person) to CSV.
