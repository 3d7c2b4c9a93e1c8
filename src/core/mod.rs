//! The pure-Rust core: no web dependency, tested natively.

#[doc(hidden)]
pub mod checks;
pub mod codegen;
pub mod explain;
pub mod expr;
pub mod math;
pub mod optim;
pub mod params;
pub mod presets;
pub mod problems;
pub mod rng;
pub mod schedulers;
pub mod sim;
pub mod url;
