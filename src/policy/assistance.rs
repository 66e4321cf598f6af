//! Low-income edge assistance (lever 17), temporary and price-linked assistance (lever
//! 22) and one-off employment transfers (lever 23). All are transfers received.

use super::dibao::{
    Dibao, P_DEDUCTION_BASE, P_DISREGARD_PENSION, P_DISREGARD_PROJECT, P_EDGE_MULTIPLE, P_EMPLOYMENT_COST,
    P_INDEXATION, P_POVERTY_LINE, P_RURAL_THRESHOLD, P_URBAN_THRESHOLD, TestColumns, check_dated, dibao_rule,
    member_on_dibao_this_or_last_year, recipient_persons,
};
use super::pension::invalid;
use super::rationing::{Candidate, Places, Rationed, apply_rationed, check_dated_money};
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, Stage, YearContext, YearMonth};
use crate::error::Result;
use crate::model::{Education, Employment, HouseholdFlags, IncomePart, PersonFlags, Population};
use crate::random::{Purpose, StreamRng};

/// Sub-streams of [`Purpose::Lever`] for this module's draws.
const SUB_SHOCK: u64 = 0xa551_0001;
const SUB_INTERN: u64 = 0xa551_1000;

/// Households on dibao, extreme-poverty support or in the edge group.
const ASSISTED: u16 = HouseholdFlags::DIBAO | HouseholdFlags::EXTREME_POVERTY_SUPPORT | HouseholdFlags::LOW_INCOME_EDGE;

/// Basic-living and special assistance to the low-income edge group (低保边缘, lever 17).
///
/// Eligible (Wuzhong plan §13: 对扣减刚性支出后, 人均收入低于低保标准1.5倍的家庭, 纳入低保
/// 边缘群体管理, 及时给予基本生活救助和相应的专项社会救助): not on dibao as a whole or on
/// extreme-poverty support this year, and `(assessed income − rigid expenses) / size <
/// edge_multiple × annual threshold` (the means test and thresholds of `dibao`).
/// Amount: a cash amount per person per month plus a share of rigid expenses (special
/// assistance). A household whose dibao covers some members as single-person units
/// (单人保, which goes to the severely disabled and ill of low-income households: Baotou
/// district plan §(九) 对农村牧区低收入家庭中的重残、重病等特殊困难群体…参照“单人保”纳入低保,
/// as the MCA's 最低生活保障审核确认办法 of 2021 has it) can be an edge household: its income is assessed
/// without that dibao, and the cash is paid for the members the units do not cover.
/// Must run after dibao and 特困 (add it after them; both are
/// [`Stage::MeansTested`]). Sets the household's `LOW_INCOME_EDGE` flag.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeAssistance {
    /// The dibao rule whose thresholds, edge multiple and means test are used.
    pub dibao: Dibao,
    /// Basic-living cash per person per month (assumption: 100 yuan; the plan gives no
    /// amount).
    pub cash_per_person_per_month: Dated<f64>,
    /// Share of rigid expenses met by special assistance (assumption: 0.2).
    pub rigid_expense_share: f64,
}

impl EdgeAssistance {
    /// Edge assistance on the thresholds of `dibao`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for negative money or a share outside 0–1.
    pub fn new(dibao: Dibao, cash_per_person_per_month: Dated<f64>, rigid_expense_share: f64) -> Result<Self> {
        dibao.validate()?;
        check_dated("low_income_edge_assistance", "cash_per_person_per_month", &cash_per_person_per_month)?;
        super::tax::check_share("low_income_edge_assistance", "rigid_expense_share", rigid_expense_share)?;
        Ok(EdgeAssistance { dibao, cash_per_person_per_month, rigid_expense_share })
    }
}

