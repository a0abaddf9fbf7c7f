//! Only the tests' view of the shared test data: see tests/build-support/testdata.rs.

include!("../tests/build-support/testdata.rs");

fn main() {
    testdata_cfg();
}
