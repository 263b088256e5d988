//! Stylus program runtime (work in progress).