impl Lever for EdgeAssistance {
    fn name(&self) -> &str {
        "low_income_edge_assistance"
    }
    fn stage(&self) -> Stage {
        Stage::MeansTested
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let cash = self.cash_per_person_per_month.annual(ctx.year);
        let dibao_paid = book.earlier("dibao");
        let thresholds = self.dibao.thresholds(ctx);
        let test = self.dibao.means_test(ctx.year, book);
        let Population { persons, households: hh, .. } = pop;
        let n = hh.len();
        let columns = TestColumns::new(persons, &hh.first_person[..n], &hh.size[..n], &hh.poverty_project_income[..n]);
        let (sizes, residence, tier, rigid) =
            (&hh.size[..n], &hh.residence[..n], &hh.tier[..n], &hh.rigid_expenses[..n]);
        let flag_column = &mut hh.flags[..n];
        // Every household's assessed income at once when the means test allows it
        // ([`MeansTest::with_assessed_every`]: the same values), else household by household.
        test.with_assessed_every(&columns, persons.len(), book, |book, assessed| {
            for h in 0..n {
                let size = sizes[h] as f64;
                let mut flags = flag_column[h];
                // Single-person units alone leave the household to the edge test.
                let units = flags.has(HouseholdFlags::DIBAO_SINGLE_PERSON);
                let unit_dibao = if units { dibao_paid.map_or(0.0, |c| c[h]) } else { 0.0 };
                let on_dibao = (flags.has(HouseholdFlags::DIBAO) || dibao_paid.is_some_and(|c| c[h] > 0.0)) && !units;
                if size == 0.0 || on_dibao || flags.has(HouseholdFlags::EXTREME_POVERTY_SUPPORT) {
                    continue;
                }
                let t = thresholds.get(residence[h], tier[h]).annual;
                let assessed = match assessed {
                    Some(all) => all[h],
                    None => test.assess_in(&columns, h, book.accounts()).assessed,
                } - unit_dibao;
                let rigid = rigid[h].max(0.0) as f64;
                let edge = (assessed - rigid) / size < self.dibao.edge_multiple * t;
                flags.set(HouseholdFlags::LOW_INCOME_EDGE, edge);
                flag_column[h] = flags;
                if edge {
                    let uncovered = if units { size - f64::from(flags.dibao_unit_persons()) } else { size };
                    let amount = cash * uncovered.max(0.0) + self.rigid_expense_share * rigid;
                    if amount > 0.0 {
                        book.pay(h, IncomePart::TransfersReceived, amount);
                    }
                }
            }
        });
    }
}

/// Temporary assistance (临时救助, lever 22) after a shock.
///
/// Each year a household has an illness or rigid-expense shock with
/// `illness_probability`, and a household with an unemployed member a job-loss shock
/// with `job_loss_probability` (keyed draws; assumptions, no published rates). A
/// shocked household whose per-capita assessed income after rigid expenses is below
/// `edge_multiple` × the dibao threshold gets `months_of_threshold` × the monthly
/// threshold per member (temporary assistance is set in multiples of the monthly dibao
/// standard locally; Wuzhong plan §13: 因疫、因病、因失业 … 临时救助; Baotou district
/// §(九), §(十二)). At most one payment a year.
#[derive(Debug, Clone, PartialEq)]
pub struct TemporaryAssistance {
    /// The dibao rule whose thresholds and means test are used.
    pub dibao: Dibao,
    /// Yearly probability of an illness or rigid-expense shock (assumption: 0.03).
    pub illness_probability: f64,
    /// Yearly probability of a job-loss shock in a household with an unemployed
    /// member (assumption: 0.1).
    pub job_loss_probability: f64,
    /// Months of the per-person threshold paid per member (assumption: 3).
    pub months_of_threshold: f64,
}

impl TemporaryAssistance {
    /// Temporary assistance on the thresholds of `dibao`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a probability outside 0–1 or negative months.
    pub fn new(
        dibao: Dibao,
        illness_probability: f64,
        job_loss_probability: f64,
        months_of_threshold: f64,
    ) -> Result<Self> {
        dibao.validate()?;
        super::tax::check_share("temporary_assistance", "illness_probability", illness_probability)?;
        super::tax::check_share("temporary_assistance", "job_loss_probability", job_loss_probability)?;
        super::tax::check_money("temporary_assistance", "months_of_threshold", months_of_threshold)?;
        Ok(TemporaryAssistance { dibao, illness_probability, job_loss_probability, months_of_threshold })
    }

