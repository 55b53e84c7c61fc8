//! One sort for the whole crate.
//!
//! The standard library's sorts are generic, so each element type and each
//! comparison gets its own copy of the algorithm in the wasm. Here the
//! algorithm (a stable, bottom-up merge sort) works on positions only, through
//! one comparison given as `&dyn Fn`, and is compiled once; what is left per
//! call is a closure and a permutation.

use core::cmp::Ordering;

/// Sorts `items` by `compare`, keeping items that compare equal in the order
/// they had (stable).
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = positions(items.len(), &|a, b| compare(&items[a], &items[b]) == Ordering::Greater);
    permute(items, order);
}

/// Sorts `items` in their natural order (stable).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The positions `0..n` in sorted order, where `after(a, b)` says the item at
/// `a` belongs after the one at `b`.
fn positions(n: usize, after: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if n < 2 || (1..n).all(|i| !after(i - 1, i)) {
        return order;
    }
    let mut spare = order.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut left, mut right) = (start, middle);
            for slot in &mut spare[start..end] {
                // Take from the right only when it must go first: stable.
                let from_right = left == middle || (right < end && after(order[left], order[right]));
                if from_right {
                    *slot = order[right];
                    right += 1;
                } else {
                    *slot = order[left];
                    left += 1;
                }
            }
            start = end;
        }
        core::mem::swap(&mut order, &mut spare);
        width *= 2;
    }
    order
}

/// Rearranges `items` so that the item at `i` is the one that was at
/// `order[i]`, following each cycle once.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start && order[at] != at {
            let next = order[at];
            items.swap(at, next);
            order[at] = at;
            at = next;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut seed = 7u64;
        for n in [0, 1, 2, 3, 5, 8, 13, 64, 100, 1000] {
            let items: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items.clone();
            std.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(ours, std, "n = {n}");
            let mut reversed = items.clone();
            sort_by(&mut reversed, |a, b| b.cmp(a));
            assert!(reversed.windows(2).all(|w| w[0] >= w[1]));
        }
        let mut words = vec!["pear", "apple", "fig", "apple"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
    }
}
