//! Gives each build an identity: a hash of the sources it was built from. The resident
//! service reports it, so that a client rebuilt or reinstalled at the same version does
//! not go on talking to a service that runs the old code. Also links the binary for a
//! quick start (see `link_for_startup`).

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
    link_for_startup();
    builtin_config();
}

/// The built-in configuration layer as the binary parses it: `codey.toml` without its
/// comment lines and blank lines. The documentation is four fifths of the file, and
/// every run parses the layer (tool requests too); the values are the same lines,
/// byte for byte. (The file holds no multi-line strings, in which a line starting with
/// `#` would be text; a unit test parses both forms and compares.)
fn builtin_config() {
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let text = std::fs::read_to_string("codey.toml").expect("codey.toml is readable");
    // Inside a multi-line string, a blank line or one starting with `#` is text.
    assert!(
        !text.contains("\"\"\"") && !text.contains("'''"),
        "codey.toml holds a multi-line string: builtin_config would change its value"
    );
    let values: String = text
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            !line.is_empty() && !line.starts_with('#')
        })
        .flat_map(|line| [line, "\n"])
        .collect();
    std::fs::write(out.join("codey.toml"), values).expect("OUT_DIR is writable");
}

/// Every run pays for loading the binary before `main`, tool requests that never touch
/// a model too. Measured on `git-codey --version` (callgrind, benches/startup.rs):
/// the dynamic loader resolving libstdc++'s ~1,700 symbol bindings against itself was
/// half of it. So, on GNU/Linux:
/// - libstdc++ and libgomp (llama.cpp's C++ runtime and OpenMP) are linked statically:
///   a directory holding only their `.a` archives comes first in the search path, and
///   the linker takes `-lstdc++`/`-lgomp` from the first directory that has either
///   form. Two fewer libraries to map, and their relocations are done at link time.
/// - relative relocations are packed (`DT_RELR`): the table the loader walks shrinks
///   from half a megabyte to a few kilobytes.
fn link_for_startup() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" || var("CARGO_CFG_TARGET_ENV") != "gnu" {
        return;
    }
    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let dir = out.join("static-runtime");
    let _ = std::fs::remove_dir_all(&dir);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let compiler = std::env::var("CXX").unwrap_or_else(|_| "c++".to_string());
    let mut found = false;
    for archive in ["libstdc++.a", "libgomp.a"] {
        let Ok(output) = std::process::Command::new(&compiler)
            .arg(format!("--print-file-name={archive}"))
            .output()
        else {
            continue;
        };
        let path = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        // Without the archive the library stays shared: slower to start, still works.
        if path.is_absolute()
            && path.is_file()
            && std::os::unix::fs::symlink(&path, dir.join(archive)).is_ok()
        {
            found = true;
        }
    }
    if found {
        println!("cargo:rustc-link-search=native={}", dir.display());
    }
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
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