    /// Whether household `h` has a shock this year (keyed draws).
    pub fn shocked(&self, ctx: &YearContext, pop: &Population, h: usize) -> bool {
        let mut rng = StreamRng::with_sub(ctx.seed, pop.household_id(h), ctx.year, Purpose::Lever, SUB_SHOCK);
        let ill = rng.bernoulli(self.illness_probability);
        let jobless = rng.bernoulli(self.job_loss_probability);
        let has_unemployed = pop.members(h).any(|i| pop.persons.employment[i] == Employment::Unemployed);
        ill || (jobless && has_unemployed)
    }
}

impl Lever for TemporaryAssistance {
    fn name(&self) -> &str {
        "temporary_assistance"
    }
    fn stage(&self) -> Stage {
        Stage::MeansTested
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        for h in 0..pop.household_count() {
            let size = pop.households.size[h] as f64;
            if size == 0.0 || !self.shocked(ctx, pop, h) {
                continue;
            }
            let t = self.dibao.threshold_for(ctx, pop.households.residence[h], pop.households.tier[h]);
            let assessed = self.dibao.assessed_income(ctx.year, pop, h, book.accounts(), book);
            let rigid = pop.households.rigid_expenses[h].max(0.0) as f64;
            if (assessed - rigid) / size < self.dibao.edge_multiple * t {
                book.pay(h, IncomePart::TransfersReceived, self.months_of_threshold * t / 12.0 * size);
            }
        }
    }
}

/// Price-linked temporary subsidy (价格临时补贴, lever 22).
///
/// In every month whose year-on-year CPI rise (`cpi_year_on_year`, a dated monthly
/// series given by the scenario) is at least `trigger`, each member of a household on
/// dibao, extreme-poverty support or in the edge group (of a household on single-person
/// dibao units alone, each member they cover) gets the month's dibao
/// threshold times the CPI rise (the share of the threshold that prices took)
/// (社会救助和保障标准与物价上涨挂钩联动机制, Wuzhong plan §13, Bayannur §(二十); the 3.5%
/// trigger is the national rule of 发改价格〔2016〕1835号 as commonly restated:
/// assumption that the locality follows it). The CPI path is a parameter because
/// [`YearContext`] carries only the index level since the base year.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceLinkedSubsidy {
    /// The dibao rule whose thresholds are used.
    pub dibao: Dibao,
    /// Year-on-year CPI rise by month, as a share (0.035 = 3.5%).
    pub cpi_year_on_year: Dated<f64>,
    /// Trigger rise (0.035, see above).
    pub trigger: f64,
}

impl PriceLinkedSubsidy {
    /// A price-linked subsidy.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a trigger outside 0–1 or a CPI rise below −1.
    pub fn new(dibao: Dibao, cpi_year_on_year: Dated<f64>, trigger: f64) -> Result<Self> {
        dibao.validate()?;
        super::tax::check_share("price_linked_subsidy", "trigger", trigger)?;
        for (when, x) in cpi_year_on_year.steps() {
            if !super::rationing::is_rate(*x) {
                return Err(invalid(
                    "price_linked_subsidy",
                    "cpi_year_on_year",
                    format!("{x} at {when}"),
                    &format!("must be above -1 and at most {} (+100%)", crate::model::bounds::MAX_RATE),
                ));
            }
        }
        Ok(PriceLinkedSubsidy { dibao, cpi_year_on_year, trigger })
    }
}

