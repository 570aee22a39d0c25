//! The map's cache file, `.git/codey/map`: one JSON document with a version, written
//! through a temporary file and a rename so that a reader never sees half of it. It is
//! read as data: anything that does not parse, has another version or holds entries
//! that make no sense is treated as no cache at all, and the map is rebuilt.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Map;

/// Bumped whenever what an entry holds changes meaning, so an older cache is rebuilt.
const VERSION: u32 = 1;

/// A cache larger than this is not read: no real map comes near it, and reading it
/// would cost more than rebuilding.
const MAX_CACHE_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct Document {
    version: u32,
    map: Map,
}

pub(super) fn path(git_dir: &Path) -> PathBuf {
    git_dir.join("codey").join("map")
}

/// The cached map, or `None` when there is none or it cannot be trusted.
pub(super) fn read(path: &Path) -> Option<Map> {
    if std::fs::metadata(path).ok()?.len() > MAX_CACHE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let document: Document = serde_json::from_slice(&bytes).ok()?;
    (document.version == VERSION && sane(&document.map)).then_some(document.map)
}

/// Whether every entry could have been written by this version: relative paths in
/// order, no duplicates, line ranges that run forwards.
fn sane(map: &Map) -> bool {
    map.files.windows(2).all(|w| w[0].path < w[1].path)
        && map.files.iter().all(|f| {
            !f.path.is_empty()
                && !f.path.starts_with('/')
                && f.definitions
                    .iter()
                    .all(|d| d.start_line >= 1 && d.start_line <= d.end_line)
        })
}

/// Writes the map in one piece: a temporary file beside the cache, renamed over it.
pub(super) fn write(path: &Path, map: &Map) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("the cache path has no directory"))?;
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut out = std::io::BufWriter::new(temp.as_file_mut());
        serde_json::to_writer(
            &mut out,
            &DocumentRef {
                version: VERSION,
                map,
            },
        )?;
        out.flush()?;
    }
    temp.persist(path).map(|_| ()).map_err(|e| e.error)
}

/// [`Document`] borrowing the map, so that writing does not copy it.
#[derive(Serialize)]
struct DocumentRef<'m> {
    version: u32,
    map: &'m Map,
}
