//! `exp` and `ln(1 + t)` in pure Rust, for the training loop's hot path.
//!
//! Why not `f64::exp` and `f64::ln_1p` in wasm: there they are compiler-builtins' port of
//! musl's libm (FreeBSD's fdlibm algorithms), ~2× slower than these. Natively glibc's are
//! faster than these, so `core::problems` uses these in wasm only; a run may therefore differ
//! by an ulp between the browser and `cargo test`, which is why the SGD parity test runs in
//! both (`tests/golden_sgd.rs`, `tests/web.rs`). These functions give the same bits on every
//! target (only IEEE `+ - × /` and bit manipulation) and stay within ~2 ulp of the correctly
//! rounded result (tested below against the platform's libm), far inside the
//! 1e-12 + 1e-9·|ref| of the PyTorch parity tests.
//!
//! * `exp(x) = 2^m · 2^(j/64) · e^r` with `k = round(64·x/ln 2) = 64·m + j` and
//!   `|r| ≤ ln 2/128`; `e^r − 1` from its degree-5 Taylor polynomial (truncation < 2⁻⁵⁷).
//! * `ln(1 + t)` for `t ≥ 0`: `u = 1 + t` split into `2^e · m`, `m` within 1/256 of a table
//!   point `c = 1 + i/128` (129 of them on [1, 2]), `ln u = e·ln 2 + ln c + ln(1 + (m − c)/c)`
//!   (a degree-7 series), plus the rounding error of `1 + t` divided by `u`. The first point is
//!   `c = 1` (`ln c = 0`), so small `t` need no separate branch: below 2⁻⁵³ the result is
//!   exactly that rounding error, `t`.
//! * `exp_pair`: two `exp` at once for the per-epoch losses, with wasm's `f64x2` instructions
//!   when the build has `simd128`: the same operations in each lane, so the same bits as `exp`
//!   (tests/web.rs checks it). The losses need no `ln(1 + t)` per point: `core::problems`
//!   sums the logarithms as the logarithm of one product. The minibatch gradients stay
//!   scalar: there, gathering two random points cost more than the lanes saved.
//!
//! The tables hold `2^(j/64)`, `ln c` and `1/c` correctly rounded (computed with Python's
//! `decimal` at 60 digits).

// ln 2 = LN2_HI + LN2_LO (fdlibm's split): LN2_HI has 32 significant bits, so k·LN2_HI is
// exact for the k used here.
const LN2_HI: f64 = 0.693_147_180_369_123_8;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const INV_LN2_64: f64 = 92.332_482_616_893_66; // 64 / ln 2

/// `2^(j/64)`, j = 0..64.
const EXP2_J: [u64; 64] = [
    0x3ff0000000000000,
    0x3ff02c9a3e778061,
    0x3ff059b0d3158574,
    0x3ff0874518759bc8,
    0x3ff0b5586cf9890f,
    0x3ff0e3ec32d3d1a2,
    0x3ff11301d0125b51,
    0x3ff1429aaea92de0,
    0x3ff172b83c7d517b,
    0x3ff1a35beb6fcb75,
    0x3ff1d4873168b9aa,
    0x3ff2063b88628cd6,
    0x3ff2387a6e756238,
    0x3ff26b4565e27cdd,
    0x3ff29e9df51fdee1,
    0x3ff2d285a6e4030b,
    0x3ff306fe0a31b715,
    0x3ff33c08b26416ff,
    0x3ff371a7373aa9cb,
    0x3ff3a7db34e59ff7,
    0x3ff3dea64c123422,
    0x3ff4160a21f72e2a,
    0x3ff44e086061892d,
    0x3ff486a2b5c13cd0,
    0x3ff4bfdad5362a27,
    0x3ff4f9b2769d2ca7,
    0x3ff5342b569d4f82,
    0x3ff56f4736b527da,
    0x3ff5ab07dd485429,
    0x3ff5e76f15ad2148,
    0x3ff6247eb03a5585,
    0x3ff6623882552225,
    0x3ff6a09e667f3bcd,
    0x3ff6dfb23c651a2f,
    0x3ff71f75e8ec5f74,
    0x3ff75feb564267c9,
    0x3ff7a11473eb0187,
    0x3ff7e2f336cf4e62,
    0x3ff82589994cce13,
    0x3ff868d99b4492ed,
    0x3ff8ace5422aa0db,
    0x3ff8f1ae99157736,
    0x3ff93737b0cdc5e5,
    0x3ff97d829fde4e50,
    0x3ff9c49182a3f090,
    0x3ffa0c667b5de565,
    0x3ffa5503b23e255d,
    0x3ffa9e6b5579fdbf,
    0x3ffae89f995ad3ad,
    0x3ffb33a2b84f15fb,
    0x3ffb7f76f2fb5e47,
    0x3ffbcc1e904bc1d2,
    0x3ffc199bdd85529c,
    0x3ffc67f12e57d14b,
    0x3ffcb720dcef9069,
    0x3ffd072d4a07897c,
    0x3ffd5818dcfba487,
    0x3ffda9e603db3285,
    0x3ffdfc97337b9b5f,
    0x3ffe502ee78b3ff6,
    0x3ffea4afa2a490da,
    0x3ffefa1bee615a27,
    0x3fff50765b6e4540,
    0x3fffa7c1819e90d8,
];

