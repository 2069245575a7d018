//! Sixteen bytes at a time with SSE2, which every x86-64 processor has: a block is loaded
//! and compared at once, and the answer is a bit per byte (byte 0 in bit 0). Word counting
//! ([`crate::content::markdown`]) and the runs of letters of slugs and search text
//! ([`crate::content::slug`]) are made of these; other processors take their byte-wise paths.
//!
//! The functions need SSE2 enabled (`#[target_feature]`): callers are themselves SSE2
//! functions, entered once per text from code compiled with `target_feature = "sse2"`.

use std::arch::x86_64::{
    __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
    _mm_set1_epi8, _mm_sub_epi8,
};

/// Sixteen bytes.
pub(crate) type Block = __m128i;

/// The sixteen bytes of `bytes` from `at` (callers loop while `at + 16` is within them).
#[target_feature(enable = "sse2")]
pub(crate) fn load(bytes: &[u8], at: usize) -> Block {
    let block = &bytes[at..at + 16];
    // SAFETY: `block` holds sixteen bytes; the load does not need them aligned.
    unsafe { _mm_loadu_si128(block.as_ptr().cast()) }
}

/// A bit per byte of `v` with its high bit set (not ASCII).
#[target_feature(enable = "sse2")]
pub(crate) fn high(v: Block) -> u32 {
    _mm_movemask_epi8(v) as u32
}

/// A bit per byte of `v` in `low..=low + span`.
#[target_feature(enable = "sse2")]
pub(crate) fn in_range(v: Block, low: u8, span: u8) -> u32 {
    let d = _mm_sub_epi8(v, _mm_set1_epi8(low as i8));
    let inside = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(span as i8)), d);
    _mm_movemask_epi8(inside) as u32
}

/// `v` with bit 5 set in every byte: a capital letter made small, and no other byte made a
/// letter.
#[target_feature(enable = "sse2")]
pub(crate) fn small_letters(v: Block) -> Block {
    _mm_or_si128(v, _mm_set1_epi8(0x20))
}
