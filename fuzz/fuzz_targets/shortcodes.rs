// A Markdown body's shortcode calls: code spans, scanning and argument checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        boletin::fuzz::shortcodes(text);
    }
});
