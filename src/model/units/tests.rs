//! Parsing and display of every unit, with the edge cases users write.

use super::*;

#[test]
fn sizes_use_binary_and_decimal_prefixes() {
    assert_eq!(parse_bytes("500 GiB").unwrap().0, 500 * (1 << 30));
    assert_eq!(parse_bytes("1.5GB").unwrap().0, 1_500_000_000);
    assert_eq!(parse_bytes("16 MiB").unwrap().0, 16 << 20);
    assert!(parse_bytes("500").is_err());
    assert!(parse_bytes("500 GiBs").is_err());
    assert!(parse_bytes("-1 GiB").is_err());
    assert!(parse_bytes("lots").is_err());
}

#[test]
fn durations_follow_barman_months() {
    assert_eq!(parse_duration("15 min").unwrap().as_secs(), 900.0);
    assert_eq!(parse_duration("1 month").unwrap().as_days(), 31.0);
    assert_eq!(parse_duration("2 weeks").unwrap().as_days(), 14.0);
    assert!((parse_duration("10 years").unwrap().as_days() - 3652.5).abs() < 1e-9);
    assert!(parse_duration("15 fortnights").is_err());
    assert!(parse_duration("15").is_err());
}

#[test]
fn byte_rates_accept_bits_and_per_day() {
    assert_eq!(
        parse_byte_rate("10 Gbit/s").unwrap().bytes_per_sec(),
        1.25e9
    );
    assert_eq!(parse_byte_rate("1 Gbps").unwrap().bytes_per_sec(), 1.25e8);
    let day = parse_byte_rate("40 GiB/day").unwrap();
    assert!((day.bytes_per_day() - 40.0 * (1u64 << 30) as f64).abs() < 1.0);
    assert!(parse_byte_rate("10 Gbit").is_err());
    assert!(parse_byte_rate("10 Gbit/fortnight").is_err());
}

#[test]
fn rates_from_mtbf_afr_and_counts() {
    assert!((parse_rate("MTBF 5 years").unwrap().events_per_year() - 0.2).abs() < 1e-12);
    let afr = parse_rate("AFR 1.5%").unwrap();
    assert!((afr.yearly_probability() - 0.015).abs() < 1e-12);
    assert!((parse_rate("0.2/yr").unwrap().events_per_year() - 0.2).abs() < 1e-12);
    assert!((parse_rate("1 per 10 years").unwrap().events_per_year() - 0.1).abs() < 1e-12);
    assert!((parse_rate("2 per year").unwrap().events_per_year() - 2.0).abs() < 1e-12);
    assert_eq!(parse_rate("never").unwrap().events_per_year(), 0.0);
    assert!(parse_rate("AFR 100%").is_err());
    assert!(parse_rate("often").is_err());
    assert!(parse_rate("MTBF 0 years").is_err());
}

#[test]
fn percentages_and_growth() {
    assert!((parse_percent("99.95%").unwrap().value() - 0.9995).abs() < 1e-12);
    assert!(parse_percent("101%").is_err());
    assert!(parse_percent("0.5").is_err());
    assert!((parse_growth("20%/yr").unwrap() - 0.2).abs() < 1e-12);
    assert!((parse_growth("0%").unwrap()).abs() < 1e-12);
    assert!(parse_growth("20").is_err());
}

#[test]
fn display_is_human() {
    assert_eq!(Bytes(500 * (1 << 30)).to_string(), "500.0 GiB");
    assert_eq!(Duration::from_secs(900.0).to_string(), "15 min");
    assert_eq!(Duration::from_secs(3.0 * DAY).to_string(), "3 days");
}
