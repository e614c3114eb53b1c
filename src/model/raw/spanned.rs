//! `Sp<T>`: a value with the byte span it came from, deserialized through
//! serde-saphyr's `Spanned` and described in the JSON Schema as plain `T`.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};

/// A value and where it is in the source (byte offset and length).
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Byte offset and length in the source, when known.
    pub span: Option<(usize, usize)>,
}

/// A string value with its span: names, references and unit strings.
pub type Text = Sp<String>;

impl<T> Sp<T> {
    /// A value without a location (for programmatic construction).
    pub fn bare(value: T) -> Self {
        Self { value, span: None }
    }
}

impl Text {
    /// The string.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let span = s.referenced.span();
        let span = match (span.byte_offset(), span.byte_len()) {
            (Some(o), Some(l)) if s.referenced.line() > 0 => Some((o as usize, l as usize)),
            _ => None,
        };
        Ok(Self {
            value: s.value,
            span,
        })
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A scalar users may write as a number or a string (`version: 15` or `"9.6"`),
/// kept as its text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct Loose(pub String);

impl JsonSchema for Loose {
    fn schema_name() -> Cow<'static, str> {
        "NumberOrString".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({ "type": ["string", "number"] })
    }
}