/// `ln c_i` with `c_i = 1 + i/128`, i = 0..=128 (`ln c_0 = 0`).
const LN_C: [u64; 129] = [
    0x0000000000000000,
    0x3f7fe02a6b106789,
    0x3f8fc0a8b0fc03e4,
    0x3f97b91b07d5b11b,
    0x3f9f829b0e783300,
    0x3fa39e87b9febd60,
    0x3fa77458f632dcfc,
    0x3fab42dd711971bf,
    0x3faf0a30c01162a6,
    0x3fb16536eea37ae1,
    0x3fb341d7961bd1d1,
    0x3fb51b073f06183f,
    0x3fb6f0d28ae56b4c,
    0x3fb8c345d6319b21,
    0x3fba926d3a4ad563,
    0x3fbc5e548f5bc743,
    0x3fbe27076e2af2e6,
    0x3fbfec9131dbeabb,
    0x3fc0d77e7cd08e59,
    0x3fc1b72ad52f67a0,
    0x3fc29552f81ff523,
    0x3fc371fc201e8f74,
    0x3fc44d2b6ccb7d1e,
    0x3fc526e5e3a1b438,
    0x3fc5ff3070a793d4,
    0x3fc6d60fe719d21d,
    0x3fc7ab890210d909,
    0x3fc87fa06520c911,
    0x3fc9525a9cf456b4,
    0x3fca23bc1fe2b563,
    0x3fcaf3c94e80bff3,
    0x3fcbc286742d8cd6,
    0x3fcc8ff7c79a9a22,
    0x3fcd5c216b4fbb91,
    0x3fce27076e2af2e6,
    0x3fcef0adcbdc5936,
    0x3fcfb9186d5e3e2b,
    0x3fd0402594b4d041,
    0x3fd0a324e27390e3,
    0x3fd1058bf9ae4ad5,
    0x3fd1675cababa60e,
    0x3fd1c898c16999fb,
    0x3fd22941fbcf7966,
    0x3fd2895a13de86a3,
    0x3fd2e8e2bae11d31,
    0x3fd347dd9a987d55,
    0x3fd3a64c556945ea,
    0x3fd404308686a7e4,
    0x3fd4618bc21c5ec2,
    0x3fd4be5f957778a1,
    0x3fd51aad872df82d,
    0x3fd5767717455a6c,
    0x3fd5d1bdbf5809ca,
    0x3fd62c82f2b9c795,
    0x3fd686c81e9b14af,
    0x3fd6e08eaa2ba1e4,
    0x3fd739d7f6bbd007,
    0x3fd792a55fdd47a2,
    0x3fd7eaf83b82afc3,
    0x3fd842d1da1e8b17,
    0x3fd89a3386c1425b,
    0x3fd8f11e873662c7,
    0x3fd947941c2116fb,
    0x3fd99d958117e08b,
    0x3fd9f323ecbf984c,
    0x3fda484090e5bb0a,
    0x3fda9cec9a9a084a,
    0x3fdaf1293247786b,
    0x3fdb44f77bcc8f63,
    0x3fdb9858969310fb,
    0x3fdbeb4d9da71b7c,
    0x3fdc3dd7a7cdad4d,
    0x3fdc8ff7c79a9a22,
    0x3fdce1af0b85f3eb,
    0x3fdd32fe7e00ebd5,
    0x3fdd83e7258a2f3e,
    0x3fddd46a04c1c4a1,
    0x3fde24881a7c6c26,
    0x3fde744261d68788,
    0x3fdec399d2468cc0,
    0x3fdf128f5faf06ed,
    0x3fdf6123fa7028ac,
    0x3fdfaf588f78f31f,
    0x3fdffd2e0857f498,
    0x3fe02552a5a5d0ff,
    0x3fe04bdf9da926d2,
    0x3fe0723e5c1cdf40,
    0x3fe0986f4f573521,
    0x3fe0be72e4252a83,
    0x3fe0e44985d1cc8c,
    0x3fe109f39e2d4c97,
    0x3fe12f719593efbc,
    0x3fe154c3d2f4d5ea,
    0x3fe179eabbd899a1,
    0x3fe19ee6b467c96f,
    0x3fe1c3b81f713c25,
    0x3fe1e85f5e7040d0,
    0x3fe20cdcd192ab6e,
    0x3fe23130d7bebf43,
    0x3fe2555bce98f7cb,
    0x3fe2795e1289b11b,
    0x3fe29d37fec2b08b,
    0x3fe2c0e9ed448e8c,
    0x3fe2e47436e40268,
    0x3fe307d7334f10be,
    0x3fe32b1339121d71,
    0x3fe34e289d9ce1d3,
    0x3fe37117b54747b6,
    0x3fe393e0d3562a1a,
    0x3fe3b68449fffc23,
    0x3fe3d9026a7156fb,
    0x3fe3fb5b84d16f42,
    0x3fe41d8fe84672ae,
    0x3fe43f9fe2f9ce67,
    0x3fe4618bc21c5ec2,
    0x3fe48353d1ea88df,
    0x3fe4a4f85db03ebb,
    0x3fe4c679afccee3a,
    0x3fe4e7d811b75bb1,
    0x3fe50913cc01686b,
    0x3fe52a2d265bc5ab,
    0x3fe54b2467999498,
    0x3fe56bf9d5b3f399,
    0x3fe58cadb5cd7989,
    0x3fe5ad404c359f2d,
    0x3fe5cdb1dc6c1765,
    0x3fe5ee02a9241675,
    0x3fe60e32f44788d9,
    0x3fe62e42fefa39ef,
];

