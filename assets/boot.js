// LR Playground loader: starts the wasm app and shows a readable error if that fails.
//
// It replaces Trunk's inline loader script so the page runs under a strict
// Content-Security-Policy (`script-src 'self' 'wasm-unsafe-eval'`, no inline script).
// Trunk.toml's `pattern_script` emits
//   <script type="module" src="./boot.js" data-lrp-js="./app-<hash>.js" data-lrp-wasm="./app-<hash>_bg.wasm">
// and index.html copies this file into dist/.
//
// While the wasm starts, index.html shows <div id="loading">; the app removes it on mount (and
// this file removes it once the wasm `main` has returned, in case the app did not).
// <html data-lrp-state> is "loading", then "started" or "error" (the e2e harness waits on it).
// If the module or the wasm cannot be loaded, or the app panics (a Rust panic reaches JS as a
// WebAssembly.RuntimeError, and console_error_panic_hook logs "panicked at ..." first), a
// message with role="alert" and id "lrp-error" is shown instead.

const script = document.querySelector('script[data-lrp-js]');

let lastPanic = null;
const originalConsoleError = console.error.bind(console);
console.error = (...args) => {
  const text = args.map(String).join(' ');
  if (text.includes('panicked at')) lastPanic = text;
  originalConsoleError(...args);
};

function showError(title, detail) {
  let box = document.getElementById('lrp-error');
  if (!box) {
    box = document.createElement('div');
    box.id = 'lrp-error';
    box.className = 'lrp-message lrp-error';
    box.setAttribute('role', 'alert');
    const loading = document.getElementById('loading');
    if (loading) loading.replaceWith(box);
    else document.body.prepend(box);
  }
  box.replaceChildren();
  const h = document.createElement('h1');
  h.textContent = title;
  const p = document.createElement('p');
  p.textContent = 'Reloading the page may help. If it keeps happening, please report it with the details below.';
  const pre = document.createElement('pre');
  pre.textContent = detail;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Reload';
  button.addEventListener('click', () => location.reload());
  box.append(h, p, pre, button);
  document.documentElement.dataset.lrpState = 'error';
}

function describe(err) {
  if (err instanceof WebAssembly.RuntimeError && lastPanic) return lastPanic;
  if (err && err.stack) return String(err.stack);
  return String(err);
}

function isCrash(err) {
  return err instanceof WebAssembly.RuntimeError || lastPanic !== null;
}

window.addEventListener('error', (ev) => {
  if (isCrash(ev.error)) showError('LR Playground crashed', describe(ev.error));
});
window.addEventListener('unhandledrejection', (ev) => {
  if (isCrash(ev.reason)) showError('LR Playground crashed', describe(ev.reason));
});

async function start() {
  if (!script) throw new Error('boot.js: missing <script data-lrp-js data-lrp-wasm> (see Trunk.toml)');
  if (typeof WebAssembly !== 'object') {
    showError('WebAssembly is not available', 'This browser has WebAssembly disabled or does not support it.');
    return;
  }
  // The wasm uses 128-bit SIMD (.cargo/config.toml) and reference types (Rust's and
  // wasm-bindgen's default). A browser without them could not compile the module; say so
  // plainly instead of showing a compile error. The probes are the smallest modules using each:
  // (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
  const simd = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  // (module (func ref.null func drop))
  const refTypes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 7, 1, 5, 0, 208, 112, 26, 11]);
  if (!WebAssembly.validate(simd) || !WebAssembly.validate(refTypes)) {
    showError('This browser is too old for LR Playground',
      'LR Playground needs WebAssembly SIMD and reference types: Chrome or Edge 96, Firefox 89, Safari 16.4 or newer. Please update your browser.');
    return;
  }
  document.documentElement.dataset.lrpState = 'loading';
  const jsUrl = new URL(script.dataset.lrpJs, document.baseURI).href;
  const wasmUrl = new URL(script.dataset.lrpWasm, document.baseURI).href;
  let bindings;
  try {
    bindings = await import(jsUrl);
  } catch (err) {
    showError('Could not load LR Playground', `Loading ${jsUrl} failed:\n${describe(err)}`);
    return;
  }
  try {
    const wasm = await bindings.default({ module_or_path: wasmUrl });
    if (document.documentElement.dataset.lrpState !== 'error') {
      // The app's `main` has returned, so it has mounted: drop the loading state if the app
      // did not already remove it itself.
      document.getElementById('loading')?.remove();
      document.documentElement.dataset.lrpState = 'started';
    }
    dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
  } catch (err) {
    const title = isCrash(err) ? 'LR Playground crashed while starting' : 'Could not start LR Playground';
    showError(title, `${describe(err)}\n(wasm: ${wasmUrl})`);
  }
}

start();
