//! `drplan import` never panics on what another Barman version (or a broken
//! copy) might write: random leaves of real `barman diagnose` and
//! `list-backups` outputs (tests/fixtures/import) replaced by values of any
//! JSON type, and random cuts of the text. Whatever is read, the scenario it
//! writes still validates; text that is not JSON is a located error.

use std::path::Path;

use drplan::import::{self, Inputs, JsonError, barman};
use drplan::model::load_str;
use proptest::prelude::*;
use serde_json::Value;

const D319: &str = include_str!("fixtures/import/barman-3.19/diagnose.json");
const D310: &str = include_str!("fixtures/import/barman-3.10/diagnose.json");
const L319: &str = include_str!("fixtures/import/barman-3.19/list-backups.json");

fn count(v: &Value) -> usize {
    match v {
        Value::Object(m) => m.values().map(count).sum(),
        Value::Array(a) => a.iter().map(count).sum(),
        _ => 1,
    }
}

/// Replace the `n`-th leaf (depth first) with `with`; false when there are fewer.
fn replace(v: &mut Value, n: &mut usize, with: &Value) -> bool {
    match v {
        Value::Object(m) => m.values_mut().any(|x| replace(x, n, with)),
        Value::Array(a) => a.iter_mut().any(|x| replace(x, n, with)),
        leaf => {
            if *n == 0 {
                *leaf = with.clone();
                true
            } else {
                *n -= 1;
                false
            }
        }
    }
}

/// Replace leaf number `at` (modulo their count) of `src` with `with`.
fn mutate(src: &str, at: usize, with: Value) -> String {
    let mut v: Value = serde_json::from_str(src).unwrap();
    let mut n = at % count(&v);
    assert!(replace(&mut v, &mut n, &with));
    v.to_string()
}

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,30}".prop_map(Value::from),
        "[0-9A-F/]{0,26}".prop_map(Value::from),
        Just(serde_json::json!([1, "x", null])),
        Just(serde_json::json!({"value": 3})),
    ]
}

fn import_all(diagnose: &str, list: &str) {
    let Ok(d) = barman::diagnose("d.json", diagnose) else {
        return;
    };
    let listed = barman::list_backups("l.json", list).unwrap_or_default();
    let inputs = Inputs {
        diagnose: d,
        listed,
        ..Inputs::default()
    };
    if inputs.diagnose.servers.is_empty() {
        return;
    }
    let yaml = import::scenario(&inputs, "fuzz");
    if let Err(e) = load_str(&yaml, Path::new("imported.yaml")) {
        panic!("the imported scenario does not validate: {e:?}\n{yaml}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_leaf_of_any_type_is_survived(at in any::<usize>(), with in any_value(), which in 0..3u8) {
        match which {
            0 => import_all(&mutate(D319, at, with), L319),
            1 => import_all(&mutate(D310, at, with), L319),
            _ => import_all(D319, &mutate(L319, at, with)),
        }
    }

    #[test]
    fn cut_text_is_a_located_error(at in 0usize..D319.len()) {
        let cut = &D319[..(0..=at).rev().find(|i| D319.is_char_boundary(*i)).unwrap_or(0)];
        if let Err(JsonError::Syntax(e)) = barman::diagnose("d.json", cut) {
            prop_assert!(e.at.offset() <= cut.len());
        }
    }
}