/// `1 / c_i`.
const INV_C: [u64; 129] = [
    0x3ff0000000000000,
    0x3fefc07f01fc07f0,
    0x3fef81f81f81f820,
    0x3fef44659e4a4271,
    0x3fef07c1f07c1f08,
    0x3feecc07b301ecc0,
    0x3fee9131abf0b767,
    0x3fee573ac901e574,
    0x3fee1e1e1e1e1e1e,
    0x3fede5d6e3f8868a,
    0x3fedae6076b981db,
    0x3fed77b654b82c34,
    0x3fed41d41d41d41d,
    0x3fed0cb58f6ec074,
    0x3fecd85689039b0b,
    0x3feca4b3055ee191,
    0x3fec71c71c71c71c,
    0x3fec3f8f01c3f8f0,
    0x3fec0e070381c0e0,
    0x3febdd2b899406f7,
    0x3febacf914c1bad0,
    0x3feb7d6c3dda338b,
    0x3feb4e81b4e81b4f,
    0x3feb2036406c80d9,
    0x3feaf286bca1af28,
    0x3feac5701ac5701b,
    0x3fea98ef606a63be,
    0x3fea6d01a6d01a6d,
    0x3fea41a41a41a41a,
    0x3fea16d3f97a4b02,
    0x3fe9ec8e951033d9,
    0x3fe9c2d14ee4a102,
    0x3fe999999999999a,
    0x3fe970e4f80cb872,
    0x3fe948b0fcd6e9e0,
    0x3fe920fb49d0e229,
    0x3fe8f9c18f9c18fa,
    0x3fe8d3018d3018d3,
    0x3fe8acb90f6bf3aa,
    0x3fe886e5f0abb04a,
    0x3fe8618618618618,
    0x3fe83c977ab2bedd,
    0x3fe8181818181818,
    0x3fe7f405fd017f40,
    0x3fe7d05f417d05f4,
    0x3fe7ad2208e0ecc3,
    0x3fe78a4c8178a4c8,
    0x3fe767dce434a9b1,
    0x3fe745d1745d1746,
    0x3fe724287f46debc,
    0x3fe702e05c0b8170,
    0x3fe6e1f76b4337c7,
    0x3fe6c16c16c16c17,
    0x3fe6a13cd1537290,
    0x3fe6816816816817,
    0x3fe661ec6a5122f9,
    0x3fe642c8590b2164,
    0x3fe623fa77016240,
    0x3fe6058160581606,
    0x3fe5e75bb8d015e7,
    0x3fe5c9882b931057,
    0x3fe5ac056b015ac0,
    0x3fe58ed2308158ed,
    0x3fe571ed3c506b3a,
    0x3fe5555555555555,
    0x3fe5390948f40feb,
    0x3fe51d07eae2f815,
    0x3fe5015015015015,
    0x3fe4e5e0a72f0539,
    0x3fe4cab88725af6e,
    0x3fe4afd6a052bf5b,
    0x3fe49539e3b2d067,
    0x3fe47ae147ae147b,
    0x3fe460cbc7f5cf9a,
    0x3fe446f86562d9fb,
    0x3fe42d6625d51f87,
    0x3fe4141414141414,
    0x3fe3fb013fb013fb,
    0x3fe3e22cbce4a902,
    0x3fe3c995a47babe7,
    0x3fe3b13b13b13b14,
    0x3fe3991c2c187f63,
    0x3fe3813813813814,
    0x3fe3698df3de0748,
    0x3fe3521cfb2b78c1,
    0x3fe33ae45b57bcb2,
    0x3fe323e34a2b10bf,
    0x3fe30d190130d190,
    0x3fe2f684bda12f68,
    0x3fe2e025c04b8097,
    0x3fe2c9fb4d812ca0,
    0x3fe2b404ad012b40,
    0x3fe29e4129e4129e,
    0x3fe288b01288b013,
    0x3fe27350b8812735,
    0x3fe25e22708092f1,
    0x3fe2492492492492,
    0x3fe23456789abcdf,
    0x3fe21fb78121fb78,
    0x3fe20b470c67c0d9,
    0x3fe1f7047dc11f70,
    0x3fe1e2ef3b3fb874,
    0x3fe1cf06ada2811d,
    0x3fe1bb4a4046ed29,
    0x3fe1a7b9611a7b96,
    0x3fe19453808ca29c,
    0x3fe1811811811812,
    0x3fe16e0689427379,
    0x3fe15b1e5f75270d,
    0x3fe1485f0e0acd3b,
    0x3fe135c81135c811,
    0x3fe12358e75d3033,
    0x3fe1111111111111,
    0x3fe0fef010fef011,
    0x3fe0ecf56be69c90,
    0x3fe0db20a88f4696,
    0x3fe0c9714fbcda3b,
    0x3fe0b7e6ec259dc8,
    0x3fe0a6810a6810a7,
    0x3fe0953f39010954,
    0x3fe0842108421084,
    0x3fe073260a47f7c6,
    0x3fe0624dd2f1a9fc,
    0x3fe05197f7d73404,
    0x3fe0410410410410,
    0x3fe03091b51f5e1a,
    0x3fe0204081020408,
    0x3fe0101010101010,
    0x3fe0000000000000,
];

