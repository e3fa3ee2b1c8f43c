//! An offline exposure score in the spirit of `systemd-analyze security`: each assessor of its
//! table (weight, range) judged from the unit file alone, without a running systemd.
use super::privilege::bounding_set;
use super::system_task::{is_system_task, needs_home, writes_os};
use crate::formats::systemd::{Entry, UnitKind, parse_bool};
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "systemd/high-exposure",
    severity: Severity::Suggestion,
    default: true,
    doc: include_str!("../../../rules/systemd/high-exposure.md"),
    check: Check::Systemd(check),
};

fn check(unit: &Unit, cx: &mut Ctx) {
    // systemd-analyze's overview of all services leaves one-shot services out as well; system
    // tasks (early boot, setup jobs) run as root by design.
    if unit.kind != UnitKind::Service
        || unit.partial
        || unit.service_type() == "oneshot"
        || is_system_task(unit)
    {
        return;
    }
    let Some(header) = unit.header("Service") else {
        return;
    };
    let score = assess(unit);
    let tenths = score.exposure_tenths();
    let shown = format!("{}.{}", tenths / 10, tenths % 10);
    let threshold = cx.options().max_exposure;
    if f64::from(tenths) / 10.0 >= threshold {
        // Advice that would break the unit is left out.
        let unfit = |setting: &str| match setting {
            "ProtectSystem" => writes_os(unit),
            "ProtectHome" => needs_home(unit),
            _ => false,
        };
        let heaviest = score.heaviest(3, unfit);
        cx.report(
            header,
            format!("exposure score `{shown}` reaches the `{threshold:.1}` threshold"),
        )
        .help(format!("harden first with {}", join(&heaviest)));
    } else {
        cx.pass(
            header,
            format!("exposure score `{shown}` is below `{threshold:.1}`"),
        );
    }
}

/// One assessor's verdict: the setting it is about, weight, badness and range.
struct Assessment {
    setting: &'static str,
    weight: u64,
    badness: u64,
    range: u64,
}

#[derive(Default)]
struct Score {
    items: Vec<Assessment>,
}

impl Score {
    fn add(&mut self, setting: &'static str, weight: u64, range: u64, badness: u64) {
        self.items.push(Assessment {
            setting,
            weight,
            badness: badness.min(range),
            range,
        });
    }

    fn flag(&mut self, setting: &'static str, weight: u64, bad: bool) {
        self.add(setting, weight, 1, u64::from(bad));
    }

    fn part(item: &Assessment) -> u64 {
        (item.badness * item.weight).div_ceil(item.range)
    }

    /// Exposure in tenths (0–100), rounded up as systemd-analyze does.
    fn exposure_tenths(&self) -> u32 {
        let weights: u64 = self.items.iter().map(|i| i.weight).sum();
        let bad: u64 = self.items.iter().map(Score::part).sum();
        if weights == 0 {
            return 0;
        }
        u32::try_from((bad * 100).div_ceil(weights)).unwrap_or(100)
    }

