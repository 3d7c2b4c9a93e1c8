//! LR Playground: an interactive playground for PyTorch learning-rate schedulers.
//!
//! * [`core`] is pure Rust with no web dependency: schedulers that reproduce
//!   `torch.optim.lr_scheduler`, SGD as `torch.optim.SGD`, toy problems, the training
//!   simulation and the URL encoding. It builds and tests natively with `cargo test`.
//! * `ui` (wasm32 only) is a thin Leptos shell that maps the core's state to views.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod ui;
