// A YAML data file: parsing, private fields, metadata, rows and every fixed schema.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    boletin::fuzz::dataset(data);
});