impl Lever for PriceLinkedSubsidy {
    fn name(&self) -> &str {
        "price_linked_subsidy"
    }
    fn stage(&self) -> Stage {
        Stage::MeansTested
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let cpi: [f64; 12] =
            std::array::from_fn(|m| *self.cpi_year_on_year.at(YearMonth { year: ctx.year, month: m as u8 + 1 }));
        if cpi.iter().all(|&x| x < self.trigger) {
            return;
        }
        for h in 0..pop.household_count() {
            let flags = pop.households.flags[h];
            if flags.0 & ASSISTED == 0 {
                continue;
            }
            let t = self.dibao.monthly_thresholds(ctx, pop.households.residence[h], pop.households.tier[h]);
            let per_person: f64 = t.iter().zip(&cpi).filter(|(_, c)| **c >= self.trigger).map(|(tm, c)| tm * c).sum();
            // On dibao alone: its recipients (single-person units cover only some members).
            let edge_or_extreme = flags.0 & (ASSISTED & !HouseholdFlags::DIBAO) != 0;
            let persons = if edge_or_extreme { pop.households.size[h] } else { recipient_persons(pop, h) };
            let amount = per_person * f64::from(persons);
            if amount > 0.0 {
                book.pay(h, IncomePart::TransfersReceived, amount);
            }
        }
    }
}

/// One-off employment transfers (lever 23), paid to the person's household as
/// transfers received.
///
/// - Job-seeking subsidy (一次性求职创业补贴, 1,000 yuan, Liupanshui plan §49) to each
///   graduate of a household in difficulty: tertiary education, aged 18–24,
///   unemployed or with a new job this year (the graduation year is not recorded:
///   assumption), on dibao this year or last (a member covered by single-person
///   units only: [`super::dibao::member_on_dibao`]) or in a household on 特困, in the
///   edge group, formerly poor or monitored.
/// - One-off transport subsidy (一次性交通补贴, Liupanshui plan §24) to each member of a
///   formerly poor or monitored household who took up migrant work this year
///   (`MigrantShortTerm` with a new job; cross-province is not recorded: assumption).
///   Amount: 500 yuan (assumption; the plan gives none).
/// - Internship allowance (见习, Liupanshui plan §48: 不低于当地最低工资标准): an intern
///   is paid the larger of `intern_allowance_per_month` and the minimum wage per month
///   for `intern_months` months. Who can be one: an unemployed person aged 16–24 (the
///   national rule's "离校2年内未就业高校毕业生和16-24岁登记失业青年", as county
///   employment notices restate it; the graduation year is not recorded, so graduates
///   are those aged 16–24 too). Who becomes one: either each of them with
///   `intern_probability` (keyed draw; assumption 0 by default), or `interns_per_year`
///   of them (the plan's "派遣见习人员1000人以上"), rationed with tertiary graduates first
///   (the rule names them first), then the other young unemployed, each class in a keyed
///   random order, exactly in real persons whatever the chunks ([`super::rationing`]).
#[derive(Debug, Clone, PartialEq)]
pub struct EmploymentTransfers {
    /// Job-seeking subsidy per graduate, yuan (1,000, Liupanshui §49).
    pub job_seeking_per_graduate: Dated<f64>,
    /// Transport subsidy per new migrant worker, yuan (assumption: 500).
    pub transport_per_migrant: Dated<f64>,
    /// Probability an unemployed person aged 16–24 takes an internship (assumption: 0).
    pub intern_probability: f64,
    /// Internships filled a year, in real persons (0: none rationed; then
    /// `intern_probability` decides). At most one of the two is given.
    pub interns_per_year: Dated<f64>,
    /// Months of internship (assumption: 6; at most 12).
    pub intern_months: u8,
    /// Internship allowance per month, yuan (assumption: 0, so the minimum wage binds).
    pub intern_allowance_per_month: f64,
    /// Local minimum wage per month, yuan (Guizhou tier 1 from 2015-10: 1,600,
    /// lever_parameters.md "Minimum wages").
    pub minimum_wage_per_month: Dated<f64>,
}

impl Default for EmploymentTransfers {
    fn default() -> Self {
        EmploymentTransfers {
            job_seeking_per_graduate: Dated::constant(1_000.0),
            transport_per_migrant: Dated::constant(500.0),
            intern_probability: 0.0,
            interns_per_year: Dated::constant(0.0),
            intern_months: 6,
            intern_allowance_per_month: 0.0,
            minimum_wage_per_month: Dated::constant(1_600.0),
        }
    }
}

