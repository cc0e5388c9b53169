//! The driver's own memory allocator on Linux: blocks of [`LARGE`] bytes or more (a page's
//! answer, the buffers it is read into) are mapped from the system on their own and unmapped
//! when freed; smaller blocks come from the system allocator as before.
//!
//! glibc's `malloc` maps a large block only until one of that size is freed: then it raises its
//! threshold to that size and serves the next ones from its heaps, keeping what is freed there
//! for later, in an arena per thread. A driver that reads pages of a megabyte on several
//! threads would leave the application's process tens of megabytes larger than the pages it
//! holds at once. The allocator is the driver's alone: the application's own allocations, and
//! its `malloc` settings, are not touched.
//!
//! Every large block is therefore new memory, which the kernel faults in and clears page by
//! page: reading 100,000 deals through pyodbc takes about 157,000 page faults. Keeping a few
//! freed mappings for the next blocks was measured: 8 MiB of them took 60,000 faults and some
//! 8 % of the process's CPU off, 32 MiB 80,000 faults; but they stay resident, and `COUNT(*)`
//! over a million deals, whose process holds about 60 MiB of the driver's own code and data
//! before any page, peaked at 101 and 114 MiB instead of 97 (99 MiB, and only 30,000 faults
//! fewer, with spares kept only while they and the blocks in use stay under 16 MiB). Memory
//! stays flat instead.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr;

/// The size from which a block is mapped on its own: glibc's own threshold before it moves.
const LARGE: usize = 128 * 1024;

/// The most alignment a mapping gives (the smallest page size).
const PAGE: usize = 4096;

struct LargeBlocksMapped;

#[global_allocator]
static DRIVER: LargeBlocksMapped = LargeBlocksMapped;

fn mapped(size: usize, align: usize) -> bool {
    size >= LARGE && align <= PAGE
}

/// A new mapping of `size` bytes (zeroed), or null.
unsafe fn map(size: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping at an address the kernel picks touches no memory
    // of anyone else's.
    let p = libc::mmap(
        ptr::null_mut(),
        size,
        libc::PROT_READ | libc::PROT_WRITE,
        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
        -1,
        0,
    );
    if p == libc::MAP_FAILED {
        ptr::null_mut()
    } else {
        p.cast()
    }
}

unsafe impl GlobalAlloc for LargeBlocksMapped {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match mapped(layout.size(), layout.align()) {
            true => map(layout.size()),
            false => System.alloc(layout),
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match mapped(layout.size(), layout.align()) {
            true => map(layout.size()),
            false => System.alloc_zeroed(layout),
        }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        match mapped(layout.size(), layout.align()) {
            // SAFETY: a block of this layout was mapped by `map` with this size (`mapped` is
            // the same for the same layout), and the caller gives it back once.
            true => {
                libc::munmap(block.cast(), layout.size());
            }
            false => System.dealloc(block, layout),
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let was = mapped(layout.size(), layout.align());
        let will = mapped(new_size, layout.align());
        match (was, will) {
            (false, false) => System.realloc(block, layout, new_size),
            // the kernel moves the pages, nothing is copied. SAFETY: the block is a mapping of
            // `layout.size()` bytes, which the caller no longer uses unless this fails.
            (true, true) => {
                let moved =
                    libc::mremap(block.cast(), layout.size(), new_size, libc::MREMAP_MAYMOVE);
                if moved == libc::MAP_FAILED {
                    ptr::null_mut()
                } else {
                    moved.cast()
                }
            }
            // from one kind of block to the other
            _ => {
                let new = Layout::from_size_align_unchecked(new_size, layout.align());
                let moved = self.alloc(new);
                if !moved.is_null() {
                    ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                    self.dealloc(block, layout);
                }
                moved
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_every_kind_keep_their_bytes_through_growing_and_shrinking() {
        // (size before, size after): small and large, across the threshold both ways
        let cases = [
            (100, 5_000),
            (5_000, 100),
            (1_000, LARGE + 10),
            (LARGE + 10, 1_000),
            (LARGE, 4 * LARGE),
            (4 * LARGE, LARGE + 1),
            (LARGE - 1, LARGE),
        ];
        for (before, after) in cases {
            for align in [1, 8, 64] {
                let layout = Layout::from_size_align(before, align).unwrap();
                unsafe {
                    let block = DRIVER.alloc(layout);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0);
                    for i in 0..before {
                        *block.add(i) = (i % 251) as u8;
                    }
                    let grown = DRIVER.realloc(block, layout, after);
                    assert!(!grown.is_null(), "{before} -> {after}");
                    assert_eq!(grown as usize % align, 0);
                    for i in 0..before.min(after) {
                        assert_eq!(*grown.add(i), (i % 251) as u8, "{before} -> {after} at {i}");
                    }
                    DRIVER.dealloc(grown, Layout::from_size_align(after, align).unwrap());
                }
            }
        }
        // zeroed blocks are zero whichever way they come
        for size in [64, LARGE, 3 * LARGE] {
            let layout = Layout::from_size_align(size, 8).unwrap();
            unsafe {
                let block = DRIVER.alloc_zeroed(layout);
                assert!((0..size).all(|i| *block.add(i) == 0));
                DRIVER.dealloc(block, layout);
            }
        }
        // an alignment past a page's is served by the system allocator
        let layout = Layout::from_size_align(LARGE, 2 * PAGE).unwrap();
        unsafe {
            let block = DRIVER.alloc(layout);
            assert_eq!(block as usize % (2 * PAGE), 0);
            DRIVER.dealloc(block, layout);
        }
    }
}
