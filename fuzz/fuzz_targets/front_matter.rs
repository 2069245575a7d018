// A whole bulletin file: UTF-8 decoding, front matter split and YAML, fields, Markdown and shortcodes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    boletin::fuzz::bulletin(data);
});
