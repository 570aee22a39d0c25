//! Reading a GGUF file's header without loading the model: magic, version, metadata,
//! tensor table. Enough to refuse a wrong or corrupt file before llama.cpp sees it, to
//! tell whether it was truncated, and to estimate the memory a model will need.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 4] = b"GGUF";
/// Longest string the header may hold; anything longer is corruption.
const MAX_STRING: u64 = 16 << 20;
/// Most metadata entries or tensors a sane file has.
const MAX_COUNT: u64 = 1 << 24;
const DEFAULT_ALIGNMENT: u64 = 32;

/// Why a file is not a usable GGUF model.
#[derive(Debug, thiserror::Error)]
pub enum GgufError {
    #[error("{path}: no such file")]
    Missing { path: PathBuf },
    #[error("{path}: not a GGUF file (it starts with {found:?}, not \"GGUF\")")]
    NotGguf { path: PathBuf, found: String },
    #[error("{path}: GGUF version {version} is not supported (1, 2 and 3 are)")]
    Version { path: PathBuf, version: u32 },
    #[error("{path}: the file ends inside its header: truncated or corrupt")]
    TruncatedHeader { path: PathBuf },
    #[error(
        "{path}: truncated — its tensors need {needed} bytes but the file has {actual}; download it again"
    )]
    TruncatedData {
        path: PathBuf,
        needed: u64,
        actual: u64,
    },
    #[error("{path}: corrupt header: {what}")]
    Corrupt { path: PathBuf, what: String },
    #[error("{path}: the header names no architecture (general.architecture)")]
    NoArchitecture { path: PathBuf },
    #[error("{path}: the file holds no tensors")]
    NoTensors { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// A metadata value. Arrays keep only their length: nothing here needs their items.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Uint(u64),
    Int(i64),
    Float(f64),
    Bool(bool),
    String(String),
    Array { len: u64 },
}

impl Value {
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Uint(v) => Some(*v),
            Value::Int(v) => u64::try_from(*v).ok(),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// One tensor's entry in the tensor table.
#[derive(Debug, Clone)]
pub struct TensorInfo {
    pub name: String,
    pub dims: Vec<u64>,
    pub ggml_type: u32,
    pub offset: u64,
}

/// What the header of a GGUF file says.
#[derive(Debug, Clone)]
pub struct Header {
    pub version: u32,
    pub metadata: BTreeMap<String, Value>,
    pub tensors: Vec<TensorInfo>,
    /// Where tensor data begins.
    pub data_start: u64,
    pub file_size: u64,
}

impl Header {
    /// Reads and checks a file's header: magic, version, architecture, tensor table,
    /// and that the file is long enough for every tensor it lists.
    pub fn read(path: &Path) -> Result<Self, GgufError> {
        let file = File::open(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => GgufError::Missing {
                path: path.to_path_buf(),
            },
            _ => GgufError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        })?;
        let file_size = file
            .metadata()
            .map_err(|e| GgufError::Io {
                path: path.to_path_buf(),
                source: e,
            })?
            .len();
        let mut r = Reader {
            inner: BufReader::with_capacity(1 << 16, file),
            path,
            version: 0,
        };
        let header = r.header(file_size)?;
        header.check(path)?;
        Ok(header)
    }

    fn check(&self, path: &Path) -> Result<(), GgufError> {
        if self.architecture().is_none() {
            return Err(GgufError::NoArchitecture {
                path: path.to_path_buf(),
            });
        }
        if self.tensors.is_empty() {
            return Err(GgufError::NoTensors {
                path: path.to_path_buf(),
            });
        }
        let needed = self
            .tensors
            .iter()
            .filter_map(|t| tensor_bytes(t).map(|n| t.offset.saturating_add(n)))
            .max()
            .unwrap_or(0)
            .saturating_add(self.data_start);
        if needed > self.file_size {
            return Err(GgufError::TruncatedData {
                path: path.to_path_buf(),
                needed,
                actual: self.file_size,
            });
        }
        Ok(())
    }

