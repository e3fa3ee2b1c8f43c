//! Linux capabilities that amount to host access when added to a container, shared by the
//! compose and Kubernetes `dangerous-capability` rules.

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

/// How far a dangerous capability reaches when the container keeps its own namespaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// The kernel or the host's files, whatever the namespaces: exploitable as written.
    Host,
    /// The network namespace: the host's only when the container shares it.
    Network,
    /// The processes of the PID namespace: the host's only when the container shares it.
    Processes,
}

/// What a dangerous capability (canonical name) can reach. `NET_ADMIN` acts on the network
/// namespace the process is in and `SYS_PTRACE` on the processes it can see; the others act on
/// the kernel itself (modules, BPF, devices, mounts, file handles) in any namespace.
pub(crate) fn reach(canonical: &str) -> Reach {
    match canonical {
        "NET_ADMIN" => Reach::Network,
        "SYS_PTRACE" => Reach::Processes,
        _ => Reach::Host,
    }
}

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

    #[test]
    fn reaches() {
        assert_eq!(reach("NET_ADMIN"), Reach::Network);
        assert_eq!(reach("SYS_PTRACE"), Reach::Processes);
        assert_eq!(reach("SYS_MODULE"), Reach::Host);
        assert_eq!(reach("SYS_ADMIN"), Reach::Host);
        assert_eq!(reach("ALL"), Reach::Host);
    }
}
