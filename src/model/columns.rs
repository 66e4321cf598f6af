//! Sizing a chunk's yearly columns so that their memory is reused from year to year.
//!
//! A chunk's household count changes a little every year (households form and
//! dissolve). A column resized with [`Vec::resize`] beyond its capacity is reallocated
//! and its old contents copied; the new memory is paged in by the kernel (a fault and a
//! zeroed page for every 4 KiB) before it is written. Columns that are overwritten every
//! year need neither: these helpers give a column that must grow a fresh allocation with
//! room to spare and do not copy what is about to be overwritten.

/// A column that must grow gets room for `1/HEADROOM` more elements than asked, so a
/// chunk that grows by a few households a year keeps its memory for several years.
const HEADROOM: usize = 32;

/// A column of `n` copies of `value` (every element written), in the column's own
/// memory when it has room for `n`.
pub(crate) fn refill<T: Copy>(column: &mut Vec<T>, n: usize, value: T) {
    clear_with_room(column, n);
    column.resize(n, value);
}

/// A column of length `n` whose elements the caller overwrites: elements kept from
/// before are left as they are, new ones are `value`. A column that must grow is not
/// copied.
pub(crate) fn resize_for_overwrite<T: Copy>(column: &mut Vec<T>, n: usize, value: T) {
    if column.capacity() < n {
        clear_with_room(column, n);
    }
    column.resize(n, value);
}

/// An empty column with room for at least `n` elements (its memory kept when it has
/// room, else a fresh allocation with room to spare; nothing is copied).
pub(crate) fn clear_with_room<T>(column: &mut Vec<T>, n: usize) {
    column.clear();
    if column.capacity() < n {
        reserve_with_headroom(column, n);
    }
}

/// Replaces an empty column's memory by room for `n` and a headroom.
fn reserve_with_headroom<T>(column: &mut Vec<T>, n: usize) {
    debug_assert!(column.is_empty());
    *column = Vec::with_capacity(n + n / HEADROOM);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refill_writes_every_element_and_keeps_memory_with_room() {
        let mut v = vec![7.0f64; 100];
        let ptr = v.as_ptr();
        refill(&mut v, 80, 0.0);
        assert_eq!(v, vec![0.0; 80]);
        assert_eq!(v.as_ptr(), ptr, "a column with room keeps its memory");
        refill(&mut v, 1000, 1.5);
        assert_eq!(v, vec![1.5; 1000]);
        assert!(v.capacity() >= 1000 + 1000 / HEADROOM, "a grown column has a headroom");
        let ptr = v.as_ptr();
        refill(&mut v, 1020, 2.0);
        assert_eq!(v, vec![2.0; 1020]);
        assert_eq!(v.as_ptr(), ptr, "growth within the headroom keeps the memory");
    }

    #[test]
    fn resize_for_overwrite_has_the_length_asked() {
        let mut v = vec![3u8; 10];
        resize_for_overwrite(&mut v, 4, 0);
        assert_eq!(v, vec![3; 4]);
        resize_for_overwrite(&mut v, 6, 0);
        assert_eq!(v, vec![3, 3, 3, 3, 0, 0]);
        resize_for_overwrite(&mut v, 500, 9);
        assert_eq!(v.len(), 500);
        assert!(v.iter().all(|&x| x == 9), "a column that must grow is not copied: every element is new");
        let mut w: Vec<u32> = vec![1, 2];
        clear_with_room(&mut w, 300);
        assert!(w.is_empty() && w.capacity() >= 300);
    }
}
