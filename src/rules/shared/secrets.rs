//! Sensitive keys, references, placeholders and credential patterns (catalog §1.1–1.4).
