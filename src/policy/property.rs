//! Property-income levers: land transfer and shareholding, collective dividends, household property income.
