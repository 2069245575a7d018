//! The QR code `serve` prints when a phone can reach it: the LAN address as a code a phone's
//! camera reads from the terminal, so nobody types `http://192.168.1.20:1111/` on a keypad.
//!
//! The `qrcode` crate encodes; the picture is Unicode half blocks, two rows of modules per
//! line of text. Light modules are the blocks (drawn in the terminal's text colour) and dark
//! modules the blanks, as `qrencode -t UTF8` prints: on the dark background most terminals
//! have, the code reads as printed, with its four-module light margin; on a light
//! background it shows inverted, which the cameras of current phones read as well.

use qrcode::render::unicode::Dense1x2;
use qrcode::{EcLevel, QrCode};

/// `text` as a QR code in lines of Unicode half blocks; `None` if it cannot be encoded
/// (too long for any QR version, which no address is).
pub(super) fn terminal(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text, EcLevel::M).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules a printed code shows on a dark terminal, row by row: `true` where the
    /// terminal draws text colour (a light module), read back from the half blocks.
    fn modules(printed: &str) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        for line in printed.lines() {
            let (top, bottom): (Vec<bool>, Vec<bool>) = line
                .chars()
                .map(|c| match c {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    ' ' => (false, false),
                    other => panic!("unexpected character {other:?}"),
                })
                .unzip();
            rows.push(top);
            rows.push(bottom);
        }
        rows
    }

    /// Decodes the printed code as a camera would see it on a dark terminal: text colour
    /// light, background dark, each module a square of `scale` pixels.
    fn decode(printed: &str) -> String {
        let rows = modules(printed);
        let scale = 4;
        let width = rows[0].len() * scale;
        let height = rows.len() * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            if rows[y / scale][x / scale] { 255 } else { 0 }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one code in the picture");
        grids[0].decode().expect("the code decodes").1
    }

    #[test]
    fn the_printed_code_decodes_to_the_address_and_is_the_same_every_time() {
        for url in [
            "http://192.168.1.20:1111/",
            "http://10.0.0.7:1112/boletin/",
            "http://[fd00::2]:1111/",
        ] {
            let printed = terminal(url).expect("encodes");
            assert_eq!(terminal(url).as_deref(), Some(printed.as_str()));
            assert_eq!(decode(&printed), url);
        }
    }

    #[test]
    fn the_code_has_its_finder_patterns_and_light_margin() {
        let printed = terminal("http://192.168.1.20:1111/").expect("encodes");
        let rows = modules(&printed);
        // Version 2 (25 modules) with a margin of 4 on each side: 33 wide, 17 lines tall
        // (the last line's lower half is past the code).
        assert_eq!(rows[0].len(), 33);
        assert_eq!(printed.lines().count(), 17);
        assert!(rows[..4].iter().all(|r| r.iter().all(|&light| light)));
        // The top-left finder: a dark 7×7 ring, a light ring, a dark 3×3 core.
        for y in 0..7 {
            for x in 0..7 {
                let ring = y == 0 || y == 6 || x == 0 || x == 6;
                let core = (2..5).contains(&y) && (2..5).contains(&x);
                assert_eq!(rows[4 + y][4 + x], !(ring || core), "module {x},{y}");
            }
        }
    }
}
