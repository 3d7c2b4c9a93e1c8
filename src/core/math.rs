//! `exp` and `softplus` in pure Rust, for the training loop's hot path.
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
//! * `ln(1 + t)` for `t ≥ 0`: below 1/128 its degree-9 series; above, `u = 1 + t` split
//!   into `2^e · m`, `m` within 1/256 of a table point `c` (128 of them on [1, 2)),
//!   `ln u = e·ln 2 + ln c + ln(1 + (m − c)/c)` (a degree-7 series), plus the rounding error
//!   of `1 + t` divided by `u`.
//!
//! * `softplus2`: two `softplus` at once for the per-epoch losses (each an `exp` and an
//!   `ln(1 + t)`), with wasm's `f64x2` instructions when the build has `simd128`: the same
//!   operations in each lane, so the same bits as `softplus` (tests/web.rs checks it). It took
//!   the losses of the heavy benchmark run from 13.6 to 9.7 ms in Chromium. The minibatch
//!   gradients stay scalar: there, gathering two random points cost more than the lanes saved.
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

/// `ln c_i` with `c_i = 1 + (i + 0.5)/128`, i = 0..128.
const LN_C: [u64; 128] = [
    0x3f6ff00aa2b10bc0,
    0x3f87dc475f810a77,
    0x3f93cea44346a575,
    0x3f9b9fc027af9198,
    0x3fa1b0d98923d980,
    0x3fa58a5bafc8e4d5,
    0x3fa95c830ec8e3eb,
    0x3fad276b8adb0b52,
    0x3fb075983598e471,
    0x3fb253f62f0a1417,
    0x3fb42edcbea646f0,
    0x3fb60658a93750c4,
    0x3fb7da766d7b12cd,
    0x3fb9ab42462033ad,
    0x3fbb78c82bb0eda1,
    0x3fbd4313d66cb35d,
    0x3fbf0a30c01162a6,
    0x3fc0671512ca596e,
    0x3fc14785846742ac,
    0x3fc2266f190a5acb,
    0x3fc303d718e47fd3,
    0x3fc3dfc2b0ecc62a,
    0x3fc4ba36f39a55e5,
    0x3fc59338d9982086,
    0x3fc66acd4272ad51,
    0x3fc740f8f54037a5,
    0x3fc815c0a14357eb,
    0x3fc8e928de886d41,
    0x3fc9bb362e7dfb83,
    0x3fca8becfc882f19,
    0x3fcb5b519e8fb5a4,
    0x3fcc2968558c18c1,
    0x3fccf6354e09c5dc,
    0x3fcdc1bca0abec7d,
    0x3fce8c0252aa5a60,
    0x3fcf550a564b7b37,
    0x3fd00e6c45ad501d,
    0x3fd071b85fcd590d,
    0x3fd0d46b579ab74b,
    0x3fd136870293a8b0,
    0x3fd1980d2dd4236f,
    0x3fd1f8ff9e48a2f3,
    0x3fd2596010df763a,
    0x3fd2b9303ab89d25,
    0x3fd31871c9544185,
    0x3fd3772662bfd85b,
    0x3fd3d54fa5c1f710,
    0x3fd432ef2a04e814,
    0x3fd49006804009d1,
    0x3fd4ec973260026a,
    0x3fd548a2c3add263,
    0x3fd5a42ab0f4cfe2,
    0x3fd5ff3070a793d4,
    0x3fd659b57303e1f3,
    0x3fd6b3bb2235943e,
    0x3fd70d42e2789236,
    0x3fd7664e1239dbcf,
    0x3fd7bede0a37afc0,
    0x3fd816f41da0d496,
    0x3fd86e919a330ba0,
    0x3fd8c5b7c858b48b,
    0x3fd91c67eb45a83e,
    0x3fd972a341135158,
    0x3fd9c86b02dc0863,
    0x3fda1dc064d5b995,
    0x3fda72a4966bd9ea,
    0x3fdac718c258b0e4,
    0x3fdb1b1e0ebdfc5b,
    0x3fdb6eb59d3cf35e,
    0x3fdbc1e08b0dad0a,
    0x3fdc149ff115f027,
    0x3fdc66f4e3ff6ff8,
    0x3fdcb8e0744d7aca,
    0x3fdd0a63ae721e64,
    0x3fdd5b7f9ae2c684,
    0x3fddac353e2c5954,
    0x3fddfc859906d5b5,
    0x3fde4c71a8687704,
    0x3fde9bfa659861f5,
    0x3fdeeb20c640ddf4,
    0x3fdf39e5bc811e5c,
    0x3fdf884a36fe9ec2,
    0x3fdfd64f20f61572,
    0x3fe011fab125ff8a,
    0x3fe0389eefce633b,
    0x3fe05f14bd26459c,
    0x3fe0855c884b450e,
    0x3fe0ab76bece14d2,
    0x3fe0d163ccb9d6b8,
    0x3fe0f7241c9b497d,
    0x3fe11cb81787ccf8,
    0x3fe1422025243d45,
    0x3fe1675cababa60e,
    0x3fe18c6e0ff5cf06,
    0x3fe1b154b57da29f,
    0x3fe1d610fe677003,
    0x3fe1faa34b87094c,
    0x3fe21f0bfc65beec,
    0x3fe2434b6f483934,
    0x3fe26762013430e0,
    0x3fe28b500df60783,
    0x3fe2af15f02640ad,
    0x3fe2d2b4012edc9e,
    0x3fe2f62a99509546,
    0x3fe3197a0fa7fe6a,
    0x3fe33ca2ba328995,
    0x3fe35fa4edd36ea0,
    0x3fe38280fe58797f,
    0x3fe3a5373e7ebdfa,
    0x3fe3c7c7fff73206,
    0x3fe3ea33936b2f5c,
    0x3fe40c7a4880dce9,
    0x3fe42e9c6ddf80bf,
    0x3fe4509a5133bb0a,
    0x3fe472743f33aaad,
    0x3fe4942a83a2fc07,
    0x3fe4b5bd6956e274,
    0x3fe4d72d3a39fd00,
    0x3fe4f87a3f5026e9,
    0x3fe519a4c0ba3446,
    0x3fe53aad05b99b7d,
    0x3fe55b9354b40bcd,
    0x3fe57c57f336f191,
    0x3fe59cfb25fae87e,
    0x3fe5bd7d30e71c73,
    0x3fe5ddde57149923,
    0x3fe5fe1edad18919,
    0x3fe61e3efda46467,
];

