//! The archive's pagination: which page numbers a page links.

use serde::Serialize;

/// Pagination of the archive.
#[derive(Serialize)]
pub struct PaginationView {
    /// Current page, from 1.
    pub actual: usize,
    /// Number of pages.
    pub total: usize,
    /// Link to the previous page.
    pub anterior: Option<String>,
    /// Link to the next page.
    pub siguiente: Option<String>,
    /// Every page.
    pub paginas: Vec<PageLink>,
}

/// One page of the archive.
#[derive(Serialize)]
pub struct PageLink {
    /// Its number (0 for a gap).
    pub numero: usize,
    /// Its link (empty for a gap).
    pub url: String,
    /// True for a gap ("…") between distant page numbers.
    pub elipsis: bool,
}

/// The page numbers to show: the first, the last, and two on each side of the current one,
/// with gaps between — so a 500-page archive does not list 500 links on every page.
pub fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    let mut out: Vec<Option<usize>> = Vec::new();
    for p in 1..=total {
        let near = p + 2 >= current && p <= current + 2;
        if p == 1 || p == total || near {
            if let Some(Some(last)) = out.last()
                && p > last + 1
            {
                out.push(None);
            }
            out.push(Some(p));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn page_window_keeps_ends_and_neighbours() {
        assert_eq!(page_window(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_window(10, 500),
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(500)
            ]
        );
        assert_eq!(
            page_window(4, 6),
            vec![Some(1), Some(2), Some(3), Some(4), Some(5), Some(6)]
        );
    }
}
