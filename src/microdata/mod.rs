//! Household microdata: loading survey data from CSV and exporting simulated households.
mod export;
mod load;
