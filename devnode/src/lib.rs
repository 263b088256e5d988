//! Local Stylus chain (work in progress).
