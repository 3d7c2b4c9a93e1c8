//! The pure-Rust core: no web dependency, tested natively. (In wasm it uses two things of the
//! platform: `simd128` lanes in `math`, and JavaScript's `parseFloat` for the rare numbers
//! `num::parse_f64` does not read exactly itself.)

#[doc(hidden)]
pub mod checks;
pub mod codegen;
pub mod explain;
pub mod expr;
pub mod math;
pub mod num;
pub mod optim;
pub mod params;
pub mod presets;
pub mod problems;
pub mod rng;
pub mod schedulers;
pub mod shelf;
pub mod sim;
pub mod slider;
pub mod ticks;
pub mod url;
pub mod util;