    pub fn architecture(&self) -> Option<&str> {
        self.metadata.get("general.architecture")?.as_str()
    }

    pub fn name(&self) -> Option<&str> {
        self.metadata.get("general.name")?.as_str()
    }

    /// An architecture-scoped number, `<arch>.<key>`.
    pub fn arch_u64(&self, key: &str) -> Option<u64> {
        let arch = self.architecture()?;
        self.metadata.get(&format!("{arch}.{key}"))?.as_u64()
    }

    /// Whether the file carries its own chat template.
    pub fn has_chat_template(&self) -> bool {
        self.metadata.contains_key("tokenizer.chat_template")
    }

    /// Bytes of tensor data (the weights llama.cpp maps).
    pub fn weight_bytes(&self) -> u64 {
        self.file_size.saturating_sub(self.data_start)
    }

    /// Number of parameters, counted from the tensor shapes.
    pub fn parameters(&self) -> u64 {
        self.tensors
            .iter()
            .map(|t| elements(&t.dims).unwrap_or(u64::MAX))
            .fold(0, u64::saturating_add)
    }

    /// Bytes of KV cache for `context` tokens with an f16 cache: keys and values for
    /// every layer, each `kv_heads × head_dim` wide.
    pub fn kv_cache_bytes(&self, context: u64) -> Option<u64> {
        let layers = self.arch_u64("block_count")?;
        let heads = self.arch_u64("attention.head_count")?;
        let kv_heads = self.arch_u64("attention.head_count_kv").unwrap_or(heads);
        let embedding = self.arch_u64("embedding_length")?;
        let head_dim = embedding.checked_div(heads)?;
        let key_dim = self.arch_u64("attention.key_length").unwrap_or(head_dim);
        let value_dim = self.arch_u64("attention.value_length").unwrap_or(head_dim);
        // The numbers come from the file: absurd ones give no estimate, not a wrap-around.
        layers
            .checked_mul(kv_heads)?
            .checked_mul(key_dim.checked_add(value_dim)?)?
            .checked_mul(2)?
            .checked_mul(context)
    }
}

/// Bytes a tensor occupies, from ggml's block sizes; `None` for a type this table does
/// not know (its extent is then not checked).
fn tensor_bytes(t: &TensorInfo) -> Option<u64> {
    // (elements per block, bytes per block), indexed by ggml type id.
    let (block, size): (u64, u64) = match t.ggml_type {
        0 => (1, 4),      // F32
        1 => (1, 2),      // F16
        2 => (32, 18),    // Q4_0
        3 => (32, 20),    // Q4_1
        6 => (32, 22),    // Q5_0
        7 => (32, 24),    // Q5_1
        8 => (32, 34),    // Q8_0
        9 => (32, 36),    // Q8_1
        10 => (256, 84),  // Q2_K
        11 => (256, 110), // Q3_K
        12 => (256, 144), // Q4_K
        13 => (256, 176), // Q5_K
        14 => (256, 210), // Q6_K
        15 => (256, 292), // Q8_K
        16 => (256, 66),  // IQ2_XXS
        17 => (256, 74),  // IQ2_XS
        18 => (256, 98),  // IQ3_XXS
        19 => (256, 50),  // IQ1_S
        20 => (32, 18),   // IQ4_NL
        21 => (256, 110), // IQ3_S
        22 => (256, 82),  // IQ2_S
        23 => (256, 136), // IQ4_XS
        24 => (1, 1),     // I8
        25 => (1, 2),     // I16
        26 => (1, 4),     // I32
        27 => (1, 8),     // I64
        28 => (1, 8),     // F64
        29 => (256, 56),  // IQ1_M
        30 => (1, 2),     // BF16
        _ => return None,
    };
    let bytes = elements(&t.dims).map_or(u64::MAX, |n| n.div_ceil(block).saturating_mul(size));
    Some(bytes)
}

