//! One finding per resource and rule: a rule that sees several problems with one resource
//! (a bucket's ACL and its policy, two statements of one policy) collects them here and reports
//! them as one finding, at the first problem's place.
use crate::rules::prelude::*;

/// One problem, waiting to be reported with the others of its resource.
struct Problem {
    /// What the problem is about: a resource address, or the bucket a bucket setting configures.
    key: String,
    span: Span,
    /// The resource whose configuration has the problem (`aws_s3_bucket_acl.site`).
    subject: String,
    /// What is wrong, after the subject: "sets the canned ACL `public-read`".
    detail: String,
    help: &'static str,
    severity: Option<Severity>,
}

#[derive(Default)]
pub(crate) struct Once {
    problems: Vec<Problem>,
}

impl Once {
    pub(crate) fn add(
        &mut self,
        key: impl Into<String>,
        span: Span,
        subject: &str,
        detail: impl Into<String>,
        help: &'static str,
    ) {
        self.add_rated(key, span, subject, detail, help, None);
    }

    /// [`Once::add`] with a severity other than the rule's for this problem.
    pub(crate) fn add_rated(
        &mut self,
        key: impl Into<String>,
        span: Span,
        subject: &str,
        detail: impl Into<String>,
        help: &'static str,
        severity: Option<Severity>,
    ) {
        self.problems.push(Problem {
            key: key.into(),
            span,
            subject: subject.to_string(),
            detail: detail.into(),
            help,
            severity,
        });
    }

    /// Report one finding per key, in the order the keys were first seen.
    pub(crate) fn report(self, cx: &mut Ctx) {
        let mut keys: Vec<&str> = Vec::new();
        for p in &self.problems {
            if !keys.contains(&p.key.as_str()) {
                keys.push(&p.key);
            }
        }
        for key in keys {
            let group: Vec<&Problem> = self.problems.iter().filter(|p| p.key == key).collect();
            let Some(first) = group.first() else {
                continue;
            };
            let mut message = format!("`{}` {}", first.subject, first.detail);
            let mut seen = vec![(first.subject.as_str(), first.detail.as_str())];
            for p in group.iter().skip(1) {
                if seen.contains(&(p.subject.as_str(), p.detail.as_str())) {
                    continue;
                }
                seen.push((p.subject.as_str(), p.detail.as_str()));
                if p.subject == first.subject {
                    message.push_str(&format!("; it {}", p.detail));
                } else {
                    message.push_str(&format!("; `{}` {}", p.subject, p.detail));
                }
            }
            // Problems rated apart lower the finding only when all of them are.
            let rated: Option<Vec<Severity>> = group.iter().map(|p| p.severity).collect();
            let finding = cx.report(first.span, message);
            finding.help(first.help);
            if let Some(severity) = rated.and_then(|r| r.into_iter().max()) {
                finding.severity = severity;
            }
        }
    }
}
