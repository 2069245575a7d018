//! Content-hashed file names (`boletin.3f2a9c1e.css`): a name that changes whenever the
//! bytes do, so a host may tell browsers to keep the file for a year (see README,
//! «Ajustes del servidor»). The hash is the first 32 bits of xxh3-64 of the bytes, in
//! hex: deterministic, and plenty to tell one version of a file from the next.

/// `path` with the hash of `bytes` before its extension: `css/boletin.css` →
/// `css/boletin.3f2a9c1e.css`; a name without extension gets it at the end.
pub fn hashed_path(path: &str, bytes: &[u8]) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes) >> 32;
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[name_start..].rfind('.') {
        Some(dot) if dot > 0 => {
            let dot = name_start + dot;
            format!("{}.{hash:08x}{}", &path[..dot], &path[dot..])
        }
        _ => format!("{path}.{hash:08x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::hashed_path;

    #[test]
    fn the_hash_goes_before_the_extension_and_follows_the_bytes() {
        let a = hashed_path("css/boletin.css", b"body{}");
        assert!(a.starts_with("css/boletin.") && a.ends_with(".css"), "{a}");
        assert_eq!(a.len(), "css/boletin..css".len() + 8);
        assert_eq!(
            a,
            hashed_path("css/boletin.css", b"body{}"),
            "deterministic"
        );
        assert_ne!(a, hashed_path("css/boletin.css", b"body{ }"));
        let dotted = hashed_path("a.b/.hidden", b"x");
        assert!(dotted.starts_with("a.b/.hidden."), "{dotted}");
    }
}
