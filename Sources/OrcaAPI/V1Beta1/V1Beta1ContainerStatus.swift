extension V1Beta1 {
    /// One container's state in `currentState.info` (v1 `status.containerStatuses[]`).
    public struct ContainerStatus: Codable, Sendable, Equatable {
        public var state: ContainerState?
        public var lastState: ContainerState?
        public var ready: Bool?
        public var restartCount: Int?
        public var podIP: String?
        public var image: String?
        public var imageID: String?
        public var containerID: String?

        public init(state: ContainerState? = nil, restartCount: Int? = nil, podIP: String? = nil,
                    image: String? = nil) {
            self.state = state
            self.restartCount = restartCount
            self.podIP = podIP
            self.image = image
        }
    }

    /// Exactly one of `waiting`, `running`, `termination` (v1 `terminated`) is set.
    public struct ContainerState: Codable, Sendable, Equatable {
        public var waiting: ContainerStateWaiting?
        public var running: ContainerStateRunning?
        public var termination: ContainerStateTerminated?

        public init(waiting: ContainerStateWaiting? = nil, running: ContainerStateRunning? = nil,
                    termination: ContainerStateTerminated? = nil) {
            self.waiting = waiting
            self.running = running
            self.termination = termination
        }
    }

    public struct ContainerStateWaiting: Codable, Sendable, Equatable {
        public var reason: String?
        public init(reason: String? = nil) { self.reason = reason }
    }

    public struct ContainerStateRunning: Codable, Sendable, Equatable {
        public var startedAt: Timestamp?
        public init(startedAt: Timestamp? = nil) { self.startedAt = startedAt }
    }

    public struct ContainerStateTerminated: Codable, Sendable, Equatable {
        public var exitCode: Int32?
        public var signal: Int32?
        public var reason: String?
        public var message: String?
        public var startedAt: Timestamp?
        public var finishedAt: Timestamp?

        public init(exitCode: Int32? = nil, signal: Int32? = nil, reason: String? = nil, message: String? = nil,
                    startedAt: Timestamp? = nil, finishedAt: Timestamp? = nil) {
            self.exitCode = exitCode
            self.signal = signal
            self.reason = reason
            self.message = message
            self.startedAt = startedAt
            self.finishedAt = finishedAt
        }
    }
}
