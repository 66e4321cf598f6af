//! The lever registry: every lever's name, parameters, units, defaults and sources, and
//! the function that builds it from a table of parameters.
//!
//! The registry is the one list the scenario parser, `incomesim levers` and the
//! documentation read, so they cannot drift apart. A lever is built from a TOML table
//! of parameters by [`build`]; every parameter it reads is declared in its
//! [`LeverSpec`], and the declared default is the default the builder uses.
//!
//! Parameter values in a table:
//! - a number, a boolean or a string, as the kind says;
//! - a dated value: a number (in force throughout) or a table of effective months to
//!   numbers, `{ "2022-01" = 113, "2022-07" = 118 }`. Every effective month must be in or
//!   after the base year of the population: the base data already reflect earlier
//!   changes.

use serde::Serialize;

use super::indexation::Indexation;
use super::{Dated, Lever, YearMonth};
use crate::error::{Error, Result};
use crate::model::bounds::{MAX_AMOUNT, MAX_NUMBER, MAX_RATE};
use crate::region::Profile;

/// What kind of value a parameter takes; decides how it is read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Yuan, from 0 to [`MAX_AMOUNT`].
    Money,
    /// Yuan, from 0 to [`MAX_AMOUNT`], dated.
    DatedMoney,
    /// A share between 0 and 1.
    Share,
    /// A share between 0 and 1, dated.
    DatedShare,
    /// A growth rate or adjustment above −1 and at most [`MAX_RATE`] (0.05 = +5%).
    Rate,
    /// A growth rate above −1 and at most [`MAX_RATE`], dated.
    DatedRate,
    /// A count of persons, places or households, from 0 to [`MAX_NUMBER`], dated (per
    /// year).
    DatedCount,
    /// A number from 0 to [`MAX_NUMBER`] (a multiple, mu, hours).
    Number,
    /// A whole number of months, 1–12 (a month of the year) or 0–120 (a duration).
    Months,
    /// A whole number from 0 to 255 (job offers a year, refusals before a sanction).
    Whole,
    /// True or false.
    Flag,
    /// A list of yuan amounts, each from 0 to [`MAX_AMOUNT`] (e.g. thresholds by county
    /// tier).
    MoneyList,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// A month of a year, `2023-01`.
    YearMonth,
}

/// A parameter's default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultValue {
    /// A number (for flags, 0 or 1).
    Number(f64),
    /// A word of a choice.
    Word(&'static str),
    /// Taken from the region profile, at the field named.
    Profile(&'static str),
    /// A dated schedule of national law or decisions, described (the lever builds it).
    Law(&'static str),
    /// An amount the lever computes from what calibration measured on the population
    /// ([`BaseCalibration`]), described.
    Calibrated(&'static str),
    /// No default: the scenario must give it.
    Required,
}

impl std::fmt::Display for DefaultValue {
    /// The default as `incomesim levers` prints it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DefaultValue::Number(x) => write!(f, "{x}"),
            DefaultValue::Word(w) => f.write_str(w),
            DefaultValue::Profile(field) => write!(f, "profile: {field}"),
            DefaultValue::Law(l) => write!(f, "law: {l}"),
            DefaultValue::Calibrated(c) => write!(f, "calibrated: {c}"),
            DefaultValue::Required => f.write_str("required"),
        }
    }
}

/// One parameter of a lever.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParameterSpec {
    /// Name in the scenario file.
    pub name: &'static str,
    /// Kind of value.
    pub kind: Kind,
    /// Unit, e.g. "yuan/person/month", "share", "persons/year".
    pub unit: &'static str,
    /// Default value.
    pub default: DefaultValue,
    /// What it means and where the default comes from (a plan clause, a publication,
    /// or "assumption:" with the reason).
    pub description: &'static str,
}

/// What a lever's builder knows besides its parameters.
#[derive(Debug, Clone, Copy)]
pub struct BuildContext<'a> {
    /// Base year of the population the lever will run on.
    pub base_year: u16,
    /// The region profile, for defaults taken from it.
    pub profile: &'a Profile,
    /// What calibration fitted for the base-year rules of that population, if known:
    /// a reform dibao keeps the population's take-up and means-test error unless the
    /// scenario restates them.
    pub calibration: Option<BaseCalibration>,
}

