//! Synthesis and calibration.