/// A tensor's element count, `None` when it does not fit in 64 bits.
fn elements(dims: &[u64]) -> Option<u64> {
    dims.iter().try_fold(1u64, |n, &d| n.checked_mul(d))
}

struct Reader<'a, R> {
    inner: R,
    path: &'a Path,
    version: u32,
}

impl<R: Read + Seek> Reader<'_, R> {
    fn err(&self, e: io::Error) -> GgufError {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            GgufError::TruncatedHeader {
                path: self.path.to_path_buf(),
            }
        } else {
            GgufError::Io {
                path: self.path.to_path_buf(),
                source: e,
            }
        }
    }

    fn corrupt(&self, what: impl Into<String>) -> GgufError {
        GgufError::Corrupt {
            path: self.path.to_path_buf(),
            what: what.into(),
        }
    }

    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], GgufError> {
        let mut buf = [0u8; N];
        self.inner.read_exact(&mut buf).map_err(|e| self.err(e))?;
        Ok(buf)
    }

    fn u32(&mut self) -> Result<u32, GgufError> {
        Ok(u32::from_le_bytes(self.bytes()?))
    }

    fn u64(&mut self) -> Result<u64, GgufError> {
        Ok(u64::from_le_bytes(self.bytes()?))
    }

    /// A length or count field: 32 bits in version 1, 64 after.
    fn length(&mut self) -> Result<u64, GgufError> {
        if self.version == 1 {
            Ok(u64::from(self.u32()?))
        } else {
            self.u64()
        }
    }

    fn count(&mut self, what: &str) -> Result<u64, GgufError> {
        let n = self.length()?;
        if n > MAX_COUNT {
            return Err(self.corrupt(format!("{n} {what} is not plausible")));
        }
        Ok(n)
    }

    /// A string's byte length, checked against what a sane header holds.
    fn string_length(&mut self) -> Result<u64, GgufError> {
        let len = self.length()?;
        if len > MAX_STRING {
            return Err(self.corrupt(format!("a string of {len} bytes")));
        }
        Ok(len)
    }

    fn string(&mut self) -> Result<String, GgufError> {
        let len = self.string_length()?;
        let mut buf = vec![0u8; usize::try_from(len).map_err(|_| self.corrupt("string length"))?];
        self.inner.read_exact(&mut buf).map_err(|e| self.err(e))?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    fn skip_string(&mut self) -> Result<(), GgufError> {
        let len = self.string_length()?;
        let len = i64::try_from(len).map_err(|_| self.corrupt("string length"))?;
        self.inner.seek_relative(len).map_err(|e| self.err(e))
    }

    fn value(&mut self, kind: u32) -> Result<Value, GgufError> {
        Ok(match kind {
            0 => Value::Uint(u64::from(self.bytes::<1>()?[0])),
            1 => Value::Int(i64::from(i8::from_le_bytes(self.bytes()?))),
            2 => Value::Uint(u64::from(u16::from_le_bytes(self.bytes()?))),
            3 => Value::Int(i64::from(i16::from_le_bytes(self.bytes()?))),
            4 => Value::Uint(u64::from(self.u32()?)),
            5 => Value::Int(i64::from(i32::from_le_bytes(self.bytes()?))),
            6 => Value::Float(f64::from(f32::from_le_bytes(self.bytes()?))),
            7 => Value::Bool(self.bytes::<1>()?[0] != 0),
            8 => Value::String(self.string()?),
            9 => {
                let item = self.u32()?;
                let len = self.count("array items")?;
                for _ in 0..len {
                    self.skip_value(item)?;
                }
                Value::Array { len }
            }
            10 => Value::Uint(self.u64()?),
            11 => Value::Int(i64::from_le_bytes(self.bytes()?)),
            12 => Value::Float(f64::from_le_bytes(self.bytes()?)),
            other => return Err(self.corrupt(format!("unknown value type {other}"))),
        })
    }

    /// Skips an array item without keeping it (a vocabulary has 100k+ strings).
    fn skip_value(&mut self, kind: u32) -> Result<(), GgufError> {
        let width: i64 = match kind {
            0 | 1 | 7 => 1,
            2 | 3 => 2,
            4..=6 => 4,
            10..=12 => 8,
            8 => return self.skip_string(),
            _ => return self.value(kind).map(drop),
        };
        self.inner.seek_relative(width).map_err(|e| self.err(e))
    }

    fn header(&mut self, file_size: u64) -> Result<Header, GgufError> {
        let magic: [u8; 4] = self.bytes().map_err(|_| GgufError::NotGguf {
            path: self.path.to_path_buf(),
            found: "(less than 4 bytes)".into(),
        })?;
        if &magic != MAGIC {
            return Err(GgufError::NotGguf {
                path: self.path.to_path_buf(),
                found: String::from_utf8_lossy(&magic).into_owned(),
            });
        }
        let version = self.u32()?;
        if !(1..=3).contains(&version) {
            return Err(GgufError::Version {
                path: self.path.to_path_buf(),
                version,
            });
        }
        self.version = version;
        let tensor_count = self.count("tensors")?;
        let kv_count = self.count("metadata entries")?;
        let mut metadata = BTreeMap::new();
        for _ in 0..kv_count {
            let key = self.string()?;
            let kind = self.u32()?;
            let value = self.value(kind)?;
            metadata.insert(key, value);
        }
        let mut tensors = Vec::new();
        for _ in 0..tensor_count {
            let name = self.string()?;
            let n_dims = self.u32()?;
            if n_dims > 8 {
                return Err(self.corrupt(format!("tensor {name} has {n_dims} dimensions")));
            }
            let dims = (0..n_dims)
                .map(|_| self.u64())
                .collect::<Result<Vec<_>, _>>()?;
            if elements(&dims).is_none() {
                return Err(self.corrupt(format!("tensor {name} has more than 2^64 elements")));
            }
            let ggml_type = self.u32()?;
            let offset = self.u64()?;
            tensors.push(TensorInfo {
                name,
                dims,
                ggml_type,
                offset,
            });
        }
        let position = self.inner.stream_position().map_err(|e| self.err(e))?;
        let alignment = metadata
            .get("general.alignment")
            .and_then(Value::as_u64)
            .filter(|a| *a > 0)
            .unwrap_or(DEFAULT_ALIGNMENT);
        let data_start = position.div_ceil(alignment) * alignment;
        Ok(Header {
            version,
            metadata,
            tensors,
            data_start,
            file_size,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal, valid GGUF v3 file: one metadata string, one F32 tensor of 4 values.
    fn tiny(arch: Option<&str>, data_len: usize) -> Vec<u8> {
        header_bytes(arch, 4, 0, data_len)
    }

    /// The bytes of a GGUF v3 file with one tensor of `elements` values of `ggml_type`
    /// (0 is F32), followed by `data_len` bytes of data.
    pub(crate) fn header_bytes(
        arch: Option<&str>,
        elements: u64,
        ggml_type: u32,
        data_len: usize,
    ) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(b"GGUF");
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&1u64.to_le_bytes()); // tensors
        b.extend_from_slice(&u64::from(arch.is_some()).to_le_bytes());
        if let Some(arch) = arch {
            let key = b"general.architecture";
            b.extend_from_slice(&(key.len() as u64).to_le_bytes());
            b.extend_from_slice(key);
            b.extend_from_slice(&8u32.to_le_bytes());
            b.extend_from_slice(&(arch.len() as u64).to_le_bytes());
            b.extend_from_slice(arch.as_bytes());
        }
        let name = b"w";
        b.extend_from_slice(&(name.len() as u64).to_le_bytes());
        b.extend_from_slice(name);
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&elements.to_le_bytes());
        b.extend_from_slice(&ggml_type.to_le_bytes());
        b.extend_from_slice(&0u64.to_le_bytes());
        while b.len() % 32 != 0 {
            b.push(0);
        }
        b.extend(std::iter::repeat_n(0u8, data_len));
        b
    }

    fn read(bytes: &[u8]) -> Result<Header, GgufError> {
        let mut f = tempfile::NamedTempFile::new().expect("temp file");
        f.write_all(bytes).expect("write");
        Header::read(f.path())
    }

    #[test]
    fn a_valid_file_reads() {
        let h = read(&tiny(Some("llama"), 16)).expect("valid");
        assert_eq!(h.architecture(), Some("llama"));
        assert_eq!(h.tensors.len(), 1);
        assert_eq!(h.parameters(), 4);
    }

    #[test]
    fn bad_files_are_named_errors() {
        assert!(matches!(
            read(b"PK\x03\x04rest"),
            Err(GgufError::NotGguf { .. })
        ));
        assert!(matches!(read(b"GG"), Err(GgufError::NotGguf { .. })));
        let mut v9 = tiny(Some("llama"), 16);
        v9[4] = 9;
        assert!(matches!(
            read(&v9),
            Err(GgufError::Version { version: 9, .. })
        ));
        assert!(matches!(
            read(&tiny(Some("llama"), 8)),
            Err(GgufError::TruncatedData { .. })
        ));
        assert!(matches!(
            read(&tiny(None, 16)),
            Err(GgufError::NoArchitecture { .. })
        ));
        let whole = tiny(Some("llama"), 16);
        assert!(matches!(
            read(&whole[..30]),
            Err(GgufError::TruncatedHeader { .. })
        ));
        let mut huge = whole.clone();
        huge[24..32].copy_from_slice(&u64::MAX.to_le_bytes()); // first key's length
        assert!(matches!(read(&huge), Err(GgufError::Corrupt { .. })));
    }
    /// A valid file but for its one F32 tensor's shape.
    fn with_dims(dims: &[u64]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(b"GGUF");
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&1u64.to_le_bytes());
        b.extend_from_slice(&1u64.to_le_bytes());
        let key = b"general.architecture";
        b.extend_from_slice(&(key.len() as u64).to_le_bytes());
        b.extend_from_slice(key);
        b.extend_from_slice(&8u32.to_le_bytes());
        b.extend_from_slice(&5u64.to_le_bytes());
        b.extend_from_slice(b"llama");
        b.extend_from_slice(&1u64.to_le_bytes());
        b.push(b'w');
        b.extend_from_slice(&(dims.len() as u32).to_le_bytes());
        for d in dims {
            b.extend_from_slice(&d.to_le_bytes());
        }
        b.extend_from_slice(&0u32.to_le_bytes()); // F32
        b.extend_from_slice(&0u64.to_le_bytes());
        while b.len() % 32 != 0 {
            b.push(0);
        }
        b.extend(std::iter::repeat_n(0u8, 64));
        b
    }

    #[test]
    fn sizes_beyond_64_bits_are_corruption_not_a_crash() {
        // Found by fuzz/gguf_header: the element count overflowed and panicked.
        assert!(matches!(
            read(&with_dims(&[1 << 32, 1 << 32, 2])),
            Err(GgufError::Corrupt { .. })
        ));
        // Elements that fit, bytes that do not: a file far too short, not a wrap-around.
        assert!(matches!(
            read(&with_dims(&[1 << 62, 2])),
            Err(GgufError::TruncatedData {
                needed: u64::MAX,
                ..
            })
        ));
    }

    #[test]
    fn estimates_from_absurd_headers_do_not_overflow() {
        let mut h = read(&tiny(Some("llama"), 16)).expect("valid");
        for key in ["block_count", "attention.head_count", "embedding_length"] {
            h.metadata
                .insert(format!("llama.{key}"), Value::Uint(u64::MAX / 2));
        }
        assert_eq!(h.kv_cache_bytes(4096), None);
        let big = TensorInfo {
            name: "x".into(),
            dims: vec![u64::MAX / 2 + 1],
            ggml_type: 99,
            offset: 0,
        };
        h.tensors = vec![big.clone(), big];
        assert_eq!(h.parameters(), u64::MAX);
    }
}