    /// The settings that add the most exposure, heaviest first.
    fn heaviest(&self, n: usize, unfit: impl Fn(&str) -> bool) -> Vec<String> {
        let mut totals: Vec<(&'static str, u64)> = Vec::new();
        for item in &self.items {
            let part = Score::part(item);
            if part == 0 || unfit(item.setting) {
                continue;
            }
            match totals.iter_mut().find(|(s, _)| *s == item.setting) {
                Some((_, total)) => *total += part,
                None => totals.push((item.setting, part)),
            }
        }
        totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        totals
            .into_iter()
            .take(n)
            .map(|(s, _)| format!("`{s}=`"))
            .collect()
    }
}

/// The capability groups of systemd-analyze's table, with their weights.
const CAPABILITY_GROUPS: &[(&[&str], u64)] = &[
    (&["SYS_ADMIN"], 1500),
    (&["SETUID", "SETGID", "SETPCAP"], 1500),
    (&["SYS_PTRACE"], 1500),
    (&["SYS_TIME"], 1000),
    (&["NET_ADMIN"], 1000),
    (&["SYS_RAWIO"], 1000),
    (&["SYS_MODULE"], 1000),
    (&["AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE"], 500),
    (&["SYSLOG"], 500),
    (&["SYS_NICE", "SYS_RESOURCE"], 500),
    (&["MKNOD"], 500),
    (&["CHOWN", "FSETID", "SETFCAP"], 1000),
    (
        &["DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "IPC_OWNER"],
        1000,
    ),
    (&["KILL"], 500),
    (&["NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW"], 500),
    (&["SYS_BOOT"], 100),
    (&["MAC_ADMIN", "MAC_OVERRIDE"], 100),
    (&["LINUX_IMMUTABLE"], 75),
    (&["IPC_LOCK"], 50),
    (&["SYS_CHROOT"], 50),
    (&["BLOCK_SUSPEND"], 25),
    (&["WAKE_ALARM"], 25),
    (&["LEASE"], 25),
    (&["SYS_TTY_CONFIG"], 25),
    (&["SYS_PACCT"], 25),
];

/// Namespace types of `RestrictNamespaces=` with their weights.
const NAMESPACES: &[(&str, u64)] = &[
    ("user", 1500),
    ("mnt", 500),
    ("ipc", 500),
    ("pid", 500),
    ("cgroup", 500),
    ("net", 500),
    ("uts", 100),
];

/// The system call groups systemd-analyze assesses, with their weights.
const SYSCALL_GROUPS: &[(&str, u64)] = &[
    ("@swap", 1000),
    ("@obsolete", 250),
    ("@clock", 1000),
    ("@cpu-emulation", 250),
    ("@debug", 1000),
    ("@mount", 1000),
    ("@module", 1000),
    ("@raw-io", 1000),
    ("@reboot", 1000),
    ("@privileged", 700),
    ("@resources", 700),
];

/// Groups that contain (part of) other assessed groups: allowing the outer one allows them,
/// denying the outer one denies them.
fn syscall_group_contains(outer: &str, inner: &str) -> bool {
    outer == inner
        || match outer {
            "@system-service" => matches!(inner, "@resources" | "@privileged"),
            "@privileged" => matches!(
                inner,
                "@clock" | "@module" | "@raw-io" | "@reboot" | "@swap"
            ),
            _ => false,
        }
}

fn assess(unit: &Unit) -> Score {
    let mut score = Score::default();
    let get = |key: &str| unit.get("Service", key).map(|e| e.value.trim().to_string());
    let on = |key: &str| {
        unit.implied_by_dynamic_user(key)
            || get(key).is_some_and(|v| match parse_bool(&v) {
                Some(b) => b,
                // Newer non-boolean modes (`ProtectControlGroups=private`, …) are stronger.
                None => !v.is_empty(),
            })
    };
    let user = get("User");
    let root = match user.as_deref() {
        Some("root" | "0") => true,
        Some(_) => false,
        None => !unit.dynamic_user() && !unit.is_user_unit(),
    };
    let default_deps = unit.bool("Unit", "DefaultDependencies") != Some(false);

    score.add(
        "User",
        2000,
        10,
        match user.as_deref() {
            _ if root => 10,
            Some("nobody") => 9,
            _ => 0,
        },
    );
    if !root {
        score.flag(
            "SupplementaryGroups",
            200,
            !unit.list("Service", "SupplementaryGroups").is_empty(),
        );
        score.flag("RemoveIPC", 100, !on("RemoveIPC"));
    }
    score.flag("PrivateDevices", 1000, !on("PrivateDevices"));
    score.flag("PrivateMounts", 1000, !on("PrivateMounts"));
    score.flag("PrivateNetwork", 2500, !on("PrivateNetwork"));
    score.flag("PrivateUsers", 1000, !on("PrivateUsers"));
    for key in [
        "ProtectControlGroups",
        "ProtectKernelModules",
        "ProtectKernelTunables",
        "ProtectKernelLogs",
        "ProtectClock",
    ] {
        score.flag(static_name(key), 1000, !on(key));
    }
    score.flag("ProtectHostname", 50, !on("ProtectHostname"));
    if default_deps {
        score.flag("PrivateTmp", 1000, !on("PrivateTmp"));
        let home = get("ProtectHome").or_else(|| unit.dynamic_user().then(|| "read-only".into()));
        score.add(
            "ProtectHome",
            1000,
            10,
            match home.as_deref().map(|v| (parse_bool(v), v)) {
                Some((Some(true), _)) => 0,
                Some((None, "read-only")) => 5,
                Some((None, "tmpfs")) => 1,
                _ => 10,
            },
        );
        let system = if unit.dynamic_user() {
            Some("strict".to_string())
        } else {
            get("ProtectSystem")
        };
        score.add(
            "ProtectSystem",
            1000,
            10,
            match system.as_deref().map(|v| (parse_bool(v), v)) {
                Some((Some(true), _)) => 5,
                Some((None, "full")) => 3,
                Some((None, "strict")) => 0,
                _ => 10,
            },
        );
        score.flag(
            "RootDirectory",
            200,
            get("RootDirectory").is_none_or(|v| v == "/") && get("RootImage").is_none(),
        );
    }
    score.flag("LockPersonality", 100, !on("LockPersonality"));
    score.flag("MemoryDenyWriteExecute", 100, !on("MemoryDenyWriteExecute"));
    score.flag("NoNewPrivileges", 1000, !on("NoNewPrivileges"));
    let caps = bounding_set(unit);
    for (group, weight) in CAPABILITY_GROUPS {
        score.flag(
            "CapabilityBoundingSet",
            *weight,
            group.iter().any(|c| caps.contains(c)),
        );
    }
    score.add("UMask", 100, 10, umask_badness(get("UMask").as_deref()));
    score.flag(
        "KeyringMode",
        1000,
        get("KeyringMode").is_some_and(|v| v != "private"),
    );
    score.add(
        "ProtectProc",
        1000,
        3,
        match get("ProtectProc").as_deref() {
            Some("invisible" | "ptraceable") => 0,
            Some("noaccess") => 1,
            _ => 3,
        },
    );
    score.flag(
        "ProcSubset",
        10,
        get("ProcSubset").as_deref() != Some("pid"),
    );
    score.flag(
        "NotifyAccess",
        1000,
        get("NotifyAccess").as_deref() == Some("all"),
    );
    score.flag(
        "Delegate",
        100,
        get("Delegate").is_some_and(|v| parse_bool(&v) != Some(false)),
    );
    score.flag("RestrictRealtime", 500, !on("RestrictRealtime"));
    score.flag("RestrictSUIDSGID", 1000, !on("RestrictSUIDSGID"));

    let namespaces = restrict_namespaces(
        &unit
            .all("Service", "RestrictNamespaces")
            .collect::<Vec<_>>(),
    );
    for (kind, weight) in NAMESPACES {
        score.flag("RestrictNamespaces", *weight, namespaces.allows(kind));
    }

    let families = list_setting(
        &unit
            .all("Service", "RestrictAddressFamilies")
            .collect::<Vec<_>>(),
        |w| w.to_string(),
    );
    let inet = families.allows("AF_INET") || families.allows("AF_INET6");
    score.flag("RestrictAddressFamilies", 1500, inet);
    score.flag("RestrictAddressFamilies", 25, families.allows("AF_UNIX"));
    score.flag(
        "RestrictAddressFamilies",
        200,
        families.allows("AF_NETLINK"),
    );
    score.flag(
        "RestrictAddressFamilies",
        1000,
        families.allows("AF_PACKET"),
    );
    score.flag(
        "RestrictAddressFamilies",
        1250,
        families.allows_other(&["AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK", "AF_PACKET"]),
    );

    let archs: Vec<String> = unit
        .list("Service", "SystemCallArchitectures")
        .iter()
        .flat_map(|e| e.value.split_whitespace().map(str::to_string))
        .collect();
    score.add(
        "SystemCallArchitectures",
        1000,
        10,
        if archs.is_empty() {
            10
        } else if archs.iter().any(|a| a == "native") {
            0
        } else {
            8
        },
    );

    let filter = syscall_filter(&unit.all("Service", "SystemCallFilter").collect::<Vec<_>>());
    for (group, weight) in SYSCALL_GROUPS {
        score.add("SystemCallFilter", *weight, 10, filter.badness(group));
    }

    score.add("IPAddressDeny", 1000, 10, ip_badness(unit));
    score.add(
        "DevicePolicy",
        1000,
        10,
        match get("DevicePolicy").as_deref() {
            Some("strict" | "closed") if unit.list("Service", "DeviceAllow").is_empty() => 0,
            Some("strict" | "closed") => 5,
            _ => 10,
        },
    );
    score.flag(
        "AmbientCapabilities",
        500,
        !unit.list("Service", "AmbientCapabilities").is_empty(),
    );
    score
}

/// The assessed keys as `'static` names (the loop above iterates over literals).
fn static_name(key: &str) -> &'static str {
    match key {
        "ProtectControlGroups" => "ProtectControlGroups",
        "ProtectKernelModules" => "ProtectKernelModules",
        "ProtectKernelTunables" => "ProtectKernelTunables",
        "ProtectKernelLogs" => "ProtectKernelLogs",
        _ => "ProtectClock",
    }
}

/// What a list setting with allow and `~` deny forms lets through.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Allowed {
    /// The setting is unset: everything is allowed.
    All,
    /// Only these.
    Only(Vec<String>),
    /// Everything but these.
    AllBut(Vec<String>),
}

