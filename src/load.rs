//! Reading a file into a [`SourceFile`], or into the one `infralint/parse-error` finding that
//! says why its content cannot be taken as text: over the size cap, UTF-16, not UTF-8. A UTF-8
//! byte-order mark is dropped. What was read also decides the format of a YAML file whose name
//! does not. Files on disk and standard input share this, so a stream gets the finding a file
//! would.

use std::io::Read;
use std::path::Path;

use crate::discover::{self, Candidate, NameClass};
use crate::engine;
use crate::error::Error;
use crate::finding::Finding;
use crate::format::Format;
use crate::formats;
use crate::source::{SourceFile, Span};

/// Files larger than this are not read; they get one `infralint/parse-error` finding.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// How much of an oversized YAML file is read to decide what it is.
pub(crate) const CLASSIFY_HEAD: u64 = 64 * 1024;

/// How much of a Terraform state file is read: the file itself is the finding, its content is
/// not linted.
const STATE_HEAD: u64 = 4 * 1024;

/// A file that was read and classified. `problem` is set when its content could not be taken
/// as text (too large, not UTF-8); `source` then holds what can be shown.
pub(crate) struct Loaded {
    pub(crate) source: SourceFile,
    pub(crate) format: Format,
    pub(crate) problem: Option<Finding>,
}

/// Read a candidate and decide its format. `Ok(None)`: not infrastructure after all. Files
/// linted in the second pass come through here twice, each time as the file reads then.
pub(crate) fn load(candidate: &Candidate) -> Result<Option<Loaded>, Error> {
    let path = &candidate.path;
    let io_error = |source| Error::Io {
        path: path.clone(),
        source,
    };
    if candidate.class == NameClass::Format(Format::Terraform)
        && formats::terraform::FileKind::of(&candidate.display)
            == formats::terraform::FileKind::State
    {
        let head = read_head(path, STATE_HEAD).map_err(io_error)?;
        let valid = match std::str::from_utf8(&head) {
            Ok(text) => text,
            Err(err) => head
                .get(..err.valid_up_to())
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or(""),
        };
        return Ok(Some(Loaded {
            source: SourceFile::new(
                candidate.display.clone(),
                Some(path.clone()),
                valid.to_string(),
            ),
            format: Format::Terraform,
            problem: None,
        }));
    }
    let size = std::fs::metadata(path).map_err(io_error)?.len();
    // The limit is checked before reading, and again on what is read, for a file that grows.
    let read = if size > MAX_FILE_SIZE {
        None
    } else {
        read_capped(path, MAX_FILE_SIZE).map_err(io_error)?
    };
    let Some(bytes) = read else {
        let message = if size > MAX_FILE_SIZE {
            too_large(size)
        } else {
            format!(
                "file grew over the {} MiB size limit while it was read, and was not linted",
                MAX_FILE_SIZE / (1024 * 1024)
            )
        };
        return unreadable_content(candidate, &message, || {
            read_head(path, CLASSIFY_HEAD).map(|head| String::from_utf8_lossy(&head).into_owned())
        })
        .map_err(io_error);
    };
    load_bytes(candidate, bytes).map_err(io_error)
}

/// The parse-error message of a file of `size` bytes, over the size limit.
pub(crate) fn too_large(size: u64) -> String {
    format!(
        "file is {size} bytes, over the {} MiB size limit, and was not read",
        MAX_FILE_SIZE / (1024 * 1024)
    )
}

/// Decide the format of the whole content of a candidate, at most [`MAX_FILE_SIZE`] bytes,
/// and take it as text: a byte-order mark is dropped, UTF-16 and invalid UTF-8 give their
/// parse error. `Ok(None)`: not infrastructure after all. Files and standard input share it.
pub(crate) fn load_bytes(
    candidate: &Candidate,
    mut bytes: Vec<u8>,
) -> std::io::Result<Option<Loaded>> {
    let path = &candidate.path;
    // A UTF-8 byte-order mark says how the file is encoded; it is not part of the content.
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    if let Some(big_endian) = utf16_bom(&bytes) {
        let message = "file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8";
        return unreadable_content(candidate, message, || Ok(decode_utf16(&bytes, big_endian)));
    }
    let (text, problem) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let mut bytes = err.into_bytes();
            bytes.truncate(offset);
            // The prefix is valid UTF-8 by construction; the lossy call never replaces anything.
            let prefix = String::from_utf8_lossy(&bytes).into_owned();
            (prefix, Some(offset))
        }
    };
    let format = match candidate.class {
        NameClass::Format(format) => format,
        NameClass::Yaml => match discover::classify_yaml_file(path, &text) {
            Some(format) => format,
            None => return Ok(None),
        },
    };
    let source = SourceFile::new(candidate.display.clone(), Some(path.clone()), text);
    let problem = problem.map(|offset| {
        let line = source
            .line_col(u32::try_from(offset).unwrap_or(u32::MAX))
            .line;
        engine::parse_error(
            Span::point(offset),
            &format!("file is not valid UTF-8: invalid byte at offset {offset} (line {line})"),
        )
    });
    Ok(Some(Loaded {
        source,
        format,
        problem,
    }))
}