impl EmploymentTransfers {
    /// Checks every field.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for negative money, a probability outside 0–1 or
    /// more than 12 internship months.
    pub fn validate(&self) -> Result<()> {
        let l = "employment_transfers";
        check_dated(l, "job_seeking_per_graduate", &self.job_seeking_per_graduate)?;
        check_dated(l, "transport_per_migrant", &self.transport_per_migrant)?;
        check_dated(l, "minimum_wage_per_month", &self.minimum_wage_per_month)?;
        super::tax::check_money(l, "intern_allowance_per_month", self.intern_allowance_per_month)?;
        super::tax::check_share(l, "intern_probability", self.intern_probability)?;
        check_dated_money(l, "interns_per_year", &self.interns_per_year)?;
        if self.rations_interns() && self.intern_probability > 0.0 {
            return Err(invalid(
                l,
                "interns_per_year",
                self.interns_per_year.steps().iter().map(|(_, x)| *x).fold(0.0, f64::max),
                "give either interns_per_year or intern_probability, not both",
            ));
        }
        if self.intern_months > 12 {
            return Err(invalid(l, "intern_months", self.intern_months, "must be 0–12"));
        }
        Ok(())
    }

    /// The transfers with every amount given.
    ///
    /// # Errors
    /// See [`EmploymentTransfers::validate`].
    pub fn new(
        job_seeking_per_graduate: Dated<f64>,
        transport_per_migrant: Dated<f64>,
        intern_probability: f64,
        intern_months: u8,
        intern_allowance_per_month: f64,
        minimum_wage_per_month: Dated<f64>,
    ) -> Result<Self> {
        let e = EmploymentTransfers {
            job_seeking_per_graduate,
            transport_per_migrant,
            intern_probability,
            interns_per_year: Dated::constant(0.0),
            intern_months,
            intern_allowance_per_month,
            minimum_wage_per_month,
        };
        e.validate()?;
        Ok(e)
    }

    /// The transfers with internships rationed to `interns_per_year` real persons a
    /// year instead of drawn with a probability.
    ///
    /// # Errors
    /// See [`EmploymentTransfers::validate`].
    pub fn with_interns_per_year(self, interns_per_year: Dated<f64>) -> Result<Self> {
        let e = EmploymentTransfers { interns_per_year, ..self };
        e.validate()?;
        Ok(e)
    }

    /// Whether internships are rationed to a number of places (some year has places).
    pub fn rations_interns(&self) -> bool {
        self.interns_per_year.steps().iter().any(|(_, x)| *x > 0.0)
    }

    /// What one intern is paid this year: the larger of the allowance and the minimum
    /// wage in each of the last `intern_months` months.
    fn intern_pay(&self, year: u16) -> f64 {
        let months = self.intern_months.min(12);
        let first_month = 13 - months.max(1);
        self.minimum_wage_per_month
            .months(year)
            .iter()
            .skip(first_month as usize - 1)
            .take(months as usize)
            .map(|w| w.max(self.intern_allowance_per_month))
            .sum()
    }

