// An SVG image through the allow-list sanitiser: never a panic, and its output is SVG again.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    boletin::fuzz::svg(data);
});
