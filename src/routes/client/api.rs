//! Server functions of the client portal area; each checks the caller's role itself.
