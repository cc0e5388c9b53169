//! Test-only package: see tests/wide.rs.
