//! `oneOf` wants a value to match exactly one branch. Drawing from a branch usually gets
//! that, but branches may overlap (ranges, optional properties): values that plainly fit two
//! branches are drawn again, a few times, before one is let through for the caller's
//! validator to judge.

use std::fmt;

use proptest::strategy::{BoxedStrategy, NewTree, Strategy, Union, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::Value;

/// How many draws a value gets to fit just one branch.
const TRIES: usize = 8;

/// A union of `oneOf` branches that passes over values matching more than one.
pub(super) struct OneOf {
    union: Union<BoxedStrategy<Value>>,
    /// The branch schemas, each already merged with the keywords beside `oneOf`.
    branches: Vec<Value>,
}

impl OneOf {
    /// The strategies and schemas of the same branches, in the same order.
    pub(super) fn new(options: Vec<BoxedStrategy<Value>>, branches: Vec<Value>) -> Self {
        OneOf {
            union: Union::new(options),
            branches,
        }
    }

    /// Whether `v` certainly fits two branches. The check follows no references (it gets
    /// no document), and anything it cannot judge counts as not fitting, so only plain
    /// overlaps are drawn again.
    fn ambiguous(&self, v: &Value) -> bool {
        let none = Value::Null;
        self.branches
            .iter()
            .filter(|b| crate::fits::fits(&none, v, b))
            .nth(1)
            .is_some()
    }
}

impl fmt::Debug for OneOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OneOf")
            .field("branches", &self.branches)
            .finish_non_exhaustive()
    }
}

impl Strategy for OneOf {
    type Tree = <Union<BoxedStrategy<Value>> as Strategy>::Tree;
    type Value = Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let mut tree = self.union.new_tree(runner)?;
        for _ in 1..TRIES {
            if !self.ambiguous(&tree.current()) {
                break;
            }
            tree = self.union.new_tree(runner)?;
        }
        Ok(tree)
    }
}
