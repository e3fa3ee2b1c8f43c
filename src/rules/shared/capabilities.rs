//! Linux capabilities that amount to host access when added to a container (catalog C16,
//! K16), shared by the compose and Kubernetes rules.

/// The default `dangerous-capabilities` list, without the `CAP_` prefix.
pub(crate) const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "DAC_READ_SEARCH",
    "NET_ADMIN",
    "BPF",
];

/// The canonical name of a capability as written (`cap_sys_admin` → `SYS_ADMIN`).
pub(crate) fn canonical(written: &str) -> String {
    let upper = written.trim().to_ascii_uppercase();
    upper.strip_prefix("CAP_").unwrap_or(&upper).to_string()
}

/// Whether a written capability is on the dangerous list (with or without `CAP_`, any case).
pub(crate) fn is_dangerous(written: &str) -> bool {
    DANGEROUS.contains(&canonical(written).as_str())
}

/// What a dangerous capability lets a process do, for messages.
pub(crate) fn power(canonical: &str) -> &'static str {
    match canonical {
        "ALL" => "every capability root has",
        "SYS_ADMIN" => "mounts, namespaces and most of root's powers",
        "SYS_MODULE" => "loading kernel modules",
        "SYS_PTRACE" => "tracing and injecting code into other processes",
        "SYS_RAWIO" => "raw access to devices and kernel memory",
        "DAC_READ_SEARCH" => "reading any file by handle, a known container escape",
        "NET_ADMIN" => "reconfiguring interfaces, routes and firewall rules",
        "BPF" => "loading BPF programs into the kernel",
        _ => "privileged operations",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalized() {
        assert!(is_dangerous("cap_sys_admin"));
        assert!(is_dangerous("all"));
        assert!(is_dangerous(" NET_ADMIN"));
        assert!(!is_dangerous("NET_BIND_SERVICE"));
        assert!(!is_dangerous("CAP_CHOWN"));
    }
}