impl Allowed {
    fn allows(&self, item: &str) -> bool {
        match self {
            Allowed::All => true,
            Allowed::Only(list) => list.iter().any(|i| i == item),
            Allowed::AllBut(list) => !list.iter().any(|i| i == item),
        }
    }

    /// Whether something outside `known` is allowed.
    fn allows_other(&self, known: &[&str]) -> bool {
        match self {
            Allowed::All | Allowed::AllBut(_) => true,
            Allowed::Only(list) => list.iter().any(|i| !known.contains(&i.as_str())),
        }
    }
}

/// Folds the assignments of a list setting: allow lines add (`OR`), `~` lines take away, an
/// empty assignment resets to unset; `normalize` maps each word.
fn list_setting(entries: &[&Entry], normalize: impl Fn(&str) -> String) -> Allowed {
    let mut state = Allowed::All;
    for entry in entries {
        let value = entry.value.trim();
        if value.is_empty() {
            state = Allowed::All;
            continue;
        }
        let (deny, words) = match value.strip_prefix('~') {
            Some(rest) => (true, rest),
            None => (false, value),
        };
        let items: Vec<String> = words.split_whitespace().map(&normalize).collect();
        state = match (state, deny) {
            (Allowed::All, false) => Allowed::Only(items),
            (Allowed::All, true) => Allowed::AllBut(items),
            (Allowed::Only(mut list), false) => {
                list.extend(items);
                Allowed::Only(list)
            }
            (Allowed::Only(list), true) => {
                Allowed::Only(list.into_iter().filter(|i| !items.contains(i)).collect())
            }
            (Allowed::AllBut(mut list), true) => {
                list.extend(items);
                Allowed::AllBut(list)
            }
            (Allowed::AllBut(list), false) => {
                Allowed::AllBut(list.into_iter().filter(|i| !items.contains(i)).collect())
            }
        };
    }
    if value_is_none(entries) {
        return Allowed::Only(Vec::new());
    }
    state
}

