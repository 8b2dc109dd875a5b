//! Loading specs from files: the real-world corpus, and `$ref`s across files and in cycles.

mod corpus;
mod refs;
