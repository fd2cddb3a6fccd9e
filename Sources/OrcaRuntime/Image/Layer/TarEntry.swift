/// One member of a tar stream, with GNU long names and PAX overrides already applied.
struct TarEntry: Sendable {
    enum Kind: Sendable, Equatable {
        case regular, hardLink, symbolicLink, characterDevice, blockDevice, directory, fifo
        /// A type this reader does not apply (GNU sparse files, volume labels...).
        case other(UInt8)
    }

    var path: String
    var kind: Kind
    /// Permission bits with setuid/setgid/sticky (`mode & 0o7777`).
    var mode: UInt32
    var uid: Int
    var gid: Int
    var size: Int64
    /// Seconds since the epoch.
    var modificationTime: Int64
    var linkName: String
    var deviceMajor: UInt32
    var deviceMinor: UInt32
    /// `SCHILY.xattr.*` PAX records (file capabilities of `ping`, for instance).
    var extendedAttributes: [String: [UInt8]]
}