/// `RestrictAddressFamilies=none` (the last assignment) allows no family.
fn value_is_none(entries: &[&Entry]) -> bool {
    entries
        .last()
        .is_some_and(|e| e.value.trim().eq_ignore_ascii_case("none"))
}

/// `RestrictNamespaces=`: a boolean or an allow/`~` deny list of namespace types.
fn restrict_namespaces(entries: &[&Entry]) -> Allowed {
    let mut lists = Vec::new();
    let mut state = Allowed::All;
    for entry in entries {
        match parse_bool(&entry.value) {
            Some(true) => {
                state = Allowed::Only(Vec::new());
                lists.clear();
            }
            Some(false) => {
                state = Allowed::All;
                lists.clear();
            }
            None => lists.push(*entry),
        }
    }
    if lists.is_empty() {
        return state;
    }
    list_setting(&lists, str::to_string)
}

/// `SystemCallFilter=`: unset filters nothing; an allow list or a `~` deny list of calls and
/// `@groups` (an `:errno` suffix is ignored). Deny lines after an allow list take groups away.
struct SyscallFilter {
    allowed: Allowed,
    denied: Vec<String>,
}

impl SyscallFilter {
    fn badness(&self, group: &str) -> u64 {
        let named = |list: &[String]| list.iter().any(|g| syscall_group_contains(g, group));
        match &self.allowed {
            Allowed::All => 10,
            Allowed::Only(list) if named(list) && !named(&self.denied) => 9,
            Allowed::Only(_) => 0,
            Allowed::AllBut(list) if named(list) => 0,
            Allowed::AllBut(_) => 10,
        }
    }
}

