//! Long-running images without a `HEALTHCHECK`.
use crate::formats::docker::Healthcheck;
use crate::rules::prelude::*;

pub(crate) static RULE: Rule = Rule {
    id: "docker/missing-healthcheck",
    severity: Severity::Warning,
    default: true,
    doc: include_str!("../../../rules/docker/missing-healthcheck.md"),
    check: Check::Docker(check),
};

fn check(file: &Dockerfile, cx: &mut Ctx) {
    let Some(last) = file.final_stage() else {
        return;
    };
    let healthcheck = file.effective(last, Kind::Healthcheck);
    if let Some(found) = healthcheck
        && let Some(Healthcheck::Cmd(_)) = found.instr.healthcheck()
    {
        cx.pass(found.instr.span, "the final stage has a `HEALTHCHECK`");
        return;
    }
    // A CLI or batch image (catalog §1.6) exits when done; there is nothing to watch.
    if file.effective(last, Kind::Entrypoint).is_some()
        && file.effective(last, Kind::Expose).is_none()
    {
        return;
    }
    match healthcheck {
        Some(found) if found.instr.healthcheck() == Some(Healthcheck::None) => {
            cx.report(
                found.instr.span,
                "`HEALTHCHECK NONE` turns off health checking for the final image",
            )
            .help("replace it with a `HEALTHCHECK CMD` that probes the service");
        }
        // A malformed HEALTHCHECK is a parse problem, not a missing one.
        Some(_) => {}
        None => {
            let span = file
                .from_instruction(last)
                .map_or(last.image.span, |f| f.span);
            cx.report(span, "the final stage has no `HEALTHCHECK`")
                .help("add a `HEALTHCHECK CMD` that fails when the service cannot serve, such as a request to its health endpoint");
        }
    }
}