/// The base-year rule parameters calibration fits, by residence `[urban, rural]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaseCalibration {
    /// Dibao take-up.
    pub take_up: [f64; 2],
    /// Error of the administered means test (σ of the log).
    pub assessment_error_sigma: [f64; 2],
    /// Priority of need in dibao take-up
    /// ([`Dibao::take_up_need_priority`](crate::policy::dibao::Dibao::take_up_need_priority)).
    pub take_up_need_priority: [f64; 2],
    /// Line below which old members not in work are dibao units of their own
    /// ([`Dibao::old_member_unit_line`](crate::policy::dibao::Dibao::old_member_unit_line)).
    pub old_member_unit_line: [f64; 2],
    /// Share of households without an able member that have no legal supporter
    /// ([`ExtremePovertySupport::no_supporter_share`](crate::policy::dibao::ExtremePovertySupport::no_supporter_share)),
    /// fitted to the profile's count of supported persons.
    pub extreme_poverty_no_supporter_share: f64,
    /// The base year's mean full-year wage of urban employees (local employees and
    /// public-sector staff in towns), yuan per year: the contribution rules' lines are
    /// shares of it ([`ContributionLines`](crate::policy::base::ContributionLines)).
    pub urban_employee_wage: f64,
}

impl BaseCalibration {
    /// Nothing fitted: every eligible household takes dibao up, the means test is
    /// exact, need does not weigh on take-up, the assumed share of households
    /// without an able member have no supporter ([`NO_SUPPORTER_SHARE`](crate::policy::base::NO_SUPPORTER_SHARE)),
    /// and urban employees earn the assumed
    /// [`DEFAULT_URBAN_EMPLOYEE_WAGE`](crate::policy::base::DEFAULT_URBAN_EMPLOYEE_WAGE).
    pub const NONE: BaseCalibration = BaseCalibration {
        take_up: [1.0, 1.0],
        assessment_error_sigma: [0.0, 0.0],
        take_up_need_priority: [0.0, 0.0],
        old_member_unit_line: [0.0, 0.0],
        extreme_poverty_no_supporter_share: crate::policy::base::NO_SUPPORTER_SHARE,
        urban_employee_wage: crate::policy::base::DEFAULT_URBAN_EMPLOYEE_WAGE,
    };

    /// The base year's contribution lines, shares of
    /// [`BaseCalibration::urban_employee_wage`].
    pub fn contribution_lines(&self) -> crate::policy::base::ContributionLines {
        crate::policy::base::ContributionLines::of_average_wage(self.urban_employee_wage)
    }
}

impl<'a> BuildContext<'a> {
    /// A context for a population of `profile` in its base year, without calibration
    /// (take-up 1, exact means test).
    pub fn new(profile: &'a Profile) -> Self {
        BuildContext { base_year: profile.base_year, profile, calibration: None }
    }
}

/// A lever in the registry.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LeverSpec {
    /// Registry name, e.g. `dibao`.
    pub name: &'static str,
    /// What it does, in a sentence.
    pub summary: &'static str,
    /// The income part(s) it pays into.
    pub part: &'static str,
    /// The seed plan clause(s) or publication it models.
    pub source: &'static str,
    /// Its parameters.
    pub parameters: &'static [ParameterSpec],
    /// Builds the lever from a table of parameters.
    #[serde(skip)]
    pub build: fn(&Params<'_>) -> Result<Box<dyn Lever>>,
    /// Parameters that act only while a flag of the lever is on (dibao's
    /// `sanction_*` need `sanction = true`): setting one with its flag off is
    /// accepted, and reported as a warning ([`inert_parameters`]).
    pub switches: &'static [Switch],
}

/// Parameters of a lever that act only while one of its flags is true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Switch {
    /// The flag parameter ([`Kind::Flag`]).
    pub flag: &'static str,
    /// The parameters that do nothing while it is false.
    pub parameters: &'static [&'static str],
}

