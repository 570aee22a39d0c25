//! A file's bytes as the text edits work on, and back: edits see LF line endings and no
//! byte-order mark; writing restores CRLF, the mark and the final newline (or its
//! absence) exactly as the file had them. Binary and non-UTF-8 files are refused.

/// Why a file cannot be edited as text.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TextError {
    #[error("it looks binary (it holds NUL bytes); git-codey edits text files only")]
    Binary,
    #[error("it is not UTF-8 text (invalid byte at offset {0}); git-codey edits UTF-8 files only")]
    NotUtf8(usize),
}

/// A text file's content and the conventions to write it back with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    /// The content with LF line endings and no byte-order mark.
    pub text: String,
    crlf: bool,
    bom: bool,
    final_newline: bool,
}

const BOM: &str = "\u{feff}";

impl TextFile {
    pub fn decode(bytes: &[u8]) -> Result<Self, TextError> {
        if bytes[..bytes.len().min(8192)].contains(&0) {
            return Err(TextError::Binary);
        }
        let text = std::str::from_utf8(bytes).map_err(|e| TextError::NotUtf8(e.valid_up_to()))?;
        let (bom, text) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let crlf_count = text.matches("\r\n").count();
        let lf_count = text.matches('\n').count();
        // The file's majority convention; a lone LF in a CRLF file becomes CRLF.
        let crlf = crlf_count > 0 && crlf_count * 2 >= lf_count;
        let text = if crlf_count > 0 {
            text.replace("\r\n", "\n")
        } else {
            text.to_string()
        };
        Ok(TextFile {
            final_newline: text.is_empty() || text.ends_with('\n'),
            text,
            crlf,
            bom,
        })
    }

    /// A new file: LF endings and a final newline.
    pub fn new_file() -> Self {
        TextFile {
            text: String::new(),
            crlf: false,
            bom: false,
            final_newline: true,
        }
    }

    /// `text` (LF endings) as bytes in this file's conventions.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut body = text.to_string();
        if self.final_newline {
            if !body.is_empty() && !body.ends_with('\n') {
                body.push('\n');
            }
        } else {
            while body.ends_with('\n') {
                body.pop();
            }
        }
        if self.crlf {
            body = body.replace('\n', "\r\n");
        }
        if self.bom {
            body.insert_str(0, BOM);
        }
        body.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions_survive_a_round_trip() {
        for original in [
            &b"a\r\nb\r\n"[..],
            b"a\nb",
            "\u{feff}x = 1\n".as_bytes(),
            b"",
            b"one line",
        ] {
            let file = TextFile::decode(original).unwrap();
            assert!(!file.text.contains('\r'));
            assert_eq!(file.encode(&file.text), original, "{original:?}");
        }
        let crlf = TextFile::decode(b"a\r\nb\r\n").unwrap();
        assert_eq!(crlf.encode("a\nb\nc\n"), b"a\r\nb\r\nc\r\n");
        let no_final = TextFile::decode(b"a\nb").unwrap();
        assert_eq!(no_final.encode("a\nc\n"), b"a\nc");
    }

    #[test]
    fn binary_and_non_utf8_files_are_refused() {
        assert_eq!(TextFile::decode(b"PK\x03\x04\0\0"), Err(TextError::Binary));
        assert_eq!(TextFile::decode(b"caf\xe9\n"), Err(TextError::NotUtf8(3)));
    }
}