    /// Pays every household its transfers; `intern(h, i)` says whether person `i` of
    /// household `h`, a candidate ([`is_intern_candidate`]), is an intern.
    fn pay(
        &self,
        ctx: &YearContext,
        pop: &Population,
        book: &mut Book<'_>,
        mut intern: impl FnMut(usize, usize) -> bool,
    ) {
        // One-off amounts: the payment date is not recorded, so the value in force in
        // July (mid-year) is paid.
        let mid = YearMonth { year: ctx.year, month: 7 };
        let job_seeking = *self.job_seeking_per_graduate.at(mid);
        let transport = *self.transport_per_migrant.at(mid);
        let intern_pay = self.intern_pay(ctx.year);
        let p = &pop.persons;
        for h in 0..pop.household_count() {
            let flags = pop.households.flags[h];
            let household_difficulty = flags.0 & IN_DIFFICULTY != 0;
            let poor = flags.has(HouseholdFlags::FORMERLY_POOR) || flags.has(HouseholdFlags::MONITORED);
            let mut total = 0.0;
            for i in pop.members(h) {
                let new_job = p.flags[i].has(PersonFlags::NEW_JOB_THIS_YEAR);
                let graduate = p.education(i) == Education::Tertiary;
                let unemployed = p.employment[i] == Employment::Unemployed;
                let difficulty = household_difficulty || member_on_dibao_this_or_last_year(flags, p, i);
                if difficulty && graduate && (18..=24).contains(&p.age[i]) && (unemployed || new_job) {
                    total += job_seeking;
                }
                if poor && new_job && p.employment[i] == Employment::MigrantShortTerm {
                    total += transport;
                }
                if is_intern_candidate(pop, i) && intern(h, i) {
                    total += intern_pay;
                }
            }
            if total > 0.0 {
                book.pay(h, IncomePart::TransfersReceived, total);
            }
        }
    }
}

/// Whether person `i` can become an intern: unemployed and aged 16–24.
fn is_intern_candidate(pop: &Population, i: usize) -> bool {
    let p = &pop.persons;
    p.employment[i] == Employment::Unemployed && (16..=24).contains(&p.age[i])
}

impl Rationed for EmploymentTransfers {
    fn rationed_name(&self) -> &str {
        "employment_transfers"
    }
    fn places(&self, ctx: &YearContext) -> Places {
        Places { places: *self.interns_per_year.at(YearMonth::start_of(ctx.year)), quota_share: 0.0 }
    }
    fn eligible(&self, _ctx: &YearContext, pop: &Population, emit: &mut dyn FnMut(Candidate)) {
        for h in 0..pop.household_count() {
            for (m, i) in pop.members(h).enumerate() {
                if is_intern_candidate(pop, i) {
                    let class = if pop.persons.education(i) == Education::Tertiary { 0 } else { 1 };
                    emit(Candidate::unkeyed(pop, h, m, class));
                }
            }
        }
    }
    fn apply_chosen(&self, ctx: &YearContext, pop: &mut Population, chosen: &[Candidate], book: &mut Book<'_>) {
        // The chosen come in chunk order: one cursor walks them beside the persons.
        let mut next = chosen.iter().map(|c| c.person).peekable();
        self.pay(ctx, pop, book, |_, i| {
            while next.next_if(|&p| p < i).is_some() {}
            next.next_if_eq(&i).is_some()
        });
    }
}

/// Households in difficulty for the job-seeking subsidy, besides dibao recipients
/// ([`member_on_dibao_this_or_last_year`]).
const IN_DIFFICULTY: u16 = HouseholdFlags::EXTREME_POVERTY_SUPPORT
    | HouseholdFlags::EXTREME_POVERTY_LAST_YEAR
    | HouseholdFlags::LOW_INCOME_EDGE
    | HouseholdFlags::FORMERLY_POOR
    | HouseholdFlags::MONITORED;

impl Lever for EmploymentTransfers {
    fn name(&self) -> &str {
        "employment_transfers"
    }
    fn stage(&self) -> Stage {
        Stage::PensionsAllowances
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        if self.rations_interns() {
            apply_rationed(self, ctx, pop, book);
            return;
        }
        let probability = self.intern_probability;
        self.pay(ctx, pop, book, |h, i| {
            probability > 0.0 && {
                let sub = SUB_INTERN + (i - pop.members(h).start) as u64;
                StreamRng::with_sub(ctx.seed, pop.household_id(h), ctx.year, Purpose::Lever, sub).bernoulli(probability)
            }
        });
    }
    fn as_rationed(&self) -> Option<&dyn Rationed> {
        self.rations_interns().then_some(self as &dyn Rationed)
    }
}

