//! The GGUF header reader on any file (the input is written to a temporary file, since
//! the reader takes a path as the product's callers do). No panic, no allocation the
//! file does not justify, no endless loop; a header it accepts is consistent, and the
//! numbers the product derives from it (`models`, memory estimates) are computed too.

#![no_main]

use std::io::{Seek, Write};
use std::sync::{LazyLock, Mutex};

use codey::llm::gguf::Header;
use libfuzzer_sys::fuzz_target;

static FILE: LazyLock<Mutex<tempfile::NamedTempFile>> =
    LazyLock::new(|| Mutex::new(tempfile::NamedTempFile::new().expect("temp file")));

fuzz_target!(|data: &[u8]| {
    let mut file = FILE.lock().expect("one thread");
    let f = file.as_file_mut();
    f.set_len(0).expect("truncate");
    f.rewind().expect("rewind");
    f.write_all(data).expect("write");
    f.flush().expect("flush");
    let Ok(header) = Header::read(file.path()) else {
        return;
    };
    assert_eq!(header.file_size, data.len() as u64);
    assert!((1..=3).contains(&header.version));
    assert!(header.architecture().is_some());
    assert!(!header.tensors.is_empty());
    assert!(
        header.data_start <= header.file_size,
        "tensor data starts past the end"
    );
    let _ = header.name();
    let _ = header.has_chat_template();
    let _ = header.weight_bytes();
    let _ = header.parameters();
    for context in [512, 4096, 131_072] {
        let _ = header.kv_cache_bytes(context);
    }
});