/// `e^x`: `+∞` above ~709.78, `0` below ~−745.13 (subnormal results in between), NaN for NaN.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.782_712_893_384 {
        return f64::INFINITY;
    }
    if x < -745.133_219_101_941_1 {
        return 0.0;
    }
    let kf = (x * INV_LN2_64).round_ties_even();
    let r = (x - kf * (LN2_HI / 64.0)) - kf * (LN2_LO / 64.0);
    let k = kf as i64;
    let (m, j) = (k >> 6, (k & 63) as usize);
    // e^r − 1 for |r| ≤ ln 2 / 128 (+ a rounding): the next term, r⁶/720, is below 2⁻⁵⁷·r.
    let p = r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0)))));
    let t = f64::from_bits(EXP2_J[j]);
    scale2(t + t * p, m)
}

/// `y · 2^m` for `y` in about [0.99, 2.02) and `m` in [−1077, 1024], rounding once.
fn scale2(y: f64, m: i64) -> f64 {
    let pow2 = |e: i64| f64::from_bits(((e + 1023) as u64) << 52);
    if m > 1023 {
        y * 2.0 * pow2(m - 1)
    } else if m < -1022 {
        // Subnormal result: the first product is exact, the second rounds once.
        y * pow2(m + 1022) * pow2(-1022)
    } else {
        y * pow2(m)
    }
}