fn syscall_filter(entries: &[&Entry]) -> SyscallFilter {
    let word = |w: &str| w.split(':').next().unwrap_or(w).to_string();
    let allowed = list_setting(entries, word);
    let mut denied = Vec::new();
    for entry in entries {
        match entry.value.trim().strip_prefix('~') {
            Some(rest) => denied.extend(rest.split_whitespace().map(word)),
            None => denied.clear(),
        }
    }
    SyscallFilter { allowed, denied }
}

/// `IPAddressDeny=`/`IPAddressAllow=`: no deny-all is 10; deny-all with other hosts allowed 5;
/// with only localhost 2; everything blocked 0. BPF filter programs count as a policy.
fn ip_badness(unit: &Unit) -> u64 {
    let words = |key: &str| -> Vec<String> {
        unit.list("Service", key)
            .iter()
            .flat_map(|e| e.value.split_whitespace().map(str::to_string))
            .collect()
    };
    if !unit.list("Service", "IPIngressFilterPath").is_empty()
        || !unit.list("Service", "IPEgressFilterPath").is_empty()
    {
        return 0;
    }
    let deny = words("IPAddressDeny");
    let deny_all = deny.iter().any(|w| w == "any")
        || (deny.iter().any(|w| w == "0.0.0.0/0") && deny.iter().any(|w| w == "::/0"));
    if !deny_all {
        return 10;
    }
    let allow = words("IPAddressAllow");
    let local = |w: &String| {
        matches!(
            w.as_str(),
            "localhost" | "127.0.0.0/8" | "::1/128" | "::1" | "127.0.0.1"
        )
    };
    if allow.iter().any(|w| !local(w)) {
        5
    } else if allow.is_empty() {
        0
    } else {
        2
    }
}

/// `UMask=`: the default `0022` leaves files world-readable.
fn umask_badness(value: Option<&str>) -> u64 {
    let mask = value
        .and_then(|v| u32::from_str_radix(v, 8).ok())
        .unwrap_or(0o022);
    if mask & 0o002 == 0 {
        10
    } else if mask & 0o004 == 0 {
        5
    } else if mask & 0o020 == 0 {
        2
    } else if mask & 0o040 == 0 {
        1
    } else {
        0
    }
}

fn join(items: &[String]) -> String {
    match items {
        [] => "the sandboxing settings".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
