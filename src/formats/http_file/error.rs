//! The one error of `.http` and environment files: the file, the line when there is one, and
//! what is wrong, printed as `api.http:12: header "Bad Header" has no colon`.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpFileError {
    pub path: PathBuf,
    /// 1-based; `None` when the problem is the whole file (it cannot be read) or a draft
    /// being written into it.
    pub line: Option<usize>,
    pub message: String,
}

impl HttpFileError {
    pub fn at(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        HttpFileError {
            path: path.into(),
            line: Some(line),
            message: message.into(),
        }
    }

    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        HttpFileError {
            path: path.into(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for HttpFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for HttpFileError {}
