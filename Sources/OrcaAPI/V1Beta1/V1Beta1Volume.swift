extension V1Beta1 {
    /// A pod volume: `{"name": "jenkins-data", "source": {"emptyDir": {}}}`.
    ///
    /// A volume without `source` is an `emptyDir`, as v1beta1 documented.
    public struct Volume: Codable, Sendable, Equatable {
        public var name: String?
        public var source: VolumeSource?

        public init(name: String?, source: VolumeSource?) {
            self.name = name
            self.source = source
        }
    }

    /// Where a volume's data lives. Orca serves `emptyDir` and `hostDir`; the other sources of
    /// the time decode (so the error can name them) but do not convert.
    public struct VolumeSource: Codable, Sendable, Equatable {
        public var emptyDir: EmptyDir?
        public var hostDir: HostDir?
        public var persistentDisk: PersistentDisk?
        public var gitRepo: GitRepo?
        /// Source keys this type does not know (`nfs`, `secret`, ...); never encoded.
        public var otherSources: [String]

        public init(emptyDir: EmptyDir? = nil, hostDir: HostDir? = nil, persistentDisk: PersistentDisk? = nil,
                    gitRepo: GitRepo? = nil) {
            self.emptyDir = emptyDir
            self.hostDir = hostDir
            self.persistentDisk = persistentDisk
            self.gitRepo = gitRepo
            self.otherSources = []
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case emptyDir, hostDir, persistentDisk, gitRepo }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            emptyDir = try c.decodeIfPresent(EmptyDir.self, forKey: .emptyDir)
            hostDir = try c.decodeIfPresent(HostDir.self, forKey: .hostDir)
            persistentDisk = try c.decodeIfPresent(PersistentDisk.self, forKey: .persistentDisk)
            gitRepo = try c.decodeIfPresent(GitRepo.self, forKey: .gitRepo)
            let known = Set(CodingKeys.allCases.map(\.rawValue))
            let all = try decoder.container(keyedBy: AnyCodingKey.self)
            otherSources = try all.allKeys
                .filter { try !known.contains($0.stringValue) && !all.decodeNil(forKey: $0) }
                .map(\.stringValue).sorted()
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(emptyDir, forKey: .emptyDir)
            try c.encodeIfPresent(hostDir, forKey: .hostDir)
            try c.encodeIfPresent(persistentDisk, forKey: .persistentDisk)
            try c.encodeIfPresent(gitRepo, forKey: .gitRepo)
        }

        /// The names of the sources that are set, in a fixed order.
        public var setSources: [String] {
            var names: [String] = []
            if emptyDir != nil { names.append("emptyDir") }
            if hostDir != nil { names.append("hostDir") }
            if persistentDisk != nil { names.append("persistentDisk") }
            if gitRepo != nil { names.append("gitRepo") }
            return names + otherSources
        }
    }

    /// A directory that lives as long as the pod. `medium` is a later v1beta1 addition.
    public struct EmptyDir: Codable, Sendable, Equatable {
        public var medium: String?
        public init(medium: String? = nil) { self.medium = medium }
    }

    /// A directory of the minion mounted into the pod.
    public struct HostDir: Codable, Sendable, Equatable {
        public var path: String?
        public init(path: String?) { self.path = path }
    }

    /// A GCE persistent disk (not supported by Orca).
    public struct PersistentDisk: Codable, Sendable, Equatable {
        public var pdName: String?
        public var fsType: String?
        public var partition: Int?
        public var readOnly: Bool?
        public init(pdName: String? = nil) { self.pdName = pdName }
    }

    /// A git checkout (not supported by Orca).
    public struct GitRepo: Codable, Sendable, Equatable {
        public var repository: String?
        public var revision: String?
        public init(repository: String? = nil) { self.repository = repository }
    }
}
