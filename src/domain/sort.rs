//! One small in-place heapsort for the engine's few sorts (object keys, redaction spans). The standard
//! library's sorts are faster on large inputs but weigh several KB of `.wasm` per element type; inputs
//! here are short, and heapsort keeps O(n log n) on hostile ones with no allocation.

/// Sorts `v` so that no element is `less` than the one before it. Not stable.
pub fn sort_by<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for start in (0..v.len() / 2).rev() {
        sift_down(v, start, v.len(), &less);
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &less);
    }
}

/// Restores the max-heap property of `v[..end]` below `root`.
fn sift_down<T>(v: &mut [T], mut root: usize, end: usize, less: &impl Fn(&T, &T) -> bool) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        let is_less = |a: usize, b: usize| match (v.get(a), v.get(b)) {
            (Some(x), Some(y)) => less(x, y),
            _ => false,
        };
        if child + 1 < end && is_less(child, child + 1) {
            child += 1;
        }
        if !is_less(root, child) {
            return;
        }
        // Both below `end` ≤ `v.len()`: in bounds.
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::sort_by;

    #[test]
    fn sorts_like_the_standard_library() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..200 {
            let mut v: Vec<u32> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 50) as u32
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_unstable();
            sort_by(&mut v, |a, b| a < b);
            assert_eq!(v, expected, "len {len}");
        }
    }
}
