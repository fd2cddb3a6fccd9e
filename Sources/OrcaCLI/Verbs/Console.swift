import Foundation
import Synchronization

/// Where `kubecfg` writes what the user asked for (standard output).
public protocol Console: Sendable {
    func write(_ text: String)
}

/// Standard output, unbuffered so output and exit status stay in order.
public struct StandardConsole: Console {
    public init() {}

    public func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Collects output in memory (for tests).
public final class BufferConsole: Console {
    private let buffer = Mutex("")

    public init() {}

    public func write(_ text: String) {
        buffer.withLock { $0 += text }
    }

    /// Everything written so far.
    public var text: String { buffer.withLock { $0 } }
}
