//! Wage levers: minimum wage, public-sector and teacher pay, occupation allowances, work-for-relief.
