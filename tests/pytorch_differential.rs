//! Cases a randomized differential test against PyTorch 2.15 (float64, CPU) found where the
//! core differed, with PyTorch's own numbers: the lr (and momentum) of each epoch, recorded
//! with the loops of `tests/golden/*.json`. Each comes from a quirk of PyTorch's schedulers
//! sharing the optimizer's param group; the comments name the line of `lr_scheduler.py`.

use lr_playground::core::sim::simulate;
use lr_playground::core::url::decode;

/// The per-epoch lr and momentum of a link's run.
fn run(link: &str) -> (Vec<f64>, Vec<f64>) {
    let d = decode(link);
    assert!(d.notices.is_empty(), "{link}: {:?}", d.notices);
    let t = simulate(&d.cfg.problem.build(d.cfg.seed), &d.cfg).unwrap();
    (t.lr, t.momentum)
}

/// CyclicLR's initial step uses `self.base_lrs` from `LRScheduler.__init__`, the group's
/// `initial_lr`: the optimizer's lr when another scheduler was constructed first. Only then
/// does it set `self.base_lrs = base_lrs` (its own `base_lr`).
#[test]
fn a_cyclic_lr_second_in_a_chain_starts_at_the_optimizers_lr() {
    let (lr, _) =
        run("scheduler=ChainedScheduler&s0=StepLR&s0.step_size=100&s1=CyclicLR&s1.base_lr=0.01&s1.max_lr=0.1\
                       &s1.step_size_up=2&s1.cycle_momentum=False&lr=1&problem=quadratic&epochs=4");
    assert_eq!(lr, [1.0, 0.05500000000000001, 0.1, 0.05500000000000001]);
}

/// SequentialLR's `step(0)` at a milestone runs MultiplicativeLR's `get_lr`, which multiplies
/// by `lr_lambda(0)` because it tests `_is_initial`, not `last_epoch > 0`.
#[test]
fn a_multiplicative_lr_after_a_milestone_multiplies_at_once() {
    let (lr, _) = run("scheduler=SequentialLR&s0=ConstantLR&s0.factor=0.5&s0.total_iters=10&s1=MultiplicativeLR\
                       &s1.lr_lambda=0.9&milestones=3&lr=1&problem=quadratic&epochs=6");
    assert_eq!(lr, [0.5, 0.5, 0.5, 0.45, 0.405, 0.36450000000000005]);
}

/// OneCycleLR reads its bounds from the group at every step (`group[phase["start_lr"]]`):
/// a second OneCycleLR constructed on the same optimizer overwrote them for the first.
#[test]
fn a_one_cycle_lr_reads_the_bounds_a_later_one_wrote() {
    let (lr, momentum) = run("scheduler=SequentialLR&s0=OneCycleLR&s0.max_lr=1&s0.total_steps=4&s1=OneCycleLR\
                              &s1.max_lr=0.1&s1.total_steps=4&s1.base_momentum=0.5&s1.max_momentum=0.6\
                              &milestones=4&lr=1&momentum=0.9&problem=quadratic&epochs=6");
    let cycle = [0.0040000000000000036, 0.0811745653949763, 0.028306099820869922, 4e-07];
    assert_eq!(lr[..4], cycle);
    assert_eq!(lr[4..], cycle[..2]);
    let m = [0.6, 0.5188255099070633, 0.5716941869558779, 0.6];
    assert_eq!(momentum[..4], m);
    assert_eq!(momentum[4..], m[..2]);
}

/// `gamma ** count` is C's `pow` in Python, not repeated multiplication.
#[test]
fn repeated_milestones_take_gamma_to_a_power_as_python_does() {
    let (lr, _) =
        run("scheduler=MultiStepLR&milestones=1,1,1&gamma=0.8504026301348071&lr=1&problem=quadratic&epochs=2");
    assert_eq!(lr, [1.0, 0.61499811426558]);
}
