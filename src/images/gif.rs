//! GIF images, copied block by block without their metadata. A GIF carries text beside its
//! pictures: comment extensions, and application extensions such as XMP (authors, places,
//! the software used). The animation loop count is an application extension too
//! (`NETSCAPE2.0`, `ANIMEXTS1.0`), so those two are kept and every other one is dropped, as
//! are comments and anything after the trailer. The pixels are not decoded: the picture
//! data is copied as it is.

/// The GIF without comments, foreign application extensions and trailing bytes, or why it
/// cannot be published (Spanish).
pub fn strip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let damaged = || "está dañada o incompleta (detalle: GIF truncado)".to_string();
    if !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return Err("su contenido no es una imagen GIF".into());
    }
    let mut out = Vec::with_capacity(bytes.len());
    // Header and logical screen descriptor, then the global colour table if flagged.
    let flags = *bytes.get(10).ok_or_else(damaged)?;
    let mut at = 13 + color_table(flags);
    out.extend_from_slice(bytes.get(..at).ok_or_else(damaged)?);
    loop {
        match *bytes.get(at).ok_or_else(damaged)? {
            0x3B => {
                out.push(0x3B);
                return Ok(out);
            }
            0x2C => {
                // Image descriptor (10 bytes), local colour table, LZW code size, data.
                let flags = *bytes.get(at + 9).ok_or_else(damaged)?;
                let start = at;
                at += 10 + color_table(flags) + 1;
                at = sub_blocks(bytes, at).ok_or_else(damaged)?;
                out.extend_from_slice(&bytes[start..at]);
            }
            0x21 => {
                let label = *bytes.get(at + 1).ok_or_else(damaged)?;
                let start = at;
                let end = sub_blocks(bytes, at + 2).ok_or_else(damaged)?;
                let keep = match label {
                    0xFE => false,
                    0xFF => {
                        let id = bytes.get(at + 3..at + 14).unwrap_or_default();
                        id == b"NETSCAPE2.0" || id == b"ANIMEXTS1.0"
                    }
                    _ => true,
                };
                if keep {
                    out.extend_from_slice(&bytes[start..end]);
                }
                at = end;
            }
            other => {
                return Err(format!(
                    "está dañada o incompleta (detalle: bloque GIF desconocido 0x{other:02X})"
                ));
            }
        }
    }
}

/// Bytes of the colour table a packed-fields byte announces.
fn color_table(flags: u8) -> usize {
    if flags & 0x80 == 0 {
        0
    } else {
        3 << ((flags & 0x07) + 1)
    }
}

/// The position after the data sub-blocks starting at `at` (through the zero-length
/// terminator); `None` when the file ends first.
fn sub_blocks(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let len = usize::from(*bytes.get(at)?);
        at += 1;
        if len == 0 {
            return Some(at);
        }
        at += len;
        if at > bytes.len() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 GIF89a with a loop extension, a comment, an XMP-like application extension,
    /// one frame and bytes after the trailer.
    fn sample() -> Vec<u8> {
        let mut g = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff".to_vec();
        g.extend(b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00");
        g.extend(b"\x21\xfe\x0bAna -12.05 \x00");
        g.extend(b"\x21\xff\x0bXMP DataXMP\x05<x:a>\x00");
        g.extend(b"\x21\xf9\x04\x00\x00\x00\x00\x00");
        g.extend(b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00");
        g.extend(b"\x3bsecreto");
        g
    }

    #[test]
    fn comments_and_foreign_extensions_are_dropped_the_loop_is_kept() {
        let out = strip(&sample()).unwrap();
        let mut want = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff".to_vec();
        want.extend(b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00");
        want.extend(b"\x21\xf9\x04\x00\x00\x00\x00\x00");
        want.extend(b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b");
        assert_eq!(out, want);
        assert_eq!(strip(&out).unwrap(), out);
    }

    #[test]
    fn truncated_or_foreign_files_are_refused() {
        let g = sample();
        for n in 0..g.len() - 8 {
            assert!(strip(&g[..n]).is_err(), "{n}");
        }
        assert_eq!(
            strip(b"\x89PNG").unwrap_err(),
            "su contenido no es una imagen GIF"
        );
    }
}
