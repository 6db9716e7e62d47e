//! Server functions of the public site (waitlist, contact form, catalog reads) live here.
