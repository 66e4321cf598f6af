//! Loading persons and households from CSV files.
