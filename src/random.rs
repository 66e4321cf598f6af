//! Keyed, counter-based randomness.
//!
//! Every random draw in incomesim comes from a stream keyed by
//! `(seed, household id, year, purpose)`. A stream is a function of its key, not of
//! any shared state, so results do not depend on how households are split over
//! threads or chunks, and a baseline run and a reform run see the same draws for the
//! same household (common random numbers).
//!
//! The generator is SplitMix64 (Steele, Lea & Flood 2014) started from a hash of the
//! key. It is small, fast, portable and fixed here, so results stay the same across
//! versions of `rand`.

use rand::rand_core::{Infallible, TryRng};

/// What a stream of random numbers is used for. Each purpose gets its own stream, so
/// adding a draw for one purpose never shifts the draws of another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Purpose {
    /// Household structure: residence, size, ages, sex.
    Structure = 1,
    /// Person attributes: education, disability, employment, occupation.
    Persons = 2,
    /// Market and private incomes in the base year.
    Incomes = 3,
    /// Household flags: formerly poor, monitored, relocated, land.
    Flags = 4,
    /// Take-up of means-tested benefits.
    TakeUp = 5,
    /// The calibration sample (kept apart from the generated population).
    Calibration = 6,
    /// Yearly dynamics: mortality, births, jobs, income shocks.
    Dynamics = 7,
    /// Levers that draw (job offers, rationing ties, training effects).
    Lever = 8,
    /// Parameter uncertainty for replications.
    Replication = 9,
}

/// Mixes a 64-bit value (the SplitMix64 finaliser, a bijection).
#[inline]
pub const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A SplitMix64 stream keyed by `(seed, household, year, purpose)`.
///
/// Implements [`rand::Rng`] through `TryRng<Error = Infallible>`, so it works with
/// every `rand_distr` distribution.
#[derive(Debug, Clone)]
pub struct StreamRng {
    state: u64,
}

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

impl StreamRng {
    /// The stream for one household, year and purpose.
    #[inline]
    pub fn new(seed: u64, household: u64, year: u16, purpose: Purpose) -> Self {
        let mut h = mix64(seed ^ 0x5851_f42d_4c95_7f2d);
        h = mix64(h ^ household.wrapping_mul(GOLDEN));
        h = mix64(h ^ ((year as u64) << 16 | purpose as u64));
        StreamRng { state: h }
    }

    /// A sub-stream of this key, for a numbered sub-purpose (a lever's own index, a
    /// replication number).
    #[inline]
    pub fn with_sub(seed: u64, household: u64, year: u16, purpose: Purpose, sub: u64) -> Self {
        StreamKey::new(seed, household, year, purpose).sub_stream(sub)
    }

    /// The next raw 64-bit output.
    #[inline]
    pub fn next_raw(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix64(self.state)
    }

