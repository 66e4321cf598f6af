//! Rationed levers: filling a fixed number of places exactly and deterministically, whatever the chunking.
