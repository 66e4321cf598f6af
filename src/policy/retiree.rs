//! Retiree pension adjustment for enterprise and public-institution retirees.
