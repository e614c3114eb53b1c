//! placeholder, filled by the foundation.