/// Registry entries of this module's levers.
pub const SPECS: &[LeverSpec] = &[
    LeverSpec {
        name: "low_income_edge_assistance",
        summary: "Cash per person and a share of rigid expenses for households below edge_multiple × the dibao \
                  threshold after rigid expenses, not on dibao as a whole or 特困 (members on single-person units \
                  are not paid the cash)",
        part: "transfers received",
        source: "Wuzhong plan §13 (低保边缘: 扣减刚性支出后人均收入低于低保标准1.5倍; 基本生活救助和专项社会救助) (lever 17)",
        parameters: &[
            P_URBAN_THRESHOLD,
            P_RURAL_THRESHOLD,
            P_DISREGARD_PENSION,
            P_EMPLOYMENT_COST,
            P_DEDUCTION_BASE,
            P_DISREGARD_PROJECT,
            P_EDGE_MULTIPLE,
            P_INDEXATION,
            P_POVERTY_LINE,
            ParameterSpec {
                name: "cash_per_person_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Number(100.0),
                description: "Basic-living cash; assumption: 100, the plan gives no amount",
            },
            ParameterSpec {
                name: "rigid_expense_share",
                kind: Kind::Share,
                unit: "share of rigid expenses",
                default: DefaultValue::Number(0.2),
                description: "Share of rigid expenses met by special assistance; assumption: 0.2, no published \
                              figure",
            },
        ],
        build: build_edge,
        switches: &[],
    },
    LeverSpec {
        name: "temporary_assistance",
        summary: "After an illness or job-loss shock, households below edge_multiple × the dibao threshold get \
                  months of the threshold per member",
        part: "transfers received",
        source: "Wuzhong plan §13 (因疫、因病、因失业 … 临时救助); Baotou district §(九), §(十二) (lever 22)",
        parameters: &[
            P_URBAN_THRESHOLD,
            P_RURAL_THRESHOLD,
            P_DISREGARD_PENSION,
            P_EMPLOYMENT_COST,
            P_DEDUCTION_BASE,
            P_DISREGARD_PROJECT,
            P_EDGE_MULTIPLE,
            P_INDEXATION,
            P_POVERTY_LINE,
            ParameterSpec {
                name: "illness_probability",
                kind: Kind::Share,
                unit: "probability per household per year",
                default: DefaultValue::Number(0.03),
                description: "Yearly probability of an illness or rigid-expense shock (keyed draw); assumption: \
                              0.03, no published rate",
            },
            ParameterSpec {
                name: "job_loss_probability",
                kind: Kind::Share,
                unit: "probability per household per year",
                default: DefaultValue::Number(0.1),
                description: "Yearly probability of a job-loss shock in a household with an unemployed member; \
                              assumption: 0.1, no published rate",
            },
            ParameterSpec {
                name: "months_of_threshold",
                kind: Kind::Number,
                unit: "months of the monthly threshold per member",
                default: DefaultValue::Number(3.0),
                description: "Amount paid, in months of the per-person threshold (set locally in multiples of the \
                              monthly standard); assumption: 3",
            },
        ],
        build: build_temporary,
        switches: &[],
    },
    LeverSpec {
        name: "price_linked_subsidy",
        summary: "In months when year-on-year CPI is at least the trigger, households on dibao, 特困 or in the edge \
                  group get the month's threshold × the CPI rise per member",
        part: "transfers received",
        source: "社会救助和保障标准与物价上涨挂钩联动机制: Wuzhong plan §13, Bayannur §(二十); trigger of \
                 发改价格〔2016〕1835号 (lever 22)",
        parameters: &[
            P_URBAN_THRESHOLD,
            P_RURAL_THRESHOLD,
            P_INDEXATION,
            P_POVERTY_LINE,
            ParameterSpec {
                name: "cpi_year_on_year",
                kind: Kind::DatedRate,
                unit: "share (0.035 = 3.5%), by month",
                default: DefaultValue::Required,
                description: "Year-on-year CPI rise by month; no default: the scenario gives the price path (the \
                              year context carries only the index level)",
            },
            ParameterSpec {
                name: "trigger",
                kind: Kind::Share,
                unit: "share",
                default: DefaultValue::Number(0.035),
                description: "CPI rise that triggers the subsidy; assumption: 3.5%, the national rule of \
                              发改价格〔2016〕1835号 as commonly restated",
            },
        ],
        build: build_price_linked,
        switches: &[],
    },
    LeverSpec {
        name: "employment_transfers",
        summary: "One-off job-seeking subsidy to graduates in difficulty, transport subsidy to new migrants from \
                  poor households, internship allowance",
        part: "transfers received",
        source: "Liupanshui plan §24 (一次性交通补贴), §48 (见习), §49 (一次性求职创业补贴) (lever 23)",
        parameters: &[
            ParameterSpec {
                name: "job_seeking_per_graduate",
                kind: Kind::DatedMoney,
                unit: "yuan/graduate, once",
                default: DefaultValue::Number(1_000.0),
                description: "Job-seeking subsidy per graduate of a household in difficulty (1,000, Liupanshui §49); \
                              the value in force in July is paid",
            },
            ParameterSpec {
                name: "transport_per_migrant",
                kind: Kind::DatedMoney,
                unit: "yuan/new migrant worker, once",
                default: DefaultValue::Number(500.0),
                description: "Transport subsidy per new migrant from a formerly poor or monitored household \
                              (Liupanshui §24); assumption: 500, the plan gives no amount",
            },
            ParameterSpec {
                name: "intern_probability",
                kind: Kind::Share,
                unit: "probability",
                default: DefaultValue::Number(0.0),
                description: "Probability an unemployed person aged 16–24 takes an internship (keyed draw); \
                              assumption: 0, off unless the scenario sets it",
            },
            ParameterSpec {
                name: "interns_per_year",
                kind: Kind::DatedCount,
                unit: "interns/year",
                default: DefaultValue::Number(0.0),
                description: "Internships filled a year in real persons, rationed among the unemployed aged \
                              16–24, tertiary graduates first, in a keyed random order (Liupanshui §48: \
                              \"派遣见习人员1000人以上\"); default 0: none rationed (intern_probability decides); give \
                              one of the two",
            },
            ParameterSpec {
                name: "intern_months",
                kind: Kind::Months,
                unit: "months (0–12)",
                default: DefaultValue::Number(6.0),
                description: "Months of internship, ending in December; assumption: 6",
            },
            ParameterSpec {
                name: "intern_allowance_per_month",
                kind: Kind::Money,
                unit: "yuan/intern/month",
                default: DefaultValue::Number(0.0),
                description: "Internship allowance; the minimum wage is paid when higher (Liupanshui §48: \
                              不低于当地最低工资标准); assumption: 0, so the minimum wage binds",
            },
            ParameterSpec {
                name: "minimum_wage_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/month",
                default: DefaultValue::Number(1_600.0),
                description: "Local minimum wage (Guizhou tier 1 from 2015-10: 1,600, lever_parameters.md \
                              \"Minimum wages\")",
            },
        ],
        build: build_employment_transfers,
        switches: &[],
    },
];

fn build_edge(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let dibao = dibao_rule(p)?;
    Ok(Box::new(EdgeAssistance::new(dibao, p.dated("cash_per_person_per_month")?, p.number("rigid_expense_share")?)?))
}

fn build_temporary(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let dibao = dibao_rule(p)?;
    Ok(Box::new(TemporaryAssistance::new(
        dibao,
        p.number("illness_probability")?,
        p.number("job_loss_probability")?,
        p.number("months_of_threshold")?,
    )?))
}

fn build_price_linked(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let dibao = dibao_rule(p)?;
    Ok(Box::new(PriceLinkedSubsidy::new(dibao, p.dated("cpi_year_on_year")?, p.number("trigger")?)?))
}

fn build_employment_transfers(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(
        EmploymentTransfers::new(
            p.dated("job_seeking_per_graduate")?,
            p.dated("transport_per_migrant")?,
            p.number("intern_probability")?,
            p.months("intern_months")?,
            p.number("intern_allowance_per_month")?,
            p.dated("minimum_wage_per_month")?,
        )?
        .with_interns_per_year(p.dated("interns_per_year")?)?,
    ))
}