impl Switch {
    /// Whether the flag is on in `table` (its declared default when absent; a value
    /// that is not a boolean is the builder's problem, not a switch's, and counts as
    /// on).
    pub fn is_on(&self, spec: &LeverSpec, table: &toml::Table) -> bool {
        match table.get(self.flag) {
            Some(toml::Value::Boolean(on)) => *on,
            Some(_) => true,
            None => spec.parameter(self.flag).is_some_and(|p| p.default != DefaultValue::Number(0.0)),
        }
    }
}

/// The parameters `table` sets that do nothing because their flag is off, each with
/// that flag, in declaration order.
pub fn inert_parameters(spec: &LeverSpec, table: &toml::Table) -> Vec<(&'static str, &'static str)> {
    switched_off(spec, table).filter(|(p, _)| table.contains_key(*p)).collect()
}

/// Every parameter of `spec` whose flag is off in `table`, with that flag.
fn switched_off<'a>(
    spec: &'a LeverSpec,
    table: &'a toml::Table,
) -> impl Iterator<Item = (&'static str, &'static str)> + 'a {
    spec.switches.iter().filter(|s| !s.is_on(spec, table)).flat_map(|s| s.parameters.iter().map(|p| (*p, s.flag)))
}

impl LeverSpec {
    /// The spec of one parameter.
    pub fn parameter(&self, name: &str) -> Option<&ParameterSpec> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// The parameters [`LeverSpec::assumed_defaults`] names: left at a default that is
    /// an assumption, and not made inert by a switch that is off.
    pub fn assumed_default_parameters<'a>(&'a self, table: &'a toml::Table) -> impl Iterator<Item = &'a ParameterSpec> {
        let inert: Vec<&str> = switched_off(self, table).map(|(p, _)| p).collect();
        self.parameters.iter().filter(move |p| {
            !table.contains_key(p.name) && !inert.contains(&p.name) && p.description.contains("assumption")
        })
    }

    /// The assumptions a lever built from `table` rests on: each parameter the table
    /// leaves at its default when that default is an assumption (its description says
    /// so), except those a switch that is off leaves without effect. Named
    /// `levers.LEVER.PARAMETER`, with the description, the default and the unit.
    pub fn assumed_defaults(&self, table: &toml::Table) -> Vec<(String, String)> {
        self.assumed_default_parameters(table)
            .map(|p| {
                let name = format!("levers.{}.{}", self.name, p.name);
                (name, format!("{} (the default, {} {}, stands)", p.description, p.default, p.unit))
            })
            .collect()
    }
}

/// Every lever, in listing order.
pub fn registry() -> Vec<&'static LeverSpec> {
    let mut all: Vec<&'static LeverSpec> = Vec::new();
    all.extend(super::tax::SPECS);
    all.extend(super::pension::SPECS);
    all.extend(super::retiree::SPECS);
    all.extend(super::allowances::SPECS);
    all.extend(super::childcare::SPECS);
    all.extend(super::subsidies::SPECS);
    all.extend(super::dibao::SPECS);
    all.extend(super::assistance::SPECS);
    all.extend(super::wages::SPECS);
    all.extend(super::employment::SPECS);
    all.extend(super::farm::SPECS);
    all.extend(super::property::SPECS);
    all
}

/// The spec of a lever by name.
///
/// # Errors
/// [`Error::UnknownLever`] with a "did you mean" suggestion.
pub fn find(name: &str) -> Result<&'static LeverSpec> {
    let all = registry();
    if let Some(spec) = all.iter().find(|s| s.name == name) {
        return Ok(spec);
    }
    let names: Vec<&str> = all.iter().map(|s| s.name).collect();
    Err(Error::UnknownLever { name: name.to_string(), suggestion: did_you_mean(name, &names) })
}

/// Builds a lever by name from a table of parameters.
///
/// # Errors
/// [`Error::UnknownLever`] for a name not in the registry; [`Error::InvalidLever`]
/// naming the lever, the field and the value for an unknown parameter, a value of the
/// wrong kind, a negative amount, a share above 1 or an effective date before the base
/// year.
pub fn build(name: &str, context: BuildContext<'_>, table: &toml::Table) -> Result<Box<dyn Lever>> {
    let spec = find(name)?;
    let params = Params::new(spec, context, table);
    params.check_unknown()?;
    (spec.build)(&params)
}

