//! Server functions for accounts: register, verify, sign in and out, password reset.
