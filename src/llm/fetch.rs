//! Downloading a model file: into `<file>.part` with resume (an HTTP range request for
//! what is already there), sha256 verification when the hash is known, and an atomic
//! rename into place only once the bytes are whole and verified.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

/// Why a download failed. The partial file is kept for a later resume unless its
/// bytes are known to be wrong.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("could not reach {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("{url} answered {status}")]
    Status { url: String, status: u16 },
    #[error(
        "the download from {url} broke off after {received} bytes ({reason}); run the same command again to resume"
    )]
    Interrupted {
        url: String,
        received: u64,
        reason: String,
    },
    #[error(
        "{path}: the download does not match its checksum (expected sha256 {expected}, got {actual}); the partial file was removed"
    )]
    Checksum {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("interrupted; run the same command again to resume")]
    Cancelled,
}

/// What a download did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub bytes: u64,
    /// Bytes that were already on disk from an earlier, interrupted attempt.
    pub resumed_from: u64,
    pub verified: bool,
}

/// The partial file a download writes to.
pub fn part_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

/// Downloads `url` to `target`. `progress` is told the bytes so far and the total
/// when the server says it.
pub fn download(
    url: &str,
    target: &Path,
    sha256: Option<&str>,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Fetched, FetchError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| FetchError::Io {
            path: path.clone(),
            source,
        }
    };
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    let part = part_path(target);
    let mut have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut call = agent.get(url);
    if have > 0 {
        call = call.header("Range", format!("bytes={have}-"));
    }
    let response = call.call().map_err(|e| FetchError::Connect {
        url: url.to_string(),
        reason: e.to_string(),
    })?;
    let status = response.status().as_u16();
    let append = match status {
        206 => true,
        200 => false,
        // The part file already holds everything.
        416 if have > 0 => true,
        _ => {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
            });
        }
    };
    if !append {
        have = 0;
    }
    let length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let total = length.map(|n| n + have);

    // The hash covers the bytes already on disk, then the new ones as they arrive.
    let mut hasher = Sha256::new();
    if have > 0 {
        hash_file(&part, &mut hasher).map_err(io_err(&part))?;
    }
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(&part)
        .map_err(io_err(&part))?;
    let resumed_from = have;
    let mut received = have;
    progress(received, total);
    if status != 416 {
        let mut body = response.into_body().into_reader();
        let mut buf = vec![0u8; 1 << 18];
        loop {
            if crate::interrupt::requested() {
                return Err(FetchError::Cancelled);
            }
            let n = match body.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    file.flush().map_err(io_err(&part))?;
                    return Err(FetchError::Interrupted {
                        url: url.to_string(),
                        received,
                        reason: e.to_string(),
                    });
                }
            };
            file.write_all(&buf[..n]).map_err(io_err(&part))?;
            hasher.update(&buf[..n]);
            received += n as u64;
            progress(received, total);
        }
        if let Some(total) = total
            && received < total
        {
            return Err(FetchError::Interrupted {
                url: url.to_string(),
                received,
                reason: format!("expected {total} bytes"),
            });
        }
    }
    file.sync_all().map_err(io_err(&part))?;
    drop(file);

    let actual = hex(&hasher.finalize());
    let verified = match sha256.map(str::trim).filter(|s| !s.is_empty()) {
        Some(expected) if !expected.eq_ignore_ascii_case(&actual) => {
            let _ = std::fs::remove_file(&part);
            return Err(FetchError::Checksum {
                path: target.to_path_buf(),
                expected: expected.to_string(),
                actual,
            });
        }
        Some(_) => true,
        None => false,
    };
    std::fs::rename(&part, target).map_err(io_err(target))?;
    Ok(Fetched {
        bytes: received,
        resumed_from,
        verified,
    })
}

/// The sha256 of a file on disk, as lowercase hex.
pub fn sha256_of(path: &Path) -> io::Result<String> {
    let mut hasher = Sha256::new();
    hash_file(path, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

fn hash_file(path: &Path, hasher: &mut Sha256) -> io::Result<()> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 1 << 18];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        hasher.update(&buf[..n]);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