/// `ln(1 + t)` for `t ≥ 0` (NaN and `+∞` pass through). One path for every `t` (no branch
/// on its size).
pub fn ln_1p(t: f64) -> f64 {
    if t.is_nan() || t == f64::INFINITY {
        return t;
    }
    let u = 1.0 + t;
    let lost = t - (u - 1.0); // what rounding 1 + t dropped
    let bits = u.to_bits();
    let biased = bits >> 52; // u ≥ 1: no sign bit
    let i = (((bits >> 44) & 255) + 1) >> 1; // m rounded to a multiple of 1/128
    let m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    let c = f64::from_bits(0x3ff0_0000_0000_0000 + (i << 45)); // 1 + i/128, exactly
    let inv_c = f64::from_bits(INV_C[i as usize]);
    let r = (m - c) * inv_c; // m − c is exact; |r| ≤ 1/256 (r = m − 1 exactly when i = 0)
                             // ln(1 + r) − r: the first term left out, r⁸/8, is below 2⁻⁶⁷.
    let p = r * r * (-0.5 + r * (1.0 / 3.0 + r * (-0.25 + r * (0.2 + r * (-1.0 / 6.0 + r * (1.0 / 7.0))))));
    let ef = biased as f64 - 1023.0;
    let hi = ef * LN2_HI + f64::from_bits(LN_C[i as usize]);
    // lost / u = lost · 2^−e / (c·(1 + r)) ≈ lost · 2^−e / c · (1 − r): off by ~r² of itself
    // (without the 1 − r it would be off by r, about half an ulp of the result for small t).
    // When t < 2⁻⁵³, u = 1, i = 0, r = 0 and the result is exactly `lost` = t.
    let lo = ef * LN2_LO + lost * inv_c * f64::from_bits((2046 - biased) << 52) * (1.0 - r);
    hi + (r + (p + lo))
}

/// [`exp`] of two numbers at once: in each lane exactly the operations of [`exp`], so the
/// same bits. In wasm built with `simd128` (as the app is: `.cargo/config.toml`) the two lanes
/// share each instruction; elsewhere, and for an argument outside `[-708, 709]` or NaN, it is
/// [`exp`] twice.
#[inline]
pub fn exp_pair(x: [f64; 2]) -> [f64; 2] {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if let Some(y) = lanes::exp(x) {
        return y;
    }
    [exp(x[0]), exp(x[1])]
}

