//! WAL compression methods Barman supports (`compression = …`) and typical
//! ratios on real WAL (barman-notes §3: gzip ≈ 4:1, bzip2 ≈ 6:1, snappy ≈ 2.4:1).
//! Barman silently drops an unknown value, so the model rejects it early.

use std::fmt;

/// A Barman `compression` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// No compression.
    None,
    /// `gzip` (external command).
    Gzip,
    /// `bzip2` (external command).
    Bzip2,
    /// `pigz` (parallel gzip).
    Pigz,
    /// `pygzip` (Python gzip).
    Pygzip,
    /// `pybzip2` (Python bz2).
    Pybzip2,
    /// `xz`.
    Xz,
    /// `zstd` (needs the zstandard module).
    Zstd,
    /// `lz4` (needs the lz4 module).
    Lz4,
    /// `snappy` (needs python-snappy).
    Snappy,
    /// `custom` (user commands; give `compression_ratio`).
    Custom,
}

impl Compression {
    /// Every value and its spelling in `barman.conf`.
    pub const ALL: [(Compression, &'static str); 11] = [
        (Compression::None, "none"),
        (Compression::Gzip, "gzip"),
        (Compression::Bzip2, "bzip2"),
        (Compression::Pigz, "pigz"),
        (Compression::Pygzip, "pygzip"),
        (Compression::Pybzip2, "pybzip2"),
        (Compression::Xz, "xz"),
        (Compression::Zstd, "zstd"),
        (Compression::Lz4, "lz4"),
        (Compression::Snappy, "snappy"),
        (Compression::Custom, "custom"),
    ];

    /// Parse a Barman compression name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == s).map(|(c, _)| *c)
    }

    /// The spelling in `barman.conf`.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("none", |(_, n)| n)
    }

    /// Typical uncompressed:compressed ratio on production WAL.
    pub fn typical_ratio(self) -> f64 {
        match self {
            Self::None | Self::Custom => 1.0,
            Self::Gzip | Self::Pigz | Self::Pygzip => 4.0,
            Self::Bzip2 | Self::Pybzip2 => 6.0,
            Self::Xz => 6.5,
            Self::Zstd => 4.5,
            Self::Lz4 => 2.5,
            Self::Snappy => 2.4,
        }
    }
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Names accepted, for error hints.
pub fn known_names() -> String {
    Compression::ALL
        .iter()
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}
