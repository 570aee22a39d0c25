//! Gives each build an identity: a hash of the sources it was built from. The resident
//! service reports it, so that a client rebuilt or reinstalled at the same version does
//! not go on talking to a service that runs the old code.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    // Everything the binary is built from, `include_str!`ed files too.
    let mut files = Vec::new();
    for input in [
        "src",
        "hooks",
        "codey.toml",
        "build.rs",
        "Cargo.toml",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={input}");
        let path = Path::new(input);
        if path.is_dir() {
            collect(path, &mut files);
        } else {
            files.push(path.to_path_buf());
        }
    }
    files.sort();
    let mut hash = DefaultHasher::new();
    for file in files {
        file.hash(&mut hash);
        std::fs::read(&file).unwrap_or_default().hash(&mut hash);
    }
    println!("cargo:rustc-env=CODEY_BUILD_ID={:016x}", hash.finish());
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
