//! Serde for report fields written as text: decimals, dates, ids and kinds
//! go to JSON as strings (`"57568493150.684931506849315068"`, `"2019-03-02"`)
//! through their `Display`, and come back through their `FromStr`, so the
//! same validation reads them.

use std::fmt::Display;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

/// One value as a string.
pub(crate) fn serialize<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// One value from a string.
pub(crate) fn deserialize<'de, T, D>(d: D) -> Result<T, D::Error>
where
    T: FromStr,
    T::Err: Display,
    D: Deserializer<'de>,
{
    let text = String::deserialize(d)?;
    text.parse()
        .map_err(|e| D::Error::custom(format!("{text:?}: {e}")))
}

/// An optional value: a string or `null`.
pub(crate) mod optional {
    use super::*;

    /// `Some` as a string, `None` as `null`.
    pub(crate) fn serialize<T: Display, S: Serializer>(
        value: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    /// A string or `null`.
    pub(crate) fn deserialize<'de, T, D>(d: D) -> Result<Option<T>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        Option::<String>::deserialize(d)?
            .map(|text| {
                text.parse()
                    .map_err(|e| D::Error::custom(format!("{text:?}: {e}")))
            })
            .transpose()
    }
}

/// A list of values, each a string.
pub(crate) mod list {
    use super::*;

    /// Every value as a string.
    pub(crate) fn serialize<T: Display, S: Serializer>(
        values: &[T],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(values.iter().map(ToString::to_string))
    }

    /// A list of strings.
    pub(crate) fn deserialize<'de, T, D>(d: D) -> Result<Vec<T>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        Vec::<String>::deserialize(d)?
            .into_iter()
            .map(|text| {
                text.parse()
                    .map_err(|e| D::Error::custom(format!("{text:?}: {e}")))
            })
            .collect()
    }
}

/// An optional list of values: a list of strings, or `null`.
pub(crate) mod optional_list {
    use super::*;

    /// `Some` as a list of strings, `None` as `null`.
    pub(crate) fn serialize<T: Display, S: Serializer>(
        values: &Option<Vec<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match values {
            Some(v) => s.collect_seq(v.iter().map(ToString::to_string)),
            None => s.serialize_none(),
        }
    }

    /// A list of strings, or `null`.
    pub(crate) fn deserialize<'de, T, D>(d: D) -> Result<Option<Vec<T>>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        Option::<Vec<String>>::deserialize(d)?
            .map(|texts| {
                texts
                    .into_iter()
                    .map(|text| {
                        text.parse()
                            .map_err(|e| D::Error::custom(format!("{text:?}: {e}")))
                    })
                    .collect()
            })
            .transpose()
    }
}
