//! Categorical attributes of persons and households, each one byte.

use serde::{Deserialize, Serialize};

macro_rules! byte_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:expr => $text:expr),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u8)]
        pub enum $name {
            $($(#[$vmeta])* $variant = $value),+
        }

        impl $name {
            /// Every value, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in files (CSV, TOML, JSON).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the name used in files; `None` if it is not one of them.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The list of accepted names, for error messages.
            pub fn expected() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

byte_enum!(
    /// Sex of a person.
    Sex {
        /// Male.
        Male = 0 => "male",
        /// Female.
        Female = 1 => "female",
    }
);

byte_enum!(
    /// Household registration (户口) type.
    Hukou {
        /// Agricultural (rural) hukou.
        Rural = 0 => "rural",
        /// Non-agricultural (urban) hukou.
        Urban = 1 => "urban",
    }
);

byte_enum!(
    /// Highest level of education completed, a proxy for skill.
    Education {
        /// Primary school or less (小学及以下).
        PrimaryOrLess = 0 => "primary_or_less",
        /// Junior secondary (初中).
        JuniorSecondary = 1 => "junior_secondary",
        /// Senior secondary or vocational (高中/中专).
        SeniorSecondary = 2 => "senior_secondary",
        /// College or university (大专及以上).
        Tertiary = 3 => "tertiary",
    }
);

byte_enum!(
    /// Disability and its grade. "Severe" is grades 1–2 of the disability certificate
    /// (重度残疾), which the nursing subsidy and single-person dibao use.
    Disability {
        /// No certified disability.
        None = 0 => "none",
        /// Certified disability, grades 3–4.
        Moderate = 1 => "moderate",
        /// Certified severe disability, grades 1–2.
        Severe = 2 => "severe",
    }
);

byte_enum!(
    /// Main activity in the year.
    Employment {
        /// Employee working locally (本地务工), including short spells away.
        LocalEmployee = 0 => "local_employee",
        /// Migrant worker away from home for less than six months: still a household
        /// member, so the wage is wage income.
        MigrantShortTerm = 1 => "migrant_short_term",
        /// Farmer or herder on own account (operating income).
        FarmerHerder = 2 => "farmer_herder",
        /// Non-farm self-employed or small business (operating income).
        SelfEmployed = 3 => "self_employed",
        /// Holder of a public-welfare post (公益性岗位).
        PublicWelfarePost = 4 => "public_welfare_post",
        /// Civil servant or public-institution employee, including teachers and doctors.
        PublicSector = 5 => "public_sector",
        /// Unemployed and looking for work.
        Unemployed = 6 => "unemployed",
        /// Retired from an employer pension scheme (drawing a retiree pension).
        Retired = 7 => "retired",
        /// In school or university.
        Student = 8 => "student",
        /// Not in the labour force (young children, carers, the elderly without a job).
        NotInLabourForce = 9 => "not_in_labour_force",
    }
);

impl Employment {
    /// Earns a wage (wage income).
    pub fn earns_wage(self) -> bool {
        matches!(
            self,
            Employment::LocalEmployee
                | Employment::MigrantShortTerm
                | Employment::PublicWelfarePost
                | Employment::PublicSector
        )
    }

    /// Works on own account (operating income).
    pub fn earns_operating(self) -> bool {
        matches!(self, Employment::FarmerHerder | Employment::SelfEmployed)
    }

    /// Has paid work of any kind.
    pub fn is_working(self) -> bool {
        self.earns_wage() || self.earns_operating()
    }

    /// Whether the activity is one an employer pension scheme covers, so that the
    /// person retires at the statutory age if the job pays contributions
    /// ([`Employment::covered_by_employer_pension`]): public-sector staff anywhere and
    /// employees in towns (rural local employees, migrant workers and public-welfare
    /// post holders are not covered and keep working).
    pub fn retires_at_statutory_age(self, residence: Residence) -> bool {
        self == Employment::PublicSector || (self == Employment::LocalEmployee && residence == Residence::Urban)
    }

    /// Whether a person in this activity draws an employer pension on reaching the
    /// statutory age: [`Employment::retires_at_statutory_age`], and for an employee in
    /// a town a full-year wage of at least `informal_line`, the informal-wage line in
    /// force ([`crate::dynamics::Dynamics::informal_wage_line`]), below which a job pays no
    /// contributions: its holder has not the 15 years of contributions a monthly
    /// pension needs (社会保险法 art. 16; read off the job held at the end, as the model
    /// keeps no contribution history) and keeps working like the uncovered.
    /// Public-sector staff are always covered.
    pub fn covered_by_employer_pension(self, residence: Residence, full_year_wage: f64, informal_line: f64) -> bool {
        self == Employment::PublicSector
            || (self == Employment::LocalEmployee && residence == Residence::Urban && full_year_wage >= informal_line)
    }

    /// In the labour force: working or unemployed and looking for work (the NBS labour
    /// force survey's 就业人员 and 失业人员).
    pub fn in_labour_force(self) -> bool {
        self.is_working() || self == Employment::Unemployed
    }
}

byte_enum!(
    /// Occupation group, where a lever needs it.
    Occupation {
        /// No occupation a lever targets.
        Other = 0 => "other",
        /// Teacher (rural teachers' living allowance, teacher pay parity).
        Teacher = 1 => "teacher",
        /// Village doctor (村医补助).
        VillageDoctor = 2 => "village_doctor",
        /// Civil servant (机关).
        CivilServant = 3 => "civil_servant",
    }
);

byte_enum!(
    /// Residence (常住) of a household: where it lives, not its hukou.
    Residence {
        /// Lives in a town or city.
        Urban = 0 => "urban",
        /// Lives in a village.
        Rural = 1 => "rural",
    }
);

impl Residence {
    /// Both residences, urban first.
    pub const BOTH: [Residence; 2] = [Residence::Urban, Residence::Rural];

    /// 0 for urban, 1 for rural: an index into per-residence arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Household status flags, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct HouseholdFlags(pub u16);

impl HouseholdFlags {
    /// Receives dibao (最低生活保障) this year.
    pub const DIBAO: u16 = 1 << 0;
    /// Receives extreme-poverty support (特困人员救助供养).
    pub const EXTREME_POVERTY_SUPPORT: u16 = 1 << 1;
    /// Formerly registered poor, lifted out of poverty (脱贫户).
    pub const FORMERLY_POOR: u16 = 1 << 2;
    /// Under poverty-return monitoring (监测户).
    pub const MONITORED: u16 = 1 << 3;
    /// Relocated from inhospitable areas (易地扶贫搬迁).
    pub const RELOCATED: u16 = 1 << 4;
    /// Member of a village collective economic organisation (集体经济组织成员).
    pub const COLLECTIVE_MEMBER: u16 = 1 << 5;
    /// In the low-income edge group (低保边缘) this year.
    pub const LOW_INCOME_EDGE: u16 = 1 << 6;
    /// Received dibao last year (for grace periods and tapers).
    pub const DIBAO_LAST_YEAR: u16 = 1 << 7;
    /// Linked to a leading enterprise or cooperative (利益联结).
    pub const LINKED_TO_ENTERPRISE: u16 = 1 << 8;
    /// Holds land or collective shares after the shareholding reform (三变改革).
    pub const SHAREHOLDER: u16 = 1 << 9;
    /// Received extreme-poverty support last year.
    pub const EXTREME_POVERTY_LAST_YEAR: u16 = 1 << 10;
    /// Receives dibao as single-person units only (单人保): the household is not
    /// eligible as a whole, and only some members are covered (set with
    /// [`HouseholdFlags::DIBAO`]).
    pub const DIBAO_SINGLE_PERSON: u16 = 1 << 11;
    /// Mask of the three bits that count the persons covered as single-person units
    /// when [`HouseholdFlags::DIBAO_SINGLE_PERSON`] is set (0–7).
    pub const DIBAO_UNIT_PERSONS_MASK: u16 = 0b0111 << 12;
    /// Shift of that count.
    pub const DIBAO_UNIT_PERSONS_SHIFT: u16 = 12;

    /// Whether a flag is set.
    #[inline]
    pub fn has(self, flag: u16) -> bool {
        self.0 & flag != 0
    }

    /// Sets or clears a flag.
    #[inline]
    pub fn set(&mut self, flag: u16, on: bool) {
        if on {
            self.0 |= flag;
        } else {
            self.0 &= !flag;
        }
    }

    /// Persons covered as single-person dibao units (0–7).
    #[inline]
    pub fn dibao_unit_persons(self) -> u8 {
        ((self.0 & Self::DIBAO_UNIT_PERSONS_MASK) >> Self::DIBAO_UNIT_PERSONS_SHIFT) as u8
    }

    /// Sets the persons covered as single-person dibao units (capped at 7).
    #[inline]
    pub fn set_dibao_unit_persons(&mut self, n: u8) {
        self.0 = (self.0 & !Self::DIBAO_UNIT_PERSONS_MASK) | (u16::from(n.min(7)) << Self::DIBAO_UNIT_PERSONS_SHIFT);
    }

    /// Marks the household as on dibao through `n` members covered as single-person
    /// units ([`HouseholdFlags::DIBAO`], [`HouseholdFlags::DIBAO_SINGLE_PERSON`] and the
    /// count).
    #[inline]
    pub fn set_dibao_units(&mut self, n: u8) {
        self.set(Self::DIBAO | Self::DIBAO_SINGLE_PERSON, true);
        self.set_dibao_unit_persons(n);
    }

    /// The names of the flags, in bit order, as used in files.
    pub const NAMES: [(&'static str, u16); 12] = [
        ("dibao", Self::DIBAO),
        ("extreme_poverty_support", Self::EXTREME_POVERTY_SUPPORT),
        ("formerly_poor", Self::FORMERLY_POOR),
        ("monitored", Self::MONITORED),
        ("relocated", Self::RELOCATED),
        ("collective_member", Self::COLLECTIVE_MEMBER),
        ("low_income_edge", Self::LOW_INCOME_EDGE),
        ("dibao_last_year", Self::DIBAO_LAST_YEAR),
        ("linked_to_enterprise", Self::LINKED_TO_ENTERPRISE),
        ("shareholder", Self::SHAREHOLDER),
        ("extreme_poverty_last_year", Self::EXTREME_POVERTY_LAST_YEAR),
        ("dibao_single_person", Self::DIBAO_SINGLE_PERSON),
    ];
}

/// Person status flags, one bit each (the refusal count uses two bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct PersonFlags(pub u8);

impl PersonFlags {
    /// Has completed subsidised skills training (职业技能培训).
    pub const TRAINED: u8 = 1 << 0;
    /// Holds a skill certificate (证书).
    pub const CERTIFIED: u8 = 1 << 1;
    /// Started a business with start-up support.
    pub const STARTED_BUSINESS: u8 = 1 << 2;
    /// Moved into off-farm or migrant work by organised labour transfer.
    pub const TRANSFERRED: u8 = 1 << 3;
    /// Dibao cut or stopped after refusing job offers.
    pub const SANCTIONED: u8 = 1 << 4;
    /// Found a job this year (for the dibao grace period).
    pub const NEW_JOB_THIS_YEAR: u8 = 1 << 5;
    /// Mask of the two bits that count refused suitable job offers (0–3).
    pub const REFUSALS_MASK: u8 = 0b1100_0000;
    /// Shift of the refusal count.
    pub const REFUSALS_SHIFT: u8 = 6;

    /// Whether a flag is set.
    #[inline]
    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }

    /// Sets or clears a flag.
    #[inline]
    pub fn set(&mut self, flag: u8, on: bool) {
        if on {
            self.0 |= flag;
        } else {
            self.0 &= !flag;
        }
    }

    /// Number of suitable job offers refused (0–3).
    #[inline]
    pub fn refusals(self) -> u8 {
        (self.0 & Self::REFUSALS_MASK) >> Self::REFUSALS_SHIFT
    }

    /// Sets the number of refused offers (capped at 3).
    #[inline]
    pub fn set_refusals(&mut self, n: u8) {
        self.0 = (self.0 & !Self::REFUSALS_MASK) | (n.min(3) << Self::REFUSALS_SHIFT);
    }

    /// The names of the single-bit flags, as used in files.
    pub const NAMES: [(&'static str, u8); 6] = [
        ("trained", Self::TRAINED),
        ("certified", Self::CERTIFIED),
        ("started_business", Self::STARTED_BUSINESS),
        ("transferred", Self::TRANSFERRED),
        ("sanctioned", Self::SANCTIONED),
        ("new_job_this_year", Self::NEW_JOB_THIS_YEAR),
    ];
}

/// A person's hukou, education, disability and occupation group packed in one byte:
/// hukou in bit 0, education in bits 1–2, disability in bits 3–4, occupation in bits
/// 5–6 (each its code, the enum's value). Bit 7 is free. Built only by
/// [`PersonAttributes::new`] and the `with_*` methods, so every field holds a valid code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PersonAttributes(u8);

impl Default for PersonAttributes {
    /// The defaults of [`PersonRecord`](super::PersonRecord): rural hukou, junior
    /// secondary education, no disability, no targeted occupation.
    fn default() -> Self {
        PersonAttributes::new(Hukou::Rural, Education::JuniorSecondary, Disability::None, Occupation::Other)
    }
}

impl PersonAttributes {
    const HUKOU_SHIFT: u8 = 0;
    const EDUCATION_SHIFT: u8 = 1;
    const DISABILITY_SHIFT: u8 = 3;
    const OCCUPATION_SHIFT: u8 = 5;
    const TWO_BITS: u8 = 0b11;

    /// The four attributes in one byte.
    #[inline]
    pub fn new(hukou: Hukou, education: Education, disability: Disability, occupation: Occupation) -> Self {
        PersonAttributes(
            (hukou as u8) << Self::HUKOU_SHIFT
                | (education as u8) << Self::EDUCATION_SHIFT
                | (disability as u8) << Self::DISABILITY_SHIFT
                | (occupation as u8) << Self::OCCUPATION_SHIFT,
        )
    }

    /// The packed byte.
    #[inline]
    pub fn bits(self) -> u8 {
        self.0
    }

    #[inline]
    fn field(self, shift: u8) -> usize {
        ((self.0 >> shift) & Self::TWO_BITS) as usize
    }

    /// Hukou type.
    #[inline]
    pub fn hukou(self) -> Hukou {
        Hukou::ALL[self.field(Self::HUKOU_SHIFT) & 1]
    }

    /// Education.
    #[inline]
    pub fn education(self) -> Education {
        Education::ALL[self.field(Self::EDUCATION_SHIFT)]
    }

    /// Disability grade.
    #[inline]
    pub fn disability(self) -> Disability {
        // Codes are 0–2 by construction; 3 would read as severe, never panic.
        Disability::ALL[self.field(Self::DISABILITY_SHIFT).min(Disability::ALL.len() - 1)]
    }

    /// Occupation group.
    #[inline]
    pub fn occupation(self) -> Occupation {
        Occupation::ALL[self.field(Self::OCCUPATION_SHIFT)]
    }

    /// The same attributes with another disability grade.
    #[inline]
    pub fn with_disability(self, disability: Disability) -> Self {
        PersonAttributes::new(self.hukou(), self.education(), disability, self.occupation())
    }

    /// The same attributes with another occupation group.
    #[inline]
    pub fn with_occupation(self, occupation: Occupation) -> Self {
        PersonAttributes::new(self.hukou(), self.education(), self.disability(), occupation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_attributes_give_back_every_combination() {
        for &hukou in Hukou::ALL {
            for &education in Education::ALL {
                for &disability in Disability::ALL {
                    for &occupation in Occupation::ALL {
                        let a = PersonAttributes::new(hukou, education, disability, occupation);
                        assert_eq!(
                            (a.hukou(), a.education(), a.disability(), a.occupation()),
                            (hukou, education, disability, occupation)
                        );
                        assert_eq!(a.bits() & 0x80, 0);
                        let b = a.with_disability(Disability::Severe).with_occupation(Occupation::Teacher);
                        assert_eq!(
                            (b.hukou(), b.education(), b.disability(), b.occupation()),
                            (hukou, education, Disability::Severe, Occupation::Teacher)
                        );
                    }
                }
            }
        }
    }
}
