import Testing

/// The local-cluster suites run one after the other: each `orca up` adds host routes for the
/// cluster ranges (10.244.0.0/16, 10.0.0.0/16) that its `orca down` removes.
@Suite("local clusters", .serialized)
enum LocalClusterTests {}
