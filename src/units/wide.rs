//! Wide integers for exact decimal sums: a `Decimal`'s 96-bit mantissa
//! raised to a higher scale, and sums of many of them, before they are
//! rounded back to 96 bits.

use rust_decimal::Decimal;

/// 10 to the power of each scale `Decimal` can have (up to 10^19 they also
/// fit a `u64`, the divisor of one step of [`U256::rounded_quotient`]).
pub(super) const SCALES: [u128; 29] = {
    let mut p = [1u128; 29];
    let mut i = 1;
    while i < 29 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// A `Decimal` from a mantissa below 2^96.
pub(super) fn decimal(m: u128, scale: u32, negative: bool) -> Decimal {
    Decimal::from_parts(
        m as u32,
        (m >> 32) as u32,
        (m >> 64) as u32,
        negative,
        scale,
    )
}

/// An integer of 256 bits, as four 64-bit limbs, least significant first;
/// arithmetic wraps, so a negative sum is held in two's complement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct U256(pub [u64; 4]);

impl U256 {
    /// `x` widened.
    pub fn from_u128(x: u128) -> U256 {
        U256([x as u64, (x >> 64) as u64, 0, 0])
    }

    /// `x × p` for `x` below 2^96 and `p` below 2^128.
    pub fn product(x: u128, p: u128) -> U256 {
        match u64::try_from(p) {
            Ok(1) => U256::from_u128(x),
            // Two widening products, below 2^128 and 2^96.
            Ok(p) => {
                let p = u128::from(p);
                let low = u128::from(x as u64) * p;
                let high = (x >> 64) * p;
                let mid = (low >> 64) + u128::from(high as u64);
                U256([
                    low as u64,
                    mid as u64,
                    ((mid >> 64) + (high >> 64)) as u64,
                    0,
                ])
            }
            Err(_) => U256::from_u128(x).times(p),
        }
    }

    /// `self × p`, modulo 2^256.
    pub fn times(self, p: u128) -> U256 {
        if p == 1 {
            return self;
        }
        let mut out = [0u64; 4];
        for (j, pj) in [p as u64, (p >> 64) as u64].into_iter().enumerate() {
            if pj == 0 {
                continue;
            }
            let mut carry: u128 = 0;
            for i in 0..4 - j {
                let t = u128::from(self.0[i]) * u128::from(pj) + u128::from(out[i + j]) + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
        }
        U256(out)
    }

    /// `self + y`, modulo 2^256.
    pub fn plus(self, y: U256) -> U256 {
        let mut out = [0u64; 4];
        let mut carry = false;
        for (i, o) in out.iter_mut().enumerate() {
            let (s1, c1) = self.0[i].overflowing_add(y.0[i]);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *o = s2;
            carry = c1 || c2;
        }
        U256(out)
    }

    /// `self - y`, modulo 2^256.
    pub fn minus(self, y: U256) -> U256 {
        let mut out = [0u64; 4];
        let mut borrow = false;
        for (i, o) in out.iter_mut().enumerate() {
            let (d1, b1) = self.0[i].overflowing_sub(y.0[i]);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *o = d2;
            borrow = b1 || b2;
        }
        U256(out)
    }

    /// The number of significant bits.
    pub fn bits(&self) -> u32 {
        (0..4)
            .rev()
            .find(|i| self.0[*i] != 0)
            .map_or(0, |i| 64 * i as u32 + 64 - self.0[i].leading_zeros())
    }

    /// The low 128 bits.
    pub fn low(&self) -> u128 {
        u128::from(self.0[1]) << 64 | u128::from(self.0[0])
    }

    /// `self / d` and the remainder, for `d` below 2^64.
    fn div_rem(self, d: u64) -> (U256, u64) {
        let d = u128::from(d);
        // While the number fits 128 bits, one division does.
        if self.0[2] == 0 && self.0[3] == 0 {
            let n = self.low();
            let q = n / d;
            return (U256::from_u128(q), (n % d) as u64);
        }
        let mut q = [0u64; 4];
        let mut r: u128 = 0;
        for i in (0..4).rev() {
            let n = r << 64 | u128::from(self.0[i]);
            q[i] = (n / d) as u64;
            r = n % d;
        }
        (U256(q), r as u64)
    }

    /// `self / 10^n` truncated, and whether rounding it half to even on
    /// the exact remainder goes up; `n` is at least 1 (a digit dropped).
    pub fn rounded_quotient(self, mut n: u32) -> (U256, bool) {
        debug_assert!(n >= 1, "a rounded quotient drops at least one digit");
        let mut q = self;
        let mut sticky = false;
        while n > 19 {
            let (next, r) = q.div_rem(SCALES[19] as u64);
            sticky |= r != 0;
            q = next;
            n -= 19;
        }
        let p = SCALES[n as usize] as u64;
        let (q, r) = q.div_rem(p);
        let half = p / 2;
        let up = r > half || (r == half && (sticky || q.0[0] & 1 == 1));
        (q, up)
    }
}
