//! Spanish dates and CLDR number formats, shared by templates, tables, charts and feeds.
//!
//! Numbers are written by ICU4X's `icu_decimal` from its compiled CLDR data, for whatever
//! Spanish tag `idioma` names: Peru, Mexico, Cuba, the United States and Latin America at
//! large (`es-419`) write `1,234.5`; Spain and most of South America write `1.234,5`; Costa
//! Rica groups with a no-break space; `es` and `es-ES` do not group four-digit numbers. Dates
//! are still written here, by hand: one pattern, «31 de julio de 2018», the same in every
//! Spanish locale, and the hottest string of a listing.

use fixed_decimal::{Decimal, Sign};
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use jiff::civil::Date;
use std::sync::Mutex;

const MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// "31 de julio de 2018".
pub fn long_date(date: Date) -> String {
    // Built by hand: `format!` was most of the cost of a card's dates.
    let month = MONTHS[date.month() as usize - 1];
    let mut text = String::with_capacity(month.len() + 12);
    push_number(&mut text, date.day().unsigned_abs().into(), 1);
    text.push_str(" de ");
    text.push_str(month);
    text.push_str(" de ");
    push_year(&mut text, date.year());
    text
}

/// «8 de diciembre de 2026, 09:00 (America/Lima)»: an instant as editors read it, in the
/// site's zone.
pub fn long_instant(at: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> String {
    let local = at.to_zoned(zone.clone());
    let name = zone.iana_name().unwrap_or("UTC");
    format!(
        "{}, {:02}:{:02} ({name})",
        long_date(local.date()),
        local.hour(),
        local.minute()
    )
}

/// «próximo cambio: 8 de diciembre de 2026, 09:00 (America/Lima): se publica «Título»», the
/// line `build` and `check` end with while an embargo is pending.
pub fn next_change(at: jiff::Timestamp, zone: &jiff::tz::TimeZone, titles: &[String]) -> String {
    let quoted: Vec<String> = titles.iter().map(|t| format!("«{t}»")).collect();
    let what = match quoted.as_slice() {
        [] => "se levanta un embargo".to_string(),
        [one] => format!("se publica {one}"),
        [rest @ .., last] => format!("se publican {} y {last}", rest.join(", ")),
    };
    format!("próximo cambio: {}: {what}", long_instant(at, zone))
}

/// `AAAA-MM-DD`, as `Date`'s own `to_string` writes it, without the formatting machinery
/// (every page carries two or three dates).
pub fn iso_date(date: Date) -> String {
    if !(0..=9999).contains(&date.year()) {
        return date.to_string();
    }
    let mut text = String::with_capacity(10);
    push_number(&mut text, date.year().unsigned_abs().into(), 4);
    text.push('-');
    push_number(&mut text, date.month().unsigned_abs().into(), 2);
    text.push('-');
    push_number(&mut text, date.day().unsigned_abs().into(), 2);
    text
}

/// A year as `Display` writes it (a minus sign before a negative one).
fn push_year(text: &mut String, year: i16) {
    if year < 0 {
        text.push('-');
    }
    push_number(text, year.unsigned_abs().into(), 1);
}

/// `n` in decimal, with leading zeros up to `width` digits, without the formatting
/// machinery (`format!` was most of the cost of a date, a heading or a note reference).
pub(crate) fn push_number(text: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    while n > 0 || digits.len() - start < width.max(1) {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    text.extend(digits[start..].iter().map(|&d| char::from(d)));
}

/// An instant as editors write it: RFC 3339 (`2026-12-08T09:00:00-05:00`), or a date and
/// time (`2026-12-08 09:00`, seconds optional) or a bare date (midnight) in the site's zone
/// `tz`. `publicar_desde` and `--ahora` read it alike.
pub fn parse_instant(text: &str, tz: &jiff::tz::TimeZone) -> Option<jiff::Timestamp> {
    let text = text.trim();
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Some(t);
    }
    let civil = match parse_date(text) {
        Some(d) => Some(d.to_datetime(jiff::civil::Time::midnight())),
        None if text.len() >= 16 && text.get(..10).and_then(parse_date).is_some() => text
            .replacen(' ', "T", 1)
            .parse::<jiff::civil::DateTime>()
            .ok(),
        None => None,
    };
    civil
        .and_then(|dt| dt.to_zoned(tz.clone()).ok())
        .map(|z| z.timestamp())
}

/// Parses `AAAA-MM-DD` strictly (a day that exists, four-digit year).
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    let bytes = t.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i16 = t.get(0..4)?.parse().ok()?;
    let month: i8 = t.get(5..7)?.parse().ok()?;
    let day: i8 = t.get(8..10)?.parse().ok()?;
    Date::new(year, month, day).ok()
}