/// The two-lane `exp` with wasm's `f64x2` instructions. Each lane goes through
/// the same IEEE operations, in the same order, as the scalar functions above (wasm has no
/// fused multiply-add to change a rounding), so the results are bit-identical; the table
/// look-ups are two scalar loads. `None` asks the caller for the scalar functions: an argument
/// outside the range where the result is a normal number, or NaN.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use super::*;
    use core::arch::wasm32::*;

    #[inline(always)]
    fn splat(x: f64) -> v128 {
        f64x2_splat(x)
    }

    #[inline(always)]
    fn table(t: &[u64], i: v128) -> v128 {
        let (a, b) = (i64x2_extract_lane::<0>(i) as usize, i64x2_extract_lane::<1>(i) as usize);
        u64x2(t[a], t[b])
    }

    #[inline(always)]
    fn out(v: v128) -> [f64; 2] {
        [f64x2_extract_lane::<0>(v), f64x2_extract_lane::<1>(v)]
    }

    /// [`exp`] for `x` in `[-708, 709]`, where `2^m` is a normal number (`scale2`'s last case).
    #[inline(always)]
    fn exp_normal(x: v128) -> v128 {
        let kf = f64x2_nearest(f64x2_mul(x, splat(INV_LN2_64)));
        let r = f64x2_sub(f64x2_sub(x, f64x2_mul(kf, splat(LN2_HI / 64.0))), f64x2_mul(kf, splat(LN2_LO / 64.0)));
        let k = i64x2_extend_low_i32x4(i32x4_trunc_sat_f64x2_zero(kf));
        let (m, j) = (i64x2_shr(k, 6), v128_and(k, i64x2_splat(63)));
        let mut p = f64x2_add(splat(1.0 / 24.0), f64x2_mul(r, splat(1.0 / 120.0)));
        p = f64x2_add(splat(1.0 / 6.0), f64x2_mul(r, p));
        p = f64x2_add(splat(0.5), f64x2_mul(r, p));
        p = f64x2_add(splat(1.0), f64x2_mul(r, p));
        p = f64x2_mul(r, p);
        let t = table(&EXP2_J, j);
        let y = f64x2_add(t, f64x2_mul(t, p));
        let pow2 = i64x2_shl(i64x2_add(m, i64x2_splat(1023)), 52);
        f64x2_mul(y, pow2)
    }

    #[inline(always)]
    fn in_range(x: v128, lo: f64, hi: f64) -> bool {
        // False for NaN.
        i64x2_all_true(v128_and(f64x2_ge(x, splat(lo)), f64x2_le(x, splat(hi))))
    }

    #[inline(always)]
    pub fn exp(x: [f64; 2]) -> Option<[f64; 2]> {
        let v = f64x2(x[0], x[1]);
        if !in_range(v, -708.0, 709.0) {
            return None;
        }
        Some(out(exp_normal(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::Rng;

    /// Distance in ulps between two finite floats of the same sign.
    fn ulps(a: f64, b: f64) -> u64 {
        if a == b {
            return 0;
        }
        assert!(a.is_finite() && b.is_finite() && a.signum() == b.signum(), "{a} vs {b}");
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn tables_match_the_platform_libm() {
        for (j, &bits) in EXP2_J.iter().enumerate() {
            assert!(ulps(f64::from_bits(bits), (j as f64 / 64.0).exp2()) <= 1, "2^({j}/64)");
        }
        for i in 0..=128 {
            let c = 1.0 + i as f64 / 128.0;
            assert!(ulps(f64::from_bits(LN_C[i]), c.ln()) <= 1, "ln c_{i}");
            assert!(ulps(f64::from_bits(INV_C[i]), 1.0 / c) == 0, "1/c_{i}");
        }
    }

    #[test]
    fn exp_is_within_two_ulps() {
        let mut rng = Rng::new(1);
        let mut worst = 0;
        for n in 0..400_000 {
            let x = match n % 4 {
                0 => -745.0 + 1454.78 * rng.uniform(),
                1 => -30.0 + 50.0 * rng.uniform(),
                2 => (rng.uniform() - 0.5) * 1e-6,
                _ => -708.0 - 37.0 * rng.uniform(), // subnormal results
            };
            let (got, want) = (exp(x), x.exp());
            if want >= f64::MIN_POSITIVE {
                worst = worst.max(ulps(got, want));
            } else {
                assert!((got - want).abs() <= 2.0 * 4.9e-324 + 1e-15 * want, "exp({x}) = {got}, want {want}");
            }
        }
        assert!(worst <= 2, "worst {worst} ulps");
    }

    #[test]
    fn ln2_split_is_exact() {
        assert_eq!(LN2_HI.to_bits(), 0x3fe6_2e42_fee0_0000);
        assert_eq!(LN2_LO.to_bits(), 0x3dea_39ef_3579_3c76);
        assert_eq!(LN2_HI.to_bits() & 0x1f_ffff, 0, "LN2_HI has 32 significant bits");
    }

    #[test]
    fn exp_edges() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        assert_eq!(exp(1.0), std::f64::consts::E);
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(710.0), f64::INFINITY);
        assert_eq!(exp(-746.0), 0.0);
        assert!(ulps(exp(709.78), 709.78f64.exp()) <= 1);
        assert!(exp(709.782_712_893_384).is_finite());
        assert!(exp(-745.0) > 0.0);
    }

    #[test]
    fn ln_1p_is_within_two_ulps() {
        let mut rng = Rng::new(2);
        let mut worst = 0;
        for n in 0..400_000 {
            let t = match n % 7 {
                0 => rng.uniform() / 128.0 * 1.01,
                1 => rng.uniform() * 4.0,
                2 => (40.0 * rng.uniform() - 30.0).exp(),
                3 => (700.0 * rng.uniform()).exp(),
                4 => (-740.0 * rng.uniform()).exp(), // tiny: down to subnormal
                // Where 1 + t crosses from one table point to the next (1 + (k + 0.5)/128).
                5 => (((n / 7) % 128) as f64 + 0.5) / 128.0 * (1.0 + (rng.uniform() - 0.5) * 1e-12),
                _ => 2f64.powi(-53) * (0.5 + rng.uniform()),
            };
            worst = worst.max(ulps(ln_1p(t), t.ln_1p()));
        }
        assert!(worst <= 2, "worst {worst} ulps");
        assert_eq!(ln_1p(0.0), 0.0);
        assert_eq!(ln_1p(5e-324), 5e-324);
        assert_eq!(ln_1p(f64::INFINITY), f64::INFINITY);
        assert!(ln_1p(f64::NAN).is_nan());
        assert!(ulps(ln_1p(f64::MAX), f64::MAX.ln()) <= 1);
    }
}
