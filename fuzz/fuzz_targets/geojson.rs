// A GeoJSON map: JSON at any depth (too deep is an error, never a stack overflow), shapes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    boletin::fuzz::geojson(data);
});