/// The parameters of one lever being built: reads values by name, applies the declared
/// default and checks the declared kind.
#[derive(Debug)]
pub struct Params<'a> {
    spec: &'static LeverSpec,
    context: BuildContext<'a>,
    table: &'a toml::Table,
}

impl<'a> Params<'a> {
    /// Parameters of `spec` from `table`.
    pub fn new(spec: &'static LeverSpec, context: BuildContext<'a>, table: &'a toml::Table) -> Self {
        Params { spec, context, table }
    }

    /// The build context.
    pub fn context(&self) -> BuildContext<'a> {
        self.context
    }

    /// The lever's name.
    pub fn lever(&self) -> &'static str {
        self.spec.name
    }

    /// An error about a parameter of this lever.
    pub fn invalid(&self, field: &str, value: impl std::fmt::Display, problem: impl Into<String>) -> Error {
        Error::InvalidLever {
            lever: self.spec.name.to_string(),
            field: field.to_string(),
            value: value.to_string(),
            problem: problem.into(),
        }
    }

    fn check_unknown(&self) -> Result<()> {
        let names: Vec<&str> = self.spec.parameters.iter().map(|p| p.name).collect();
        for key in self.table.keys() {
            if !names.contains(&key.as_str()) {
                return Err(self.invalid(
                    key,
                    &self.table[key],
                    format!("unknown parameter{}", did_you_mean(key, &names)),
                ));
            }
        }
        Ok(())
    }

    fn spec_of(&self, name: &str) -> Result<&'static ParameterSpec> {
        self.spec.parameters.iter().find(|p| p.name == name).ok_or_else(|| {
            self.invalid(name, "", "the lever reads a parameter its registry entry does not declare (a bug)")
        })
    }

    fn raw(&self, name: &'static str) -> Option<&'a toml::Value> {
        self.table.get(name)
    }

    fn default_number(&self, p: &ParameterSpec) -> Result<f64> {
        match p.default {
            DefaultValue::Number(x) => Ok(x),
            DefaultValue::Required => Err(self.invalid(p.name, "(missing)", "required: the scenario must give it")),
            DefaultValue::Profile(field) => Err(self.invalid(
                p.name,
                "(missing)",
                format!("the default comes from the profile field `{field}`: read it with `profile_or`"),
            )),
            DefaultValue::Law(schedule) => Err(self.invalid(
                p.name,
                "(missing)",
                format!("the default is a dated schedule ({schedule}): read it with `dated_or_path`"),
            )),
            DefaultValue::Calibrated(amount) => Err(self.invalid(
                p.name,
                "(missing)",
                format!("the default is computed from the calibrated population ({amount}): read it with `number_or`"),
            )),
            DefaultValue::Word(w) => Err(self.invalid(p.name, w, "expected a number")),
        }
    }

    fn check_number(&self, p: &ParameterSpec, x: f64) -> Result<f64> {
        let ok = match p.kind {
            Kind::Money | Kind::DatedMoney | Kind::MoneyList => (0.0..=MAX_AMOUNT).contains(&x),
            Kind::DatedCount | Kind::Number => (0.0..=MAX_NUMBER).contains(&x),
            Kind::Share | Kind::DatedShare => (0.0..=1.0).contains(&x),
            Kind::Rate | Kind::DatedRate => x > -1.0 && x <= MAX_RATE,
            Kind::Months => (0.0..=120.0).contains(&x) && x.fract() == 0.0,
            Kind::Whole => (0.0..=255.0).contains(&x) && x.fract() == 0.0,
            Kind::Flag | Kind::Choice(_) | Kind::YearMonth => true,
        };
        if !ok || !x.is_finite() {
            let problem = match p.kind {
                Kind::Share | Kind::DatedShare => "must be a share between 0 and 1".to_string(),
                Kind::Rate | Kind::DatedRate => format!("must be a rate above -1 and at most {MAX_RATE} (0.05 = +5%)"),
                Kind::Months => "must be a whole number of months".to_string(),
                Kind::Whole => "must be a whole number 0–255".to_string(),
                Kind::Money | Kind::DatedMoney | Kind::MoneyList => {
                    format!("must be a non-negative amount of money up to {MAX_AMOUNT:e}")
                }
                _ => format!("must not be negative nor over {MAX_NUMBER:e}"),
            };
            return Err(self.invalid(p.name, crate::scenario::problem::shown_number(x), problem));
        }
        Ok(x)
    }

    fn as_number(&self, p: &ParameterSpec, v: &toml::Value) -> Result<f64> {
        match v {
            toml::Value::Integer(i) => self.check_number(p, *i as f64),
            toml::Value::Float(f) => self.check_number(p, *f),
            other => Err(self.invalid(p.name, other, format!("expected a number ({})", p.unit))),
        }
    }

    /// A plain number (money, share, rate, count, months), checked by its kind.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for a value of the wrong type or out of range.
    pub fn number(&self, name: &'static str) -> Result<f64> {
        let p = self.spec_of(name)?;
        match self.raw(name) {
            Some(v) => self.as_number(p, v),
            None => self.default_number(p),
        }
    }

    /// A number whose default the lever computes from its context (a
    /// [`DefaultValue::Calibrated`]): the scenario's value, checked, or `fallback`.
    ///
    /// # Errors
    /// As [`Params::number`] for a value the scenario gives.
    pub fn number_or(&self, name: &'static str, fallback: f64) -> Result<f64> {
        let p = self.spec_of(name)?;
        match self.raw(name) {
            Some(v) => self.as_number(p, v),
            None => Ok(fallback),
        }
    }

    /// A whole number of months.
    ///
    /// # Errors
    /// As [`Params::number`].
    pub fn months(&self, name: &'static str) -> Result<u8> {
        Ok(self.number(name)? as u8)
    }

    /// A flag.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for a value that is not a boolean.
    pub fn flag(&self, name: &'static str) -> Result<bool> {
        let p = self.spec_of(name)?;
        match self.raw(name) {
            Some(toml::Value::Boolean(b)) => Ok(*b),
            Some(other) => Err(self.invalid(name, other, "expected true or false")),
            None => Ok(self.default_number(p)? != 0.0),
        }
    }

    /// A word from the parameter's choices.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for a word not among the choices.
    pub fn choice(&self, name: &'static str) -> Result<&'static str> {
        let p = self.spec_of(name)?;
        let choices: &[&str] = match p.kind {
            Kind::Choice(c) => c,
            _ => &[],
        };
        let word = match (self.raw(name), p.default) {
            (Some(toml::Value::String(s)), _) => s.as_str(),
            (Some(other), _) => {
                return Err(self.invalid(name, other, format!("expected one of {}", choices.join(", "))));
            }
            (None, DefaultValue::Word(w)) => w,
            (None, _) => return Err(self.invalid(name, "(missing)", "required")),
        };
        choices
            .iter()
            .find(|c| **c == word)
            .copied()
            .ok_or_else(|| self.invalid(name, word, format!("expected one of {}", choices.join(", "))))
    }

    /// An indexation rule named by the parameter's word ([`Indexation::from_word`]).
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for a word not among the parameter's choices.
    pub fn indexation(&self, name: &'static str) -> Result<Indexation> {
        self.choice(name).map(Indexation::from_word)
    }

    /// A dated number: a number in force throughout, or a table of effective months.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for a malformed month, a value out of range, or an
    /// effective month before the base year.
    pub fn dated(&self, name: &'static str) -> Result<Dated<f64>> {
        let p = self.spec_of(name)?;
        match self.raw(name) {
            None => Ok(Dated::constant(self.default_number(p)?)),
            Some(v) => self.dated_value(p, v),
        }
    }

    /// A dated number whose default is a value from the profile (`fallback`).
    ///
    /// # Errors
    /// As [`Params::dated`].
    pub fn dated_or(&self, name: &'static str, fallback: f64) -> Result<Dated<f64>> {
        self.dated_or_path(name, Dated::constant(fallback))
    }

    /// A dated number whose default is a dated path from the profile (`fallback`, each
    /// step checked by the parameter's kind).
    ///
    /// # Errors
    /// As [`Params::dated`].
    pub fn dated_or_path(&self, name: &'static str, fallback: Dated<f64>) -> Result<Dated<f64>> {
        let p = self.spec_of(name)?;
        match self.raw(name) {
            None => {
                for (_, x) in fallback.steps() {
                    self.check_number(p, *x)?;
                }
                Ok(fallback)
            }
            Some(v) => self.dated_value(p, v),
        }
    }

    fn dated_value(&self, p: &ParameterSpec, v: &toml::Value) -> Result<Dated<f64>> {
        match v {
            toml::Value::Table(t) => {
                let mut steps = Vec::with_capacity(t.len());
                for (month, x) in t {
                    let when = YearMonth::parse(month).ok_or_else(|| {
                        self.invalid(&format!("{}.{month}", p.name), month, "expected an effective month like 2022-07")
                    })?;
                    if when.year < self.context.base_year {
                        return Err(self.invalid(
                            &format!("{}.{month}", p.name),
                            x,
                            format!(
                                "effective {when} is before the base year {} of the population, whose data already \
                                 reflect it: give the value in force from {}-01 instead",
                                self.context.base_year, self.context.base_year
                            ),
                        ));
                    }
                    steps.push((when, self.as_number(p, x)?));
                }
                steps.sort_by_key(|(m, _)| *m);
                Dated::new(steps).ok_or_else(|| self.invalid(p.name, v, "needs at least one effective month"))
            }
            other => Ok(Dated::constant(self.as_number(p, other)?)),
        }
    }

    /// A month of a year (`"2023-01"`), or `fallback` when not given.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for a malformed month or one before the base year.
    pub fn year_month_or(&self, name: &'static str, fallback: YearMonth) -> Result<YearMonth> {
        self.spec_of(name)?;
        match self.raw(name) {
            None => Ok(fallback),
            Some(toml::Value::String(s)) => {
                let m = YearMonth::parse(s).ok_or_else(|| self.invalid(name, s, "expected a month like 2023-01"))?;
                if m.year < self.context.base_year {
                    return Err(self.invalid(name, s, format!("is before the base year {}", self.context.base_year)));
                }
                Ok(m)
            }
            Some(other) => Err(self.invalid(name, other, "expected a month like \"2023-01\"")),
        }
    }

    /// Dated amounts by county tier: an array with one dated value (a number or a table
    /// of effective months) per tier, or a single dated value for one tier; the
    /// profile's list (`fallback`, constant) when not given.
    ///
    /// # Errors
    /// As [`Params::dated`], and for an empty list.
    pub fn dated_list_or(&self, name: &'static str, fallback: &[f64]) -> Result<Vec<Dated<f64>>> {
        let p = self.spec_of(name)?;
        let list = match self.raw(name) {
            None => {
                fallback.iter().map(|x| self.check_number(p, *x).map(Dated::constant)).collect::<Result<Vec<_>>>()?
            }
            Some(toml::Value::Array(a)) => a.iter().map(|v| self.dated_value(p, v)).collect::<Result<Vec<_>>>()?,
            Some(v) => vec![self.dated_value(p, v)?],
        };
        if list.is_empty() {
            return Err(self.invalid(name, "[]", "needs at least one tier"));
        }
        Ok(list)
    }

    /// A list of amounts (thresholds by tier), or the profile's list as the default.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for an empty list or a negative amount.
    pub fn money_list_or(&self, name: &'static str, fallback: &[f64]) -> Result<Vec<f64>> {
        let p = self.spec_of(name)?;
        let values: Vec<f64> = match self.raw(name) {
            None => fallback.to_vec(),
            Some(toml::Value::Array(a)) => a.iter().map(|x| self.as_number(p, x)).collect::<Result<_>>()?,
            Some(other) => vec![self.as_number(p, other)?],
        };
        if values.is_empty() {
            return Err(self.invalid(name, "[]", "needs at least one amount"));
        }
        for x in &values {
            self.check_number(p, *x)?;
        }
        Ok(values)
    }
}

/// " (did you mean `x`?)" for the closest name within a small edit distance, or "".
pub fn did_you_mean(word: &str, names: &[&str]) -> String {
    let best = names.iter().map(|n| (edit_distance(word, n), *n)).min_by_key(|(d, _)| *d);
    match best {
        Some((d, n)) if d <= (word.len() / 3).max(2) => format!(" (did you mean `{n}`?)"),
        _ => String::new(),
    }
}

/// Levenshtein distance between two strings (by characters).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(ca != *cb));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn assumed_defaults_list_the_assumptions_a_table_leaves_standing() {
        let spec = find("start_up_support").expect("a lever");
        let names = |table: &str| -> Vec<String> {
            let table: toml::Table = toml::from_str(table).expect("toml");
            spec.assumed_defaults(&table).into_iter().map(|(name, _)| name).collect()
        };
        let all = names("start_ups_per_year = 10");
        assert!(all.contains(&"levers.start_up_support.farm_share".to_string()), "{all:?}");
        assert!(all.contains(&"levers.start_up_support.business_income_per_month".to_string()));
        // A default with a published source is not an assumption; one the table sets is
        // the scenario's.
        assert!(!all.contains(&"levers.start_up_support.grant".to_string()));
        let set = names("start_ups_per_year = 10\nfarm_share = 0.2");
        assert!(!set.contains(&"levers.start_up_support.farm_share".to_string()));
        assert_eq!(set.len() + 1, all.len());
        // Parameters a switch that is off leaves without effect are not listed.
        let dibao = find("dibao").expect("a lever");
        let listed = |table: &str| -> Vec<String> {
            let table: toml::Table = toml::from_str(table).expect("toml");
            dibao.assumed_defaults(&table).into_iter().map(|(name, _)| name).collect()
        };
        let off = listed("sanction = false");
        let on = listed("sanction = true");
        assert!(!off.iter().any(|n| n.contains("sanction_")), "{off:?}");
        assert!(on.iter().any(|n| n.contains("sanction_")), "{on:?}");
    }

    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let all = registry();
        let mut names: Vec<&str> = all.iter().map(|s| s.name).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "duplicate lever names");
        for s in &all {
            assert!(s.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", s.name);
            assert!(!s.source.is_empty(), "{} has no source", s.name);
            for p in s.parameters {
                assert!(!p.description.is_empty(), "{}.{} has no description", s.name, p.name);
            }
        }
    }

    #[test]
    fn switches_name_a_flag_and_parameters_of_their_lever() {
        for s in registry() {
            for w in s.switches {
                assert_eq!(s.parameter(w.flag).map(|p| p.kind), Some(Kind::Flag), "{}.{}", s.name, w.flag);
                for p in w.parameters {
                    assert!(s.parameter(p).is_some_and(|p| p.kind != Kind::Flag), "{}.{p}", s.name);
                }
            }
        }
    }

    #[test]
    fn a_switched_parameter_is_inert_only_while_its_flag_is_off() {
        let dibao = find("dibao").expect("registered");
        let table = |text: &str| text.parse::<toml::Table>().expect("toml");
        let inert = |text: &str| inert_parameters(dibao, &table(text));
        assert_eq!(inert("sanction_cut_share = 0.5"), vec![("sanction_cut_share", "sanction")]);
        assert_eq!(
            inert("sanction = false\nsanction_offers_per_year = 3"),
            vec![("sanction_offers_per_year", "sanction")]
        );
        assert!(inert("sanction = true\nsanction_cut_share = 0.5").is_empty());
        assert!(inert("grace_months = 3").is_empty());
        assert!(inert_parameters(find("minimum_wage").expect("registered"), &table("x = 1")).is_empty());
    }

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("dibao", "dibaoo"), 1);
        assert_eq!(did_you_mean("dibaoo", &["dibao", "resident_pension"]), " (did you mean `dibao`?)");
        assert_eq!(did_you_mean("zzzzzz", &["dibao"]), "");
    }
}
