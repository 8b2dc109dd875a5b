//! Loading specs from files: the real-world corpus, `$ref`s across files and in cycles, and
//! the bounds on what a `$ref` may read.

mod bounds;
mod corpus;
mod reads;
mod refs;
