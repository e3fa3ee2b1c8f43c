//! Image references (catalog §1.5).
