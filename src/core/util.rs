//! Small helpers the core's modules share.

/// Sorts a short or nearly sorted list stably by `key`: what `slice::sort_by_key` gives,
/// without adding an instance of its driftsort (about 1 kB of gzipped wasm per element
/// type). Insertion sort: linear on a sorted list, quadratic in general, so only for lists
/// known to be short or nearly sorted: a scheduler's markers (a sorted sequence, at most 1000
/// milestones, or at most 7), at most 1000 MultiStepLR milestones, at most
/// `url::MAX_PAIRS` (256) link pairs, a run's markers (two sorted runs, the first at most
/// 500 long). `K`'s order must be total (no NaN).
pub(crate) fn sort_short<T, K: PartialOrd>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_short_sorts_as_slice_sort_does() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for n in 0..200 {
            let mut v: Vec<(usize, &str)> = (0..n)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    ((state % 50) as usize, ["drop", "milestone", "restart"][(state >> 32) as usize % 3])
                })
                .collect();
            if n % 3 == 0 {
                v.sort();
            }
            let mut want = v.clone();
            want.sort();
            let mut by_epoch = v.clone();
            by_epoch.sort_by_key(|m| m.0);
            let mut got = v.clone();
            sort_short(&mut got, |&m| m);
            assert_eq!(got, want);
            sort_short(&mut v, |m| m.0);
            assert_eq!(v, by_epoch, "stable: equal keys keep their order");
        }
    }
}
