//! Bad input never panics: arbitrary bytes, and random corruptions of a valid
//! scenario, either load or give located problems.

use std::path::Path;

use drplan::model::{load_str, units};
use proptest::prelude::*;

const GEO: &str = include_str!("../scenarios/geo.yaml");

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let _ = load_str(&s, Path::new("fuzz.yaml"));
    }

    #[test]
    fn corrupting_a_valid_scenario_gives_located_problems(at in 0usize..GEO.len(), len in 0usize..40, with in "[ a-z0-9:\\-\\[\\]{}\"'&*!|>%#\\n]{0,12}") {
        let start = (0..=at).rev().find(|i| GEO.is_char_boundary(*i)).unwrap_or(0);
        let end = (start + len..=GEO.len()).find(|i| GEO.is_char_boundary(*i)).unwrap_or(GEO.len());
        let text = format!("{}{}{}", &GEO[..start], with, &GEO[end..]);
        if let Err(e) = load_str(&text, Path::new("fuzz.yaml")) {
            prop_assert!(!e.problems().is_empty());
            for p in e.problems() {
                if let Some(span) = p.span {
                    prop_assert!(span.offset() <= text.len(), "span inside the text");
                }
            }
        }
    }

    #[test]
    fn unit_parsers_never_panic(s in "\\PC{0,40}") {
        let _ = units::parse_bytes(&s);
        let _ = units::parse_duration(&s);
        let _ = units::parse_byte_rate(&s);
        let _ = units::parse_rate(&s);
        let _ = units::parse_percent(&s);
        let _ = units::parse_growth(&s);
        let _ = drplan::model::retention::parse_retention(&s);
        let _ = drplan::model::schedule::parse_schedule(&s);
    }

    #[test]
    fn sizes_round_trip_through_gib(n in 0u64..1_000_000) {
        let b = units::parse_bytes(&format!("{n} GiB")).unwrap();
        prop_assert_eq!(b.0, n << 30);
    }
}