/// A file whose content cannot be taken as text: one `infralint/parse-error` with `message`, at
/// the start of an empty text. A YAML file is first classified on the text `head` gives, and is
/// left alone when that is not infrastructure.
pub(crate) fn unreadable_content(
    candidate: &Candidate,
    message: &str,
    head: impl FnOnce() -> std::io::Result<String>,
) -> std::io::Result<Option<Loaded>> {
    let format = match candidate.class {
        NameClass::Format(format) => format,
        NameClass::Yaml => match discover::classify_yaml_file(&candidate.path, &head()?) {
            Some(format) => format,
            None => return Ok(None),
        },
    };
    Ok(Some(Loaded {
        source: SourceFile::new(
            candidate.display.clone(),
            Some(candidate.path.clone()),
            String::new(),
        ),
        format,
        problem: Some(engine::parse_error(Span::point(0), message)),
    }))
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `Some(big_endian)` when the bytes start with a UTF-16 byte-order mark.
pub(crate) fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(false),
        Some([0xFE, 0xFF]) => Some(true),
        _ => None,
    }
}

/// The text of UTF-16 bytes (after their byte-order mark), at most [`CLASSIFY_HEAD`] of them,
/// with what cannot be decoded replaced.
pub(crate) fn decode_utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes
        .iter()
        .skip(2)
        .take(usize::try_from(CLASSIFY_HEAD).unwrap_or(usize::MAX))
        .copied()
        .collect::<Vec<u8>>();
    let units = units.chunks_exact(2).map(|pair| match pair {
        [a, b] if big_endian => u16::from_be_bytes([*a, *b]),
        [a, b] => u16::from_le_bytes([*a, *b]),
        _ => 0,
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// The whole content of a file of at most `limit` bytes, or `None` when it has more.
fn read_capped(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let bytes = read_head(path, limit.saturating_add(1))?;
    Ok((u64::try_from(bytes.len()).unwrap_or(u64::MAX) <= limit).then_some(bytes))
}

/// Read at most `limit` bytes of a file.
fn read_head(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_one_byte_past_the_limit() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "FROM alpine:3.21\n")?;
        assert_eq!(read_capped(&path, 17)?.map(|b| b.len()), Some(17));
        assert_eq!(read_capped(&path, 16)?, None);
        Ok(())
    }

    /// Discovery saw the file, then it was deleted before it could be read: an error naming it,
    /// not a silent skip.
    #[test]
    fn a_file_deleted_after_discovery_is_an_error() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "FROM alpine:3.21\n")?;
        let found = Candidate::at(path.clone(), NameClass::Format(Format::Docker));
        std::fs::remove_file(&path)?;
        let Err(Error::Io {
            path: named,
            source,
        }) = load(&found)
        else {
            return Err(std::io::Error::other("a deleted file was not reported"));
        };
        assert_eq!(named, path);
        assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        Ok(())
    }

    #[test]
    fn utf16_manifests_are_classified_and_reported() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("deploy.yaml");
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "apiVersion: v1\nkind: Pod\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        std::fs::write(&path, &bytes)?;
        let loaded = load(&Candidate::at(path, NameClass::Yaml)).ok().flatten();
        let Some(loaded) = loaded else {
            return Err(std::io::Error::other("a UTF-16 manifest was skipped"));
        };
        assert_eq!(loaded.format, Format::K8s);
        let message = loaded.problem.map(|p| p.message).unwrap_or_default();
        assert!(message.contains("UTF-16"), "{message}");
        Ok(())
    }
}
