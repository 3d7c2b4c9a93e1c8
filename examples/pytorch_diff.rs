//! Differential-test driver: replays cases through the LR Playground core and prints JSON.
//!
//! Usage: `cargo run --release --example pytorch_diff CASES.json > APP_OUT.json`, or
//! `benches/pytorch_diff/run.sh`, which generates the cases and compares them with torch.
//!
//! A case is either
//!   {"id": .., "kind": "sched", "scheduler": {...serde config...}, "lr": f, "momentum": f,
//!    "steps": n, "metrics": [..]}
//! which runs `schedulers::trace` (the same as tests/golden_schedulers.rs), or
//!   {"id": .., "kind": "sim", "sim": {...SimConfig serde form...}}
//! which encodes the SimConfig as a link fragment, decodes it back (as the app does for a
//! link), builds the problem, exports its data, minibatch orders and gradient noise, and runs
//! `sim::simulate` (the app's training loop).

use lr_playground::core::problems::{Problem, ProblemConfig};
use lr_playground::core::rng::Rng;
use lr_playground::core::schedulers::{trace, Schedule, SchedulerConfig};
use lr_playground::core::sim::{minibatches, simulate, Epoch, SimConfig};
use lr_playground::core::url;
use serde_json::{json, Value};

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()).unwrap_or_default()
}

/// JSON numbers cannot hold NaN/inf: encode those as strings.
fn num(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        json!(format!("{x}"))
    }
}

fn nums(v: &[f64]) -> Value {
    Value::Array(v.iter().map(|&x| num(x)).collect())
}

fn fragment_for(sched: &SchedulerConfig, lr: f64, momentum: f64, steps: usize) -> String {
    let mut cfg = SimConfig {
        problem: ProblemConfig::Quadratic(Default::default()),
        scheduler: Some(sched.clone()),
        epochs: steps.max(1),
        ..SimConfig::default()
    };
    cfg.optimizer.lr = lr;
    cfg.optimizer.momentum = momentum;
    url::encode(&cfg, &Default::default())
}

fn run_sched(case: &Value) -> Value {
    let id = case["id"].clone();
    let text = case["scheduler"].to_string();
    let lr = case["lr"].as_f64().unwrap();
    let momentum = case["momentum"].as_f64().unwrap_or(0.0);
    let steps = case["steps"].as_u64().unwrap() as usize;
    let metrics = floats(&case["metrics"]);
    let cfg = match SchedulerConfig::from_json(&text) {
        Ok(c) => c,
        Err(e) => return json!({"id": id, "accepted": false, "error": e.message}),
    };
    let fragment = fragment_for(&cfg, lr, momentum, steps);
    // The link path must give the same config back.
    let dec = url::decode(&fragment);
    let roundtrip = dec.cfg.scheduler.as_ref() == Some(&cfg);
    match trace(Some(&cfg), lr, momentum, steps, &metrics) {
        Ok((points, err)) => {
            let lrs: Vec<f64> = points.iter().map(|p| p.lr).collect();
            let ms: Vec<f64> = points.iter().map(|p| p.momentum).collect();
            json!({"id": id, "accepted": true, "lr": nums(&lrs), "momentum": nums(&ms),
                   "step_error": err.map(|e| e.message), "fragment": fragment,
                   "roundtrip": roundtrip, "notices": dec.notices})
        }
        Err(e) => json!({"id": id, "accepted": false, "error": e.message, "fragment": fragment}),
    }
}

