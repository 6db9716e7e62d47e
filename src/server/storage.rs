//! Private storage for uploads: a file being written under a temporary name,
//! removed unless it is kept, and what a streamed upload left there. Files live
//! under `STORAGE_DIR`, never under `public/`.

use std::path::PathBuf;

/// A file being written; removed when dropped unless kept.
pub struct PartFile(Option<PathBuf>);

impl PartFile {
    pub fn new(path: PathBuf) -> Self {
        Self(Some(path))
    }

    pub fn path(&self) -> Option<PathBuf> {
        self.0.clone()
    }

    pub fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            if let Err(err) = std::fs::remove_file(&path) {
                if err.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(error = %err, path = %path.display(), "could not remove an unfinished upload");
                }
            }
        }
    }
}

/// The bytes of a streamed upload, in a part file of the storage folder.
pub struct Received {
    pub part: PartFile,
    pub original_name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// A random name for a stored file (32 hex digits).
pub fn random_name() -> Result<String, getrandom::Error> {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw)?;
    Ok(hex::encode(raw))
}
