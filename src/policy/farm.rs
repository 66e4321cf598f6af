//! Operating-income levers: farm productivity, specialty industries, enterprise linkage.
