//! Path helpers shared by discovery, configuration, the baseline and the reporters: how a path
//! is shown, made absolute, normalized and made relative. All are lexical: none touches the
//! file system beyond reading the current directory.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

/// A path with `.` and `..` components resolved lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// An absolute, lexically normalized path (no `.` or `..`), without touching the file system
/// beyond reading the current directory.
pub fn absolute(path: &Path) -> PathBuf {
    absolute_in(&std::env::current_dir().unwrap_or_default(), path)
}

/// [`absolute`] against a given current directory, for callers that read it once.
pub fn absolute_in(cwd: &Path, path: &Path) -> PathBuf {
    let joined = cwd.join(path);
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `to` relative to the directory `from`, both made absolute, with `/` and `..` as needed.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from = absolute(from);
    let to = absolute(to);
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..from.len() {
        parts.push("..".to_string());
    }
    for component in to.iter().skip(common) {
        parts.push(component_text(component.as_os_str()).into_owned());
    }
    parts.join("/")
}

/// A path with `/` separators and without `.` components.
pub fn display_path(path: &Path) -> String {
    let mut out = String::new();
    for component in path.components() {
        match component {
            Component::CurDir => continue,
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::Prefix(p) => out.push_str(&component_text(p.as_os_str())),
            Component::ParentDir => out.push_str(".."),
            Component::Normal(name) => out.push_str(&component_text(name)),
        }
        out.push('/');
    }
    if out.len() > 1 {
        out.pop();
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// A path component as text. Bytes that are not UTF-8 become `\xNN`: the name stays readable,
/// every output format can carry it, and names that differ only in such bytes stay distinct.
pub fn component_text(name: &OsStr) -> Cow<'_, str> {
    if let Some(text) = name.to_str() {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_paths() {
        assert_eq!(normalize(Path::new("a/./b/../c")), Path::new("a/c"));
        assert_eq!(normalize(Path::new("../a/..")), Path::new(".."));
        assert_eq!(normalize(Path::new("a/../../b")), Path::new("../b"));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/a/b"), Path::new("/a/b/c/d")),
            "c/d"
        );
        assert_eq!(relative_path(Path::new("/a/b"), Path::new("/a/x")), "../x");
    }

    #[test]
    fn display_paths() {
        assert_eq!(display_path(Path::new("./a/b")), "a/b");
        assert_eq!(display_path(Path::new(".")), ".");
        assert_eq!(display_path(Path::new("../x/./y")), "../x/y");
        assert_eq!(display_path(Path::new("/abs/p")), "/abs/p");
    }

    #[cfg(unix)]
    #[test]
    fn display_paths_escape_bytes_that_are_not_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(OsStr::from_bytes(b"a b/bad\xff\xfe\xc3\xa7/\n.yaml"));
        assert_eq!(display_path(path), "a b/bad\\xFF\\xFEç/\n.yaml");
    }
}
