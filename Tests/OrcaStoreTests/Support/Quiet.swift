import Logging

extension Logger {
    /// A logger that drops everything, to keep test output readable.
    static let quiet = Logger(label: "orca.store.tests") { _ in SwiftLogNoOpLogHandler() }
}