fn run_sim(case: &Value) -> Value {
    let id = case["id"].clone();
    let cfg0: SimConfig = match serde_json::from_value(case["sim"].clone()) {
        Ok(c) => c,
        Err(e) => return json!({"id": id, "accepted": false, "error": format!("serde: {e}")}),
    };
    let fragment = url::encode(&cfg0, &Default::default());
    let dec = url::decode(&fragment);
    let roundtrip = dec.cfg == cfg0;
    let cfg = dec.cfg.clone();
    if let Err(e) = cfg.validate() {
        return json!({"id": id, "accepted": false, "error": e.message, "fragment": fragment,
                      "roundtrip": roundtrip, "notices": dec.notices});
    }
    let problem = cfg.problem.build(cfg.seed);
    let prob_json = match &problem {
        Problem::Quadratic(q) => json!({"type": "quadratic", "a": [[q.a[0][0], q.a[0][1]], [q.a[1][0], q.a[1][1]]],
                                         "c": [q.c[0], q.c[1]], "noise": q.noise}),
        Problem::Logistic(l) => json!({"type": "logistic",
            "x": l.x.iter().map(|p| json!([p[0], p[1]])).collect::<Vec<_>>(), "y": l.y,
            "val_x": l.val_x.iter().map(|p| json!([p[0], p[1]])).collect::<Vec<_>>(), "val_y": l.val_y,
            "l2": l.l2}),
    };
    // Minibatch orders, replayed from the app's own plan.
    let mut plan = minibatches(&problem, cfg.seed);
    let mut batches: Vec<Vec<Vec<usize>>> = Vec::with_capacity(cfg.epochs);
    let mut ep = Epoch::default();
    for e in 0..cfg.epochs {
        plan(e, &mut ep);
        let mut begin = 0;
        let mut this = Vec::new();
        for &end in &ep.ends {
            this.push(ep.order[begin..end].to_vec());
            begin = end;
        }
        batches.push(this);
    }
    // Gradient noise, as `train` draws it (σ·normal per weight per SGD step).
    let mut noise: Vec<[f64; 2]> = Vec::new();
    if let Problem::Quadratic(q) = &problem {
        if q.noise > 0.0 {
            let mut rng = Rng::new(cfg.seed);
            let total = cfg.epochs * q.steps_per_epoch.max(1);
            for _ in 0..total {
                let a = q.noise * rng.normal();
                let b = q.noise * rng.normal();
                noise.push([a, b]);
            }
        }
    }
    let batch_json: Value = match &problem {
        Problem::Quadratic(q) => json!({"quadratic_steps": q.steps_per_epoch.max(1)}),
        Problem::Logistic(_) => json!(batches),
    };
    let t = match simulate(&problem, &cfg) {
        Ok(t) => t,
        Err(e) => {
            return json!({"id": id, "accepted": false, "error": e.message, "fragment": fragment,
                          "roundtrip": roundtrip})
        }
    };
    let _ = Schedule::new(cfg.scheduler.as_ref(), cfg.optimizer.lr, cfg.optimizer.momentum);
    json!({
        "id": id, "accepted": true, "fragment": fragment, "roundtrip": roundtrip, "notices": dec.notices,
        "cfg": serde_json::to_value(&cfg).unwrap(),
        "per_batch": cfg.per_batch(),
        "problem": prob_json, "w0": problem.start()[..problem.dim()].to_vec(), "batches": batch_json,
        "noise": noise.iter().map(|n| json!([n[0], n[1]])).collect::<Vec<_>>(),
        "loss0": num(t.loss0), "lr": nums(&t.lr), "momentum": nums(&t.momentum),
        "train_loss": nums(&t.train_loss), "val_loss": nums(&t.val_loss), "accuracy": nums(&t.accuracy),
        "weights": t.weights.iter().map(|w| nums(&w[..problem.dim()])).collect::<Vec<_>>(),
        "step_lr": nums(&t.step_lr),
        "divergence": t.divergence.map(|d| json!({"epoch": d.epoch, "loss": num(d.loss)})),
        "halted": t.halted,
    })
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: difftest CASES.json");
    let text = std::fs::read_to_string(&path).expect("read cases");
    let cases: Vec<Value> = serde_json::from_str(&text).expect("cases JSON");
    let mut out = Vec::with_capacity(cases.len());
    for case in &cases {
        let r = std::panic::catch_unwind(|| match case["kind"].as_str() {
            Some("sched") => run_sched(case),
            Some("sim") => run_sim(case),
            Some("link") => {
                let d = url::decode(case["fragment"].as_str().unwrap_or(""));
                json!({"id": case["id"], "accepted": true, "cfg": serde_json::to_value(&d.cfg).unwrap(),
                       "notices": d.notices, "reencoded": url::encode(&d.cfg, &Default::default())})
            }
            k => json!({"id": case["id"], "accepted": false, "error": format!("unknown kind {k:?}")}),
        });
        out.push(r.unwrap_or_else(|_| json!({"id": case["id"], "accepted": false, "error": "PANIC"})));
    }
    println!("{}", serde_json::to_string(&out).unwrap());
}