/// How one Spanish locale writes numbers: a handle on ICU4X's formatter for that locale,
/// built once per distinct tag and shared (every table cell and chart label is formatted),
/// with the locale's two separators read off it for the CSV reader.
#[derive(Clone, Copy)]
pub struct NumberFormat {
    formatter: &'static DecimalFormatter,
    decimal: char,
    group: char,
}

impl std::fmt::Debug for NumberFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NumberFormat")
            .field("decimal", &self.decimal)
            .field("group", &self.group)
            .finish()
    }
}

impl PartialEq for NumberFormat {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.formatter, other.formatter)
    }
}

impl Eq for NumberFormat {}

/// The formatters built so far, one per tag as ICU4X normalises it. A site declares one
/// `idioma`, so this holds one or two entries; each is leaked once to give out `'static`
/// handles that are `Copy`, as the separators-only format was.
static FORMATTERS: Mutex<Vec<(String, NumberFormat)>> = Mutex::new(Vec::new());

impl NumberFormat {
    /// The format for a language tag; `None` for tags that are not Spanish. A region CLDR
    /// does not describe (`es-ZZ`) gets its parent's format, as ICU4X falls back.
    pub fn for_language(tag: &str) -> Option<Self> {
        let locale = Locale::try_from_str(&tag.replace('_', "-")).ok()?;
        if locale.id.language.as_str() != "es" {
            return None;
        }
        let key = locale.to_string();
        let mut cache = FORMATTERS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, found)) = cache.iter().find(|(k, _)| *k == key) {
            return Some(*found);
        }
        let formatter = DecimalFormatter::try_new((&locale).into(), Default::default()).ok()?;
        let format = Self::with_formatter(Box::leak(Box::new(formatter)));
        cache.push((key, format));
        Some(format)
    }

    /// Reads the separators off the formatter's own output for 1234567.5.
    fn with_formatter(formatter: &'static DecimalFormatter) -> Self {
        let mut number = Decimal::from(12_345_675);
        number.multiply_pow10(-1);
        let sample = formatter.format(&number).to_string();
        let chars: Vec<char> = sample.chars().collect();
        let group = chars.get(1).copied().unwrap_or(',');
        let decimal = chars.iter().rev().nth(1).copied().unwrap_or('.');
        NumberFormat {
            formatter,
            decimal,
            group,
        }
    }

    /// The decimal and the group separator (`('.', ',')` for es-PE).
    pub fn separators(&self) -> (char, char) {
        (self.decimal, self.group)
    }

    /// Formats with up to `max_decimals` decimals, trailing zeros dropped (as ICU does),
    /// rounded as `format!` rounds; a value that rounds to zero has no minus sign.
    pub fn format(&self, value: f64, max_decimals: usize) -> String {
        if !value.is_finite() {
            return "—".into();
        }
        let fixed = format!("{:.*}", max_decimals, value.abs());
        let Ok(mut decimal) = Decimal::try_from_str(&fixed) else {
            return fixed;
        };
        decimal.absolute.trim_end();
        if value < 0.0 && !decimal.absolute.is_zero() {
            decimal.sign = Sign::Negative;
        }
        self.formatter.format(&decimal).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_pushed_as_display_writes_them() {
        for n in [0, 7, 10, 99, 100, 1_234_567, u64::MAX] {
            let mut s = String::from("x");
            push_number(&mut s, n, 1);
            assert_eq!(s, format!("x{n}"));
        }
    }

    #[test]
    fn iso_dates_are_what_display_writes() {
        for text in ["2018-07-31", "0999-01-09", "9999-12-31", "2000-02-29"] {
            let d = parse_date(text).unwrap();
            assert_eq!(iso_date(d), d.to_string());
            assert_eq!(iso_date(d), text);
        }
        for year in [-9999, -1, 0, 5, 10_i16] {
            let d = jiff::civil::date(year, 3, 4);
            assert_eq!(iso_date(d), d.to_string());
            assert_eq!(
                long_date(d),
                format!("4 de marzo de {year}"),
                "the long date writes the year as Display does"
            );
        }
    }

    #[test]
    fn the_next_change_is_said_in_the_sites_zone() {
        let lima = jiff::tz::TimeZone::get("America/Lima").unwrap();
        let at = parse_instant("2026-12-08 09:00", &lima).unwrap();
        assert_eq!(at.to_string(), "2026-12-08T14:00:00Z");
        assert_eq!(
            next_change(at, &lima, &["Uno".into()]),
            "próximo cambio: 8 de diciembre de 2026, 09:00 (America/Lima): se publica «Uno»"
        );
        assert_eq!(
            next_change(at, &lima, &["A".into(), "B".into(), "C".into()]),
            "próximo cambio: 8 de diciembre de 2026, 09:00 (America/Lima): se publican «A», «B» y «C»"
        );
        assert_eq!(
            parse_instant("2026-12-08T09:00:00-05:00", &lima),
            Some(at),
            "RFC 3339 names its own offset"
        );
        assert_eq!(parse_instant("8/12/2026 09:00", &lima), None);
    }

    #[test]
    fn long_dates_in_spanish() {
        let d = parse_date("2018-07-31").unwrap();
        assert_eq!(long_date(d), "31 de julio de 2018");
        assert_eq!(
            long_date(parse_date("2018-03-01").unwrap()),
            "1 de marzo de 2018"
        );
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert!(parse_date("2018-02-30").is_none());
        assert!(parse_date("2018-13-01").is_none());
        assert!(parse_date("18-07-31").is_none());
        assert!(parse_date("2018-7-31").is_none());
    }

    #[test]
    fn numbers_follow_cldr() {
        let pe = NumberFormat::for_language("es-PE").unwrap();
        assert_eq!(pe.format(1234.0, 2), "1,234");
        assert_eq!(pe.format(1234567.891, 3), "1,234,567.891");
        assert_eq!(pe.format(12345.5, 2), "12,345.5");
        assert_eq!(pe.format(-3.0, 0), "-3");
        let es = NumberFormat::for_language("es-ES").unwrap();
        assert_eq!(es.format(1234.0, 0), "1234");
        assert_eq!(es.format(12345.5, 2), "12.345,5");
        let ar = NumberFormat::for_language("es-AR").unwrap();
        assert_eq!(ar.format(1234.0, 0), "1.234");
        assert!(NumberFormat::for_language("en-US").is_none());
    }

    /// Written from CLDR 47's `common/main/es*.xml`, not from our output: `es` groups with
    /// `.`, decimals with `,` and has `minimumGroupingDigits` 2 (1234 stays whole); `es_419`
    /// turns the symbols round and groups from four digits; Argentina, Bolivia, Chile,
    /// Colombia, Ecuador, Paraguay, Uruguay and Venezuela go back to `.` and `,`; Costa Rica
    /// groups with a no-break space (U+00A0); Cuba, Peru and the rest of `es_419` inherit.
    #[test]
    fn every_spanish_locale_writes_numbers_as_cldr_says() {
        const NBSP: &str = "\u{a0}";
        let spain = ("1234", "1.234.567,891", "-12.345,5", (',', '.'));
        let america = ("1,234", "1,234,567.891", "-12,345.5", ('.', ','));
        let south = ("1.234", "1.234.567,891", "-12.345,5", (',', '.'));
        let cr_big = format!("1{NBSP}234{NBSP}567,891");
        let cr_neg = format!("-12{NBSP}345,5");
        let cr_four = format!("1{NBSP}234");
        let costa_rica = (
            cr_four.as_str(),
            cr_big.as_str(),
            cr_neg.as_str(),
            (',', '\u{a0}'),
        );
        let table = [
            ("es", spain),
            ("es-ES", spain),
            ("es-GQ", spain),
            ("es-PH", spain),
            ("es-419", america),
            ("es-PE", america),
            ("es-MX", america),
            ("es-US", america),
            ("es-CU", america),
            ("es-DO", america),
            ("es-GT", america),
            ("es-HN", america),
            ("es-NI", america),
            ("es-PA", america),
            ("es-PR", america),
            ("es-SV", america),
            ("es-BR", america),
            ("es-BZ", america),
            ("es-AR", south),
            ("es-BO", south),
            ("es-CL", south),
            ("es-CO", south),
            ("es-EC", south),
            ("es-PY", south),
            ("es-UY", south),
            ("es-VE", south),
            ("es-CR", costa_rica),
        ];
        for (tag, (four, big, negative, separators)) in table {
            let f = NumberFormat::for_language(tag).unwrap();
            assert_eq!(f.format(1234.0, 2), four, "{tag}: 1234");
            assert_eq!(f.format(1234567.891, 3), big, "{tag}: 1234567.891");
            assert_eq!(f.format(-12345.5, 2), negative, "{tag}: -12345.5");
            assert_eq!(f.separators(), separators, "{tag}: separators");
        }
    }

    #[test]
    fn rounding_trailing_zeros_and_odd_tags() {
        let pe = NumberFormat::for_language("es_pe").unwrap();
        assert_eq!(
            pe,
            NumberFormat::for_language("es-PE").unwrap(),
            "one formatter per tag"
        );
        assert_eq!(pe.format(-0.001, 2), "0", "no minus sign on a zero");
        assert_eq!(pe.format(2.50, 2), "2.5");
        assert_eq!(pe.format(0.125, 2), "0.12", "rounded as format! rounds");
        assert_eq!(pe.format(f64::NAN, 2), "—");
        assert_eq!(pe.format(1e21, 0), "1,000,000,000,000,000,000,000");
        let unknown = NumberFormat::for_language("es-ZZ").unwrap();
        assert_eq!(
            unknown.format(1234.5, 1),
            "1234,5",
            "an unknown region falls back to es"
        );
        assert!(NumberFormat::for_language("pt-BR").is_none());
        assert!(NumberFormat::for_language("no es").is_none());
    }
}
