import ArgumentParser
import Logging

/// `--log-level` and the logging to stderr that every orca daemon sets up from it.
public enum DaemonLogging {
    /// The level named by `--log-level`, or a one-line usage error.
    public static func level(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text) else {
            throw ValidationError("--log-level: unknown level \"\(text)\"")
        }
        return level
    }

    /// Every logger of the process writes to stderr at `level`.
    public static func bootstrap(_ level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