    /// A uniform draw in the open interval (0, 1).
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        ((self.next_raw() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal draw: `rand_distr`'s ziggurat (one raw output for about 99%
    /// of draws, a table look-up and a multiplication; logarithms and exponentials only
    /// in the rare tail and wedge cases). Box–Muller, used until 2026-12-03, paid a
    /// logarithm, a square root and a cosine per draw: about 7% of a full scenario.
    #[inline]
    pub fn normal(&mut self) -> f64 {
        rand_distr::Distribution::sample(&rand_distr::StandardNormal, self)
    }

    /// A mean-one log-normal factor `exp(sigma * z - sigma^2 / 2)` with `z` standard
    /// normal.
    #[inline]
    pub fn mean_one_lognormal(&mut self, sigma: f64) -> f64 {
        (sigma * self.normal() - 0.5 * sigma * sigma).exp()
    }

    /// True with probability `p`.
    #[inline]
    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// An index drawn from the cumulative probabilities `cdf` (last element 1).
    #[inline]
    pub fn categorical(&mut self, cdf: &[f64]) -> usize {
        let u = self.uniform();
        cdf.iter().position(|&c| u < c).unwrap_or(cdf.len().saturating_sub(1))
    }
}

/// The key `(seed, household, year, purpose)` of a stream, hashed once: a loop that
/// draws from many sub-streams of one household (one per member and process) keeps
/// the key and pays two mixes per sub-stream instead of five. Gives exactly the
/// streams of [`StreamRng::new`] and [`StreamRng::with_sub`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamKey(u64);

impl StreamKey {
    /// The key of one household, year and purpose.
    #[inline]
    pub fn new(seed: u64, household: u64, year: u16, purpose: Purpose) -> Self {
        StreamKey(StreamRng::new(seed, household, year, purpose).state)
    }

    /// The stream of the key itself (as [`StreamRng::new`]).
    #[inline]
    pub fn stream(self) -> StreamRng {
        StreamRng { state: self.0 }
    }

    /// A numbered sub-stream (as [`StreamRng::with_sub`]).
    #[inline]
    pub fn sub_stream(self, sub: u64) -> StreamRng {
        self.sub_stream_mixed(mix_sub(sub))
    }

    /// The sub-stream numbered `sub` given `mix_sub(sub)` (see [`mix_sub`]): the same
    /// stream as [`StreamKey::sub_stream`], one mix cheaper.
    #[inline]
    pub fn sub_stream_mixed(self, mixed_sub: u64) -> StreamRng {
        StreamRng { state: mix64(self.0 ^ mixed_sub) }
    }
}

/// The mixed sub-stream number that [`StreamKey::sub_stream`] combines with the key.
/// A `const fn`, so a caller drawing from fixed sub-streams for many keys can tabulate
/// it once and use [`StreamKey::sub_stream_mixed`].
#[inline]
pub const fn mix_sub(sub: u64) -> u64 {
    mix64(sub.wrapping_add(GOLDEN))
}

impl TryRng for StreamRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next_raw() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_raw())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next_raw().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_stream_and_different_keys_differ() {
        let mut a = StreamRng::new(7, 42, 2022, Purpose::Incomes);
        let mut b = StreamRng::new(7, 42, 2022, Purpose::Incomes);
        assert_eq!(a.next_raw(), b.next_raw());
        let mut c = StreamRng::new(7, 43, 2022, Purpose::Incomes);
        let mut d = StreamRng::new(7, 42, 2023, Purpose::Incomes);
        let mut e = StreamRng::new(7, 42, 2022, Purpose::Flags);
        let mut f = StreamRng::new(8, 42, 2022, Purpose::Incomes);
        let x = StreamRng::new(7, 42, 2022, Purpose::Incomes).next_raw();
        for other in [c.next_raw(), d.next_raw(), e.next_raw(), f.next_raw()] {
            assert_ne!(x, other);
        }
    }

    #[test]
    fn uniform_mean_and_normal_variance_are_right() {
        let mut r = StreamRng::new(1, 2, 3, Purpose::Dynamics);
        let n = 200_000;
        let (mut s, mut s2) = (0.0, 0.0);
        let mut u = 0.0;
        for _ in 0..n {
            u += r.uniform();
            let z = r.normal();
            s += z;
            s2 += z * z;
        }
        assert!((u / n as f64 - 0.5).abs() < 0.005);
        assert!((s / n as f64).abs() < 0.01);
        assert!((s2 / n as f64 - 1.0).abs() < 0.02);
    }

    #[test]
    fn a_kept_key_gives_the_same_streams() {
        for (seed, household, year) in [(7u64, 42u64, 2022u16), (1, 1 << 62, 2023), (u64::MAX, 0, 0)] {
            let key = StreamKey::new(seed, household, year, Purpose::Dynamics);
            let mut a = key.stream();
            let mut b = StreamRng::new(seed, household, year, Purpose::Dynamics);
            assert_eq!(a.next_raw(), b.next_raw());
            for sub in [0u64, 1, 5 << 16 | 3, u64::MAX] {
                assert_eq!(key.sub_stream_mixed(mix_sub(sub)).next_raw(), key.sub_stream(sub).next_raw());
                let mut c = key.sub_stream(sub);
                let mut d = StreamRng::with_sub(seed, household, year, Purpose::Dynamics, sub);
                assert_eq!(c.next_raw(), d.next_raw());
            }
        }
    }

    #[test]
    fn works_with_rand_distr() {
        use rand_distr::{Distribution, LogNormal};
        let mut r = StreamRng::new(1, 2, 3, Purpose::Incomes);
        let d = LogNormal::new(0.0, 0.5).expect("valid parameters");
        let x: f64 = d.sample(&mut r);
        assert!(x > 0.0);
    }
}
