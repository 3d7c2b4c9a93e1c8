#[cfg(target_arch = "wasm32")]
fn main() {
    lr_playground::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("LR Playground is a web app: serve it with `scripts/serve.sh` (see README.md).");
}
