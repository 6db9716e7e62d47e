//! Server functions of the dashboard area; each checks the caller's role itself.
