// A shortcode argument nested as deep as the first two bytes say, the rest inside.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    boletin::fuzz::shortcode_depth(data);
});
