//! Server functions of the admin area; each checks the caller's role itself.