/// `1 / c_i`.
const INV_C: [u64; 128] = [
    0x3fefe01fe01fe020,
    0x3fefa11caa01fa12,
    0x3fef6310aca0dbb5,
    0x3fef25f644230ab5,
    0x3feee9c7f8458e02,
    0x3feeae807aba01eb,
    0x3fee741aa59750e4,
    0x3fee3a9179dc1a73,
    0x3fee01e01e01e01e,
    0x3fedca01dca01dca,
    0x3fed92f2231e7f8a,
    0x3fed5cac807572b2,
    0x3fed272ca3fc5b1a,
    0x3fecf26e5c44bfc6,
    0x3fecbe6d9601cbe7,
    0x3fec8b265afb8a42,
    0x3fec5894d10d4986,
    0x3fec26b5392ea01c,
    0x3febf583ee868d8b,
    0x3febc4fd65883e7b,
    0x3feb951e2b18ff23,
    0x3feb65e2e3beee05,
    0x3feb37484ad806ce,
    0x3feb094b31d922a4,
    0x3feadbe87f94905e,
    0x3feaaf1d2f87ebfd,
    0x3fea82e65130e159,
    0x3fea574107688a4a,
    0x3fea2c2a87c51ca0,
    0x3fea01a01a01a01a,
    0x3fe9d79f176b682d,
    0x3fe9ae24ea5510da,
    0x3fe9852f0d8ec0ff,
    0x3fe95cbb0be377ae,
    0x3fe934c67f9b2ce6,
    0x3fe90d4f120190d5,
    0x3fe8e6527af1373f,
    0x3fe8bfce8062ff3a,
    0x3fe899c0f601899c,
    0x3fe87427bcc092b9,
    0x3fe84f00c2780614,
    0x3fe82a4a0182a4a0,
    0x3fe8060180601806,
    0x3fe7e225515a4f1d,
    0x3fe7beb3922e017c,
    0x3fe79baa6bb6398b,
    0x3fe77908119ac60d,
    0x3fe756cac201756d,
    0x3fe734f0c541fe8d,
    0x3fe713786d9c7c09,
    0x3fe6f26016f26017,
    0x3fe6d1a62681c861,
    0x3fe6b1490aa31a3d,
    0x3fe691473a88d0c0,
    0x3fe6719f3601671a,
    0x3fe6524f853b4aa3,
    0x3fe63356b88ac0de,
    0x3fe614b36831ae94,
    0x3fe5f66434292dfc,
    0x3fe5d867c3ece2a5,
    0x3fe5babcc647fa91,
    0x3fe59d61f123ccaa,
    0x3fe5805601580560,
    0x3fe56397ba7c52e2,
    0x3fe54725e6bb82fe,
    0x3fe52aff56a8054b,
    0x3fe50f22e111c4c5,
    0x3fe4f38f62dd4c9b,
    0x3fe4d843bedc2c4c,
    0x3fe4bd3edda68fe1,
    0x3fe4a27fad76014a,
    0x3fe4880522014880,
    0x3fe46dce34596066,
    0x3fe453d9e2c776ca,
    0x3fe43a2730abee4d,
    0x3fe420b5265e5951,
    0x3fe40782d10e6566,
    0x3fe3ee8f42a5af07,
    0x3fe3d5d991aa75c6,
    0x3fe3bd60d9232955,
    0x3fe3a524387ac822,
    0x3fe38d22d366088e,
    0x3fe3755bd1c945ee,
    0x3fe35dce5f9f2af8,
    0x3fe34679ace01346,
    0x3fe32f5ced6a1dfa,
    0x3fe3187758e9ebb6,
    0x3fe301c82ac40260,
    0x3fe2eb4ea1fed14b,
    0x3fe2d50a012d50a0,
    0x3fe2bef98e5a3711,
    0x3fe2a91c92f3c105,
    0x3fe293725bb804a5,
    0x3fe27dfa38a1ce4d,
    0x3fe268b37cd60127,
    0x3fe2539d7e9177b2,
    0x3fe23eb79717605b,
    0x3fe22a0122a0122a,
    0x3fe21579804855e6,
    0x3fe2012012012012,
    0x3fe1ecf43c7fb84c,
    0x3fe1d8f5672e4abd,
    0x3fe1c522fc1ce059,
    0x3fe1b17c67f2bae3,
    0x3fe19e0119e0119e,
    0x3fe18ab083902bdb,
    0x3fe1778a191bd684,
    0x3fe1648d50fc3201,
    0x3fe151b9a3fdd5c9,
    0x3fe13f0e8d344724,
    0x3fe12c8b89edc0ac,
    0x3fe11a3019a74826,
    0x3fe107fbbe011080,
    0x3fe0f5edfab325a2,
    0x3fe0e40655826011,
    0x3fe0d24456359e3a,
    0x3fe0c0a7868b4171,
    0x3fe0af2f722eecb5,
    0x3fe09ddba6af8360,
    0x3fe08cabb37565e2,
    0x3fe07b9f29b8eae2,
    0x3fe06ab59c7912fb,
    0x3fe059eea0727586,
    0x3fe04949cc1664c5,
    0x3fe038c6b78247fc,
    0x3fe02864fc7729e9,
    0x3fe0182436517a37,
    0x3fe0080402010080,
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

/// `ln(1 + t)` for `t ≥ 0` (NaN and `+∞` pass through).
pub fn ln_1p(t: f64) -> f64 {
    if t < 1.0 / 128.0 {
        // t − t²/2 + … − t¹⁰/10: the first term left out is below 2⁻⁶³·t.
        return t
            * (1.0
                - t * (1.0 / 2.0
                    - t * (1.0 / 3.0
                        - t * (1.0 / 4.0
                            - t * (1.0 / 5.0
                                - t * (1.0 / 6.0
                                    - t * (1.0 / 7.0 - t * (1.0 / 8.0 - t * (1.0 / 9.0 - t / 10.0)))))))));
    }
    if t.is_nan() || t == f64::INFINITY {
        return t;
    }
    let u = 1.0 + t;
    let lost = t - (u - 1.0); // what rounding 1 + t dropped
    let bits = u.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let i = ((bits >> 45) & 127) as usize;
    let m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    let c = 1.0 + (i as f64 + 0.5) / 128.0; // exact
    let inv_c = f64::from_bits(INV_C[i]);
    let r = (m - c) * inv_c; // m − c is exact; |r| ≤ 1/256
                             // ln(1 + r) − r: the first term left out, r⁸/8, is below 2⁻⁶⁷.
    let p = r * r * (-0.5 + r * (1.0 / 3.0 + r * (-0.25 + r * (0.2 + r * (-1.0 / 6.0 + r * (1.0 / 7.0))))));
    let ef = e as f64;
    let hi = ef * LN2_HI + f64::from_bits(LN_C[i]);
    // lost / u ≈ lost · 2^−e / c: it is below an ulp of the result, so 1/c is close enough.
    let lo = ef * LN2_LO + lost * inv_c * f64::from_bits(((1023 - e) as u64) << 52);
    hi + (r + (p + lo))
}

/// PyTorch's `softplus(z) = ln(1 + e^z)` (β = 1), without its threshold.
pub fn softplus(z: f64) -> f64 {
    ln_1p(exp(z))
}

/// [`softplus`] of two numbers at once: in each lane exactly the operations of [`softplus`],
/// so the same bits. In wasm built with `simd128` (as the app is: `.cargo/config.toml`) the two
/// lanes share each instruction; elsewhere, and for an argument outside `[-708, 709]` or NaN,
/// it is [`softplus`] twice.
#[inline]
pub fn softplus2(z: [f64; 2]) -> [f64; 2] {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if let Some(y) = lanes::softplus(z) {
        return y;
    }
    [softplus(z[0]), softplus(z[1])]
}

/// The two-lane `softplus` (`exp`, then `ln(1 + t)`) with wasm's `f64x2` instructions. Each lane goes through
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

    /// [`ln_1p`]'s series branch (`t < 1/128`).
    #[inline(always)]
    fn ln_1p_small(t: v128) -> v128 {
        let step = |c: f64, q: v128| f64x2_sub(splat(c), f64x2_mul(t, q));
        let q = f64x2_sub(splat(1.0 / 9.0), f64x2_div(t, splat(10.0)));
        let q = step(1.0 / 4.0, step(1.0 / 5.0, step(1.0 / 6.0, step(1.0 / 7.0, step(1.0 / 8.0, q)))));
        f64x2_mul(t, step(1.0, step(1.0 / 2.0, step(1.0 / 3.0, q))))
    }

    /// [`ln_1p`]'s table branch (`1/128 ≤ t`, finite).
    #[inline(always)]
    fn ln_1p_table(t: v128) -> v128 {
        let u = f64x2_add(splat(1.0), t);
        let lost = f64x2_sub(t, f64x2_sub(u, splat(1.0)));
        let biased = u64x2_shr(u, 52); // u > 0: no sign bit
        let i = v128_and(u64x2_shr(u, 45), i64x2_splat(127));
        let m = v128_or(v128_and(u, i64x2_splat((1 << 52) - 1)), i64x2_splat(1023 << 52));
        // c = 1 + (i + 0.5)/128 and e as f64 (exactly: 2^52 + biased, minus 2^52 + 1023).
        let c = v128_or(i64x2_splat((1023 << 52) | (1 << 44)), i64x2_shl(i, 45));
        let ef =
            f64x2_sub(v128_or(biased, i64x2_splat(0x4330_0000_0000_0000)), splat(4_503_599_627_370_496.0 + 1023.0));
        let inv_c = table(&INV_C, i);
        let r = f64x2_mul(f64x2_sub(m, c), inv_c);
        let step = |c: f64, p: v128| f64x2_add(splat(c), f64x2_mul(r, p));
        let p = step(-1.0 / 6.0, splat(1.0 / 7.0));
        let p = f64x2_mul(f64x2_mul(r, r), step(-0.5, step(1.0 / 3.0, step(-0.25, step(0.2, p)))));
        let hi = f64x2_add(f64x2_mul(ef, splat(LN2_HI)), table(&LN_C, i));
        let pow = i64x2_shl(i64x2_sub(i64x2_splat(2046), biased), 52); // 2^-e
        let lo = f64x2_add(f64x2_mul(ef, splat(LN2_LO)), f64x2_mul(f64x2_mul(lost, inv_c), pow));
        f64x2_add(hi, f64x2_add(r, f64x2_add(p, lo)))
    }

    #[inline(always)]
    pub fn softplus(z: [f64; 2]) -> Option<[f64; 2]> {
        let v = f64x2(z[0], z[1]);
        if !in_range(v, -708.0, 709.0) {
            return None;
        }
        let t = exp_normal(v);
        let small = f64x2_lt(t, splat(1.0 / 128.0));
        let y = if i64x2_all_true(small) {
            ln_1p_small(t)
        } else if !v128_any_true(small) {
            ln_1p_table(t)
        } else {
            v128_bitselect(ln_1p_small(t), ln_1p_table(t), small)
        };
        Some(out(y))
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
        for i in 0..128 {
            let c = 1.0 + (i as f64 + 0.5) / 128.0;
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
            let t = match n % 5 {
                0 => rng.uniform() / 128.0 * 1.01,
                1 => rng.uniform() * 4.0,
                2 => (40.0 * rng.uniform() - 30.0).exp(),
                3 => (700.0 * rng.uniform()).exp(),
                _ => 1.0 / 128.0 * (1.0 + (rng.uniform() - 0.5) * 1e-9),
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

    #[test]
    fn softplus_is_within_three_ulps() {
        let mut rng = Rng::new(3);
        let mut worst = 0;
        for _ in 0..400_000 {
            let z = -740.0 + 760.0 * rng.uniform().powi(3);
            let want = z.exp().ln_1p();
            if want >= f64::MIN_POSITIVE {
                worst = worst.max(ulps(softplus(z), want));
            }
        }
        assert!(worst <= 3, "worst {worst} ulps");
    }
}
